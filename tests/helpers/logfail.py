"""An unexpected WARNING or ERROR from our own code fails the test that caused it.

Our loggers (examcore, client, server, examdesk) at WARNING and above are collected during each test.
A test that provokes warnings on purpose says so: `@pytest.mark.expected_log("regex", ...)` allows
records whose message matches one of the patterns (no pattern: any record), or the test takes the
`caplog` fixture and asserts what it expects itself.
"""
from __future__ import annotations

import logging
import re
import threading
from typing import Iterator, List, Pattern

import pytest

OURS = ("examcore", "client", "server", "examdesk", "tests")


class LogFailHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: List[logging.LogRecord] = []
        # threads left running by earlier tests (a worker finishing its last retry) speak for those tests
        self.earlier = {t.ident for t in threading.enumerate() if t is not threading.main_thread()}

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".", 1)[0] in OURS and record.thread not in self.earlier:
            self.records.append(record)


def unexpected(records: List[logging.LogRecord], allowed: List[Pattern[str]], allow_all: bool) -> List[str]:
    if allow_all:
        return []
    out = []
    for r in records:
        text = r.getMessage()
        if not any(p.search(text) for p in allowed):
            out.append("%s %s: %s" % (r.levelname, r.name, text[:300]))
    return out


@pytest.fixture(autouse=True)
def logfail(request: pytest.FixtureRequest) -> Iterator[LogFailHandler]:
    handler = LogFailHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
    if "caplog" in request.fixturenames:
        return
    patterns: List[Pattern[str]] = []
    allow_all = False
    for mark in request.node.iter_markers("expected_log"):
        if not mark.args:
            allow_all = True
        patterns += [re.compile(a) for a in mark.args]
    bad = unexpected(handler.records, patterns, allow_all)
    if bad:
        pytest.fail("unexpected log records (mark the test expected_log if they are meant):\n  "
                    + "\n  ".join(bad[:20]), pytrace=False)
