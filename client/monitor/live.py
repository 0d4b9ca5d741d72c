"""LiveMonitor: runs a MonitorPipeline on the monotonic clock with one analysis thread (no Qt).

The camera reader offers frames (`offer`, at most analysis_fps); a newer frame replaces one not yet
analysed, so the reader and the GUI never wait on face detection. The same thread ticks the
pipeline every `tick_s` (device rules, snapshots, snippets due), also while no frame comes (a lost
camera), and calls `on_state(state)` when the heartbeat's device state changes.

    live = LiveMonitor(pipeline, analysis_fps=5).start()
    capture.subscribe(pipeline.frame, evidence_fps); capture.subscribe(live.offer, analysis_fps)
    ...; live.stop()          # closes the pipeline at that moment: nothing recorded afterwards
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Dict, Optional, Tuple

import numpy as np

from client.monitor.pipeline import MonitorPipeline

log = logging.getLogger(__name__)


class LiveMonitor:
    def __init__(self, pipeline: MonitorPipeline, analysis_fps: float = 5.0, tick_s: float = 0.2,
                 on_state: Optional[Callable[[Dict[str, str]], None]] = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.pipeline = pipeline
        self.interval = 1.0 / max(0.1, analysis_fps)
        self.tick_s = tick_s
        self.on_state = on_state
        self.clock = clock
        self._slot: Optional[Tuple[np.ndarray, float]] = None
        self._cv = threading.Condition()
        self._stop = False
        self._thread: Optional[threading.Thread] = None
        self._state: Dict[str, str] = {}
        self.analysed = 0
        self.dropped = 0
        self.busy_s = 0.0          # thread time spent analysing (bench)

    def start(self) -> LiveMonitor:
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="exam-monitor", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cv:
            self._stop = True
            self._cv.notify_all()
        if self._thread is not None:
            self._thread.join(30)
            self._thread = None
        self.pipeline.close(self.clock())

    def offer(self, frame: np.ndarray, t: float) -> None:
        """From the camera reader: hand over and return (a frame still waiting is replaced)."""
        with self._cv:
            if self._slot is not None:
                self.dropped += 1
            self._slot = (frame, t)
            self._cv.notify()

    def drain(self, timeout: float = 10.0) -> None:
        """Wait until the frame on offer has been analysed (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while self._slot is not None and time.monotonic() < deadline:
                self._cv.wait(0.05)

    def _run(self) -> None:
        next_tick = self.clock()
        while True:
            with self._cv:
                if self._slot is None and not self._stop:
                    self._cv.wait(max(0.0, next_tick - self.clock()))
                if self._stop:
                    return
                job, self._slot = self._slot, None
                self._cv.notify_all()
            try:
                if job is not None:
                    started = time.thread_time() if hasattr(time, "thread_time") else 0.0
                    self.pipeline.analyse(job[0], job[1])
                    self.analysed += 1
                    if hasattr(time, "thread_time"):
                        self.busy_s += time.thread_time() - started
                now = self.clock()
                if now >= next_tick:
                    next_tick = now + self.tick_s
                    self.pipeline.tick(now)
                    self._publish(now)
            except Exception:  # noqa: BLE001 - monitoring must never take the exam down
                log.exception("exam monitor step failed")

    def _publish(self, now: float) -> None:
        state = self.pipeline.state(now)
        if state != self._state:
            self._state = state
            if self.on_state is not None:
                try:
                    self.on_state(dict(state))
                except Exception:  # noqa: BLE001
                    log.exception("monitor state listener failed")
