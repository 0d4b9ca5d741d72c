"""The log-failure guard itself: an unexpected warning fails a test; an expected one does not."""
from __future__ import annotations

import logging
import re

import pytest

from tests.helpers.logfail import LogFailHandler, unexpected

pytest_plugins = ["pytester"]


def record(name: str, level: int, msg: str) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, None, None)


def test_our_warnings_are_collected_and_third_party_ones_are_not():
    h = LogFailHandler()
    for r in (record("client.sync.worker", logging.WARNING, "w"), record("urllib3", logging.ERROR, "x"),
              record("server.api", logging.INFO, "i")):
        if r.levelno >= h.level:
            h.emit(r)
    assert [r.getMessage() for r in h.records] == ["w"]


def test_expected_patterns_excuse_only_what_they_match():
    recs = [record("client.x", logging.WARNING, "journal damaged, rebuilding"),
            record("client.x", logging.ERROR, "something else")]
    assert unexpected(recs, [re.compile("journal damaged")], False) == ["ERROR client.x: something else"]
    assert unexpected(recs, [], True) == []


@pytest.mark.expected_log("camera lost")    # the inner run logs in this process too
def test_an_unexpected_warning_fails_the_test(pytester):
    pytester.makeconftest("pytest_plugins = ['tests.helpers.logfail']")
    pytester.makepyfile("""
        import logging, pytest
        def test_quiet():
            logging.getLogger("client.demo").info("fine")
        def test_noisy():
            logging.getLogger("client.demo").warning("camera lost")
        @pytest.mark.expected_log("camera lost")
        def test_expected():
            logging.getLogger("client.demo").warning("camera lost")
    """)
    pytester.syspathinsert(str(__import__("tests.conftest", fromlist=["ROOT"]).ROOT))
    result = pytester.runpytest("-p", "no:cacheprovider", "-o", "markers=expected_log")
    result.assert_outcomes(passed=3, errors=1)   # test_noisy passes its body, fails at teardown
    result.stdout.fnmatch_lines(["*unexpected log records*", "*WARNING client.demo: camera lost*"])
