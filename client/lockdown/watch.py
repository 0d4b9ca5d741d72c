"""One background thread runs every lockdown check at its own interval (focus four times a second,
programs every two seconds...). A check that raises is logged and retried later, never fatal: the
exam goes on. poke(name) runs a check now (the hook thread does this on a foreground event)."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

log = logging.getLogger(__name__)


@dataclass
class Check:
    name: str
    interval_s: float
    run: Callable[[], object]
    due: float = 0.0
    failures: int = 0
    runs: int = 0


class WatchLoop:
    def __init__(self, checks: List[Check], clock: Callable[[], float] = time.monotonic) -> None:
        self.checks = checks
        self.by_name: Dict[str, Check] = {c.name: c for c in checks}
        self.clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def start(self) -> None:
        now = self.clock()
        for c in self.checks:
            c.due = now
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="lockdown-watch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def poke(self, name: str) -> None:
        c = self.by_name.get(name)
        if c is not None:
            c.due = 0.0
            self._wake.set()

    def run_once(self) -> None:
        """Every check that is due, now (the thread's body; tests call it directly)."""
        now = self.clock()
        for c in self.checks:
            if c.due > now:
                continue
            try:
                c.run()
                c.runs += 1
                c.failures = 0
                c.due = now + c.interval_s
            except Exception:  # noqa: BLE001 - one broken probe must not stop the others
                c.failures += 1
                if c.failures in (1, 10, 100):
                    log.exception("lockdown check %s failed (%d times)", c.name, c.failures)
                c.due = now + c.interval_s * min(10, 1 + c.failures)   # back off a failing probe

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            nearest = min((c.due for c in self.checks), default=self.clock() + 1.0)
            self._wake.wait(max(0.005, min(1.0, nearest - self.clock())))
            self._wake.clear()
