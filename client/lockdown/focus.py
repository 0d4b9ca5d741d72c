"""The foreground watch: when another program's window takes the front, bring the exam back, and
report each loss once it ends, with its duration and the window and process that took it."""
from __future__ import annotations

import time
from typing import Any, Callable, Dict, Optional

from client.lockdown import events as ev
from client.lockdown.backend import KioskWindow, LockdownBackend, WindowInfo


class FocusWatch:
    def __init__(self, backend: LockdownBackend, window: KioskWindow, on_event: ev.EventSink,
                 clock: Callable[[], float] = time.monotonic, ongoing_after_s: float = 10.0) -> None:
        self.backend, self.window, self.on_event, self.clock = backend, window, on_event, clock
        self.ongoing_after_s = ongoing_after_s
        self.lost_since: Optional[float] = None
        self.taker: Optional[WindowInfo] = None
        self.attempts = 0
        self.ongoing_sent = False
        self.losses = 0

    def check(self) -> None:
        ours, who = self.backend.foreground(self.window)
        now = self.clock()
        if ours:
            if self.lost_since is not None:
                self._ended(now, "returned")
            return
        if self.lost_since is None:
            self.lost_since, self.taker, self.attempts, self.ongoing_sent = now, who, 0, False
        elif self.taker is None and who is not None:
            self.taker = who
        self.attempts += 1
        if self.backend.bring_to_front(self.window):
            self._ended(self.clock(), "raised")
        elif not self.ongoing_sent and now - self.lost_since >= self.ongoing_after_s:
            self.ongoing_sent = True
            self.on_event(ev.FOCUS_LOST, ev.ALERT, self._detail(now, "ongoing"))

    def flush(self) -> None:
        """At the end of the exam: a loss still going on is reported too."""
        if self.lost_since is not None:
            self._ended(self.clock(), "exam_ended")

    def _detail(self, now: float, how: str) -> Dict[str, Any]:
        assert self.lost_since is not None
        return {"duration_ms": int(round((now - self.lost_since) * 1000)), "ended": how,
                "taken_by": self.taker.to_detail() if self.taker is not None else None,
                "raise_attempts": self.attempts}

    def _ended(self, now: float, how: str) -> None:
        self.losses += 1
        self.on_event(ev.FOCUS_LOST, ev.WARN, self._detail(now, how))
        self.lost_since, self.taker = None, None
