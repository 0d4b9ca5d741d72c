"""During the exam: whoever reads the camera (e.g. the header thumbnail's reader) offers frames here;
a worker thread feeds a few per second to a CameraWatch and reports its events. `offer()` never
blocks and drops frames while the analysis is busy, so the reader and the GUI never wait on face
detection. Stands in until the capture pipeline drives CameraWatch itself.

    monitor = ExamCameraMonitor(lambda ev: engine.report_event("camera." + ev.type, ev.severity, ev.detail))
    monitor.start(); ... monitor.offer(frame) ...; monitor.stop()

Events reach `on_event` with the type names this monitor always used (face_absent, multiple_faces,
camera_blocked, camera_frozen, ...: the watch's type without "camera."), with the policy's action.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from typing import Any, Callable, List, Optional, Tuple

import numpy as np

from client.monitor.camera_watch import CameraWatch
from client.monitor.events import MonitorEvent

log = logging.getLogger(__name__)


class ExamCameraMonitor:
    def __init__(self, on_event: Callable[[MonitorEvent], None], analyze_fps: float = 2.0,
                 analyzer: Optional[Any] = None, watch: Optional[CameraWatch] = None) -> None:
        self.on_event = on_event
        self.interval = 1.0 / max(0.1, analyze_fps)
        self.watch = watch or CameraWatch(analyzer=analyzer)
        self._slot: Optional[Tuple[np.ndarray, float]] = None   # the newest frame only
        self._cv = threading.Condition()
        self._stop = False
        self._last_offer = -1e9
        self._thread: Optional[threading.Thread] = None
        self.analysed = 0
        self.events: List[MonitorEvent] = []

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
                events = [legacy_event(e) for e in self.watch.feed(frame, t)]
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


def legacy_event(ev: MonitorEvent) -> MonitorEvent:
    """camera.face_absent -> face_absent, camera.blocked -> camera_blocked (the names already journaled)."""
    short = ev.type.split(".", 1)[-1]
    return replace(ev, type="camera_" + short if short in ("blocked", "frozen", "dark") else short)
