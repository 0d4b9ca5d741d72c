"""The clock file: server time = real time + offset, changes seen at once, broken files tolerated."""
from __future__ import annotations

import json
import os
import time

import pytest

from server.clock import ServerClock


def _write(path, text: str) -> None:
    tmp = str(path) + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, str(path))


def test_offset_follows_every_rewrite_even_within_one_mtime_tick(tmp_path):
    f = tmp_path / "clock.json"
    clock = ServerClock(str(f))
    assert clock.offset_ms() == 0  # no file yet
    for offset in (5100, 15200, 35300, 91000):  # same length: same size, maybe the same mtime tick
        _write(f, json.dumps({"offset_ms": offset}))
        assert clock.offset_ms() == offset
    before = time.time() * 1000
    assert clock.now_ms() - before >= 91000 - 5


@pytest.mark.expected_log(r"clock file unreadable")
def test_broken_clock_file_keeps_the_last_good_offset(tmp_path):
    f = tmp_path / "clock.json"
    clock = ServerClock(str(f))
    _write(f, '{"offset_ms": 3000}')
    assert clock.offset_ms() == 3000
    for junk in ('{"offset_ms": ', "[]", '{"offset_ms": "soon"}'):
        _write(f, junk)
        assert clock.offset_ms() == 3000
    assert ServerClock(None).offset_ms() == 0
