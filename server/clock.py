"""Server time: real time plus an optional offset read from a clock file (time-compressed tests)."""

import json
import logging
import os
import threading
import time

log = logging.getLogger("examdesk.server.clock")


class ServerClock:
    """`now_ms()` = wall clock + offset_ms from `clock_file` (re-read only when its mtime changes)."""

    def __init__(self, clock_file: str | None = None) -> None:
        self.clock_file = clock_file
        self._mtime: float | None = None
        self._offset_ms = 0
        self._lock = threading.Lock()

    def offset_ms(self) -> int:
        if not self.clock_file:
            return 0
        try:
            mtime = os.stat(self.clock_file).st_mtime_ns
        except OSError:
            return self._offset_ms
        with self._lock:
            if mtime != self._mtime:
                try:
                    with open(self.clock_file, encoding="utf-8") as f:
                        self._offset_ms = int(json.load(f).get("offset_ms", 0))
                    self._mtime = mtime
                except (OSError, ValueError, TypeError, AttributeError) as e:
                    # a half-written or broken file keeps the last good offset
                    log.warning("clock file unreadable, keeping offset %s: %s", self._offset_ms, e)
            return self._offset_ms

    def now_ms(self) -> int:
        return int(time.time() * 1000) + self.offset_ms()
