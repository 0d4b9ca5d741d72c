"""ProctoringSession: listens to the exam engine and runs what watches the exam while it is in progress.

In the exam (state `in_exam`, also after a restart that resumes one) it opens the camera capture and
the on-device monitor; at sealing it closes them, so nothing is recorded before the start or after the
hand-in (promise 5); it owns the exam's lockdown too (client.proctoring.lockdown). Monitor events go to
the engine's journal (`report_event`); the device state goes up with every heartbeat
(`set_device_status`). Built by the composition root (client.app), Qt-free.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Dict, Optional, Tuple

import numpy as np

from client.exam import api
from client.monitor.capture import LIVE, LOST, OFF, CameraCapture, FrameCallback
from client.proctoring.lockdown import ExamLockdown

log = logging.getLogger(__name__)

ACTIVE_STATES = (api.IN_EXAM,)


class _Listener(api.EngineListener):
    def __init__(self, session: ProctoringSession) -> None:
        self.session = session

    def on_state(self, state: str) -> None:
        self.session.follow(state)

    def on_sealed(self, reason: str) -> None:
        self.session.stop()
        if self.session.lockdown is not None:
            self.session.lockdown.stop()


class ProctoringSession:
    """Owns the exam-time camera capture and the monitor; `capture_factory` is None without a camera."""

    def __init__(self, engine: api.MonitoredExam,
                 capture_factory: Optional[Callable[[Callable[[str, str], None]], CameraCapture]] = None,
                 monitor_factory: Optional[Callable[[Callable[[Any], None]], Any]] = None,
                 analyze_fps: float = 2.0, lockdown: Optional[ExamLockdown] = None) -> None:
        self.engine = engine
        self.lockdown = lockdown    # started with the exam once the UI hands in the exam window
        self.capture_factory = capture_factory
        self.monitor_factory = monitor_factory
        self.analyze_fps = analyze_fps
        self.capture: Optional[CameraCapture] = None
        self.monitor: Optional[Any] = None
        self._viewers: Dict[int, Tuple[FrameCallback, float]] = {}
        self._viewer_unsubscribe: Dict[int, Callable[[], None]] = {}
        self._next = 0
        self._lock = threading.RLock()
        self._camera_lost = False
        engine.add_listener(_Listener(self))

    # -- what the UI sees ---------------------------------------------------------------------
    @property
    def has_camera(self) -> bool:
        return self.capture_factory is not None

    def subscribe(self, callback: FrameCallback, max_fps: float = 0.0) -> Callable[[], None]:
        """Frames while the exam runs (the header thumbnail); a FrameFeed that outlives the capture."""
        with self._lock:
            key = self._next
            self._next += 1
            self._viewers[key] = (callback, max_fps)
            if self.capture is not None:
                self._viewer_unsubscribe[key] = self.capture.subscribe(callback, max_fps)

        def unsubscribe() -> None:
            with self._lock:
                self._viewers.pop(key, None)
                unsub = self._viewer_unsubscribe.pop(key, None)
            if unsub is not None:
                unsub()
        return unsubscribe

    # -- lifecycle ----------------------------------------------------------------------------
    def attach(self) -> ProctoringSession:
        """Start at once if the engine is already in an exam (a restart that resumes one)."""
        self.follow(self.engine.state())
        return self

    def follow(self, state: str) -> None:
        if self.lockdown is not None:
            self.lockdown.follow(state)
        if state in ACTIVE_STATES:
            self.start()
        else:
            self.stop()

    @property
    def running(self) -> bool:
        return self.capture is not None or self.monitor is not None

    def start(self) -> None:
        with self._lock:
            if self.running or self.capture_factory is None:
                return
            self.monitor = self.monitor_factory(self._report) if self.monitor_factory is not None else None
            self.capture = self.capture_factory(self._camera_status)
            if self.monitor is not None:
                self.capture.subscribe(self._to_monitor, self.analyze_fps)
            for key, (callback, fps) in self._viewers.items():
                self._viewer_unsubscribe[key] = self.capture.subscribe(callback, fps)
            self._camera_lost = False
            self.capture.start()
        self._devices(camera="starting", monitor="on" if self.monitor is not None else "off")

    def stop(self) -> None:
        with self._lock:
            capture, monitor = self.capture, self.monitor
            self.capture = self.monitor = None
            self._viewer_unsubscribe.clear()   # they belonged to the capture that is going
        if capture is None and monitor is None:
            return
        if capture is not None:
            capture.stop()
        if monitor is not None:
            monitor.stop()
        self._devices(camera=OFF, monitor="off")

    # -- plumbing -----------------------------------------------------------------------------
    def _to_monitor(self, frame: np.ndarray, t: float) -> None:
        monitor = self.monitor
        if monitor is not None:
            monitor.offer(frame, t)

    def _camera_status(self, status: str, why: str) -> None:
        self._devices(camera=status)
        if status == LOST and not self._camera_lost:
            self._camera_lost = True
            self._report_raw("camera.lost", "alert", {"state": "start", "why": why[:200]})
        elif status == LIVE and self._camera_lost:
            self._camera_lost = False
            self._report_raw("camera.lost", "alert", {"state": "end"})

    def _devices(self, **status: str) -> None:
        try:
            self.engine.set_device_status(status)
        except Exception:  # noqa: BLE001 - status is a hint for the proctor, never a reason to stop
            log.exception("device status not recorded")

    def _report(self, event: Any) -> None:
        detail = dict(event.detail or {}, state=event.state)
        self._report_raw("camera." + event.type, event.severity, detail)

    def _report_raw(self, type_: str, severity: str, detail: Dict[str, Any]) -> None:
        if self.engine.state() not in ACTIVE_STATES:
            return   # before the start and after the seal nothing is reported
        try:
            self.engine.report_event(type_, severity, detail)
        except Exception as e:  # noqa: BLE001 - monitoring never stops the exam
            log.warning("proctoring event %s not recorded: %r", type_, e)
