"""During the exam: whoever reads the camera (e.g. the header thumbnail's reader) offers frames here;
a worker thread analyses a few per second and reports PresenceWatch events. `offer()` never blocks
and drops frames while the analysis is busy, so the reader and the GUI never wait on face detection.

    monitor = ExamCameraMonitor(lambda ev: engine.report_event("camera." + ev.type, ev.severity, ev.detail))
    monitor.start(); ... monitor.offer(frame) ...; monitor.stop()
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable, List, Optional, Tuple

import numpy as np

from client.monitor.frame_analysis import FrameAnalyzer
from client.monitor.presence import PresenceEvent, PresenceWatch

log = logging.getLogger(__name__)


class ExamCameraMonitor:
    def __init__(self, on_event: Callable[[PresenceEvent], None], analyze_fps: float = 2.0,
                 analyzer: Optional[FrameAnalyzer] = None, watch: Optional[PresenceWatch] = None) -> None:
        self.on_event = on_event
        self.interval = 1.0 / max(0.1, analyze_fps)
        self.analyzer = analyzer or FrameAnalyzer()
        self.watch = watch or PresenceWatch()
        self._slot: Optional[Tuple[np.ndarray, float]] = None   # the newest frame only
        self._cv = threading.Condition()
        self._stop = False
        self._last_offer = -1e9
        self._thread: Optional[threading.Thread] = None
        self.analysed = 0
        self.events: List[PresenceEvent] = []

    def start(self) -> "ExamCameraMonitor":  # noqa: UP037
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="exam-camera-monitor", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cv:
            self._stop = True
            self._cv.notify_all()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def offer(self, frame: np.ndarray, t: Optional[float] = None) -> bool:
        """Hand over a frame (time `t` in seconds, monotonic by default). False when skipped by rate."""
        t = time.monotonic() if t is None else t
        if t - self._last_offer < self.interval:
            return False
        self._last_offer = t
        with self._cv:
            self._slot = (frame, t)  # a newer frame replaces one not yet analysed
            self._cv.notify()
        return True

    def drain(self, timeout: float = 10.0) -> None:
        """Wait until the offered frame has been analysed (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while self._slot is not None and time.monotonic() < deadline:
                self._cv.wait(0.05)

    def _run(self) -> None:
        while True:
            with self._cv:
                while self._slot is None and not self._stop:
                    self._cv.wait()
                if self._stop:
                    return
                frame, t = self._slot  # type: ignore[misc]
            try:
                events = self.watch.feed(self.analyzer.analyze(frame), t)
            except ValueError as exc:
                log.warning("exam camera monitor: unusable frame: %s", exc)
                events = []
            except Exception:  # noqa: BLE001 - monitoring must never take the exam down
                log.exception("exam camera monitor: analysis failed")
                events = []
            with self._cv:
                if self._slot is not None and self._slot[1] == t:
                    self._slot = None
                self.analysed += 1
                self._cv.notify_all()
            for ev in events:
                self.events.append(ev)
                try:
                    self.on_event(ev)
                except Exception:  # noqa: BLE001
                    log.exception("exam camera monitor: event callback failed")
