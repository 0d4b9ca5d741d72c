"""Server time: real time plus an optional offset read from a clock file (time-compressed tests)."""

import json
import logging
import os
import threading
import time

log = logging.getLogger("examdesk.server.clock")


class ServerClock:
    """`now_ms()` = wall clock + offset_ms from `clock_file` (re-read only when the file changes)."""

    def __init__(self, clock_file: str | None = None) -> None:
        self.clock_file = clock_file
        self._stamp: tuple[int, int, int] | None = None
        self._offset_ms = 0
        self._lock = threading.Lock()

    def offset_ms(self) -> int:
        if not self.clock_file:
            return 0
        try:
            st = os.stat(self.clock_file)
        except OSError:
            return self._offset_ms
        # mtime ticks are coarse and inodes get reused: a file changed in the last second is
        # always re-read; an older one only when its stamp changes
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        fresh = time.time_ns() - st.st_mtime_ns < 1_000_000_000
        with self._lock:
            if stamp != self._stamp or fresh:
                try:
                    with open(self.clock_file, encoding="utf-8") as f:
                        self._offset_ms = int(json.load(f).get("offset_ms", 0))
                    self._stamp = stamp
                except (OSError, ValueError, TypeError, AttributeError) as e:
                    # a half-written or broken file keeps the last good offset
                    log.warning("clock file unreadable, keeping offset %s: %s", self._offset_ms, e)
            return self._offset_ms

    def now_ms(self) -> int:
        return int(time.time() * 1000) + self.offset_ms()
