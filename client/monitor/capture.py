"""CameraCapture: one reader thread per camera, fanning each frame out to its subscribers (the header
thumbnail, the on-device analysis, the evidence buffer). No Qt.

Subscribers are called on the reader thread and must not block (hand the frame over and return).
A camera that fails to open or stops delivering is reported through `on_status(status, reason)` and
reopened every `retry_s`, so capture recovers by itself when the camera comes back. Reasons of
`lost`: the CameraError code when it cannot be opened (camera.busy: there but held by another
program or sending nothing; camera.missing / file.missing), `ended` when a stream stops. A camera
that stops without saying so (read() hangs) is the pipeline's to notice: no frame for stall_s.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Protocol

import numpy as np

from client.monitor.camera_source import FrameSource

log = logging.getLogger(__name__)

FrameCallback = Callable[[np.ndarray, float], None]   # (BGR frame, monotonic seconds)
LIVE, LOST, OFF = "live", "lost", "off"


class FrameFeed(Protocol):
    """What a consumer of camera frames needs: subscribe at a rate, unsubscribe with the returned call."""

    def subscribe(self, callback: FrameCallback, max_fps: float = 0.0) -> Callable[[], None]: ...


@dataclass
class _Subscriber:
    callback: FrameCallback
    interval: float
    last: float = -1e9


class CameraCapture:
    def __init__(self, source_factory: Callable[[], FrameSource], fps: float = 15.0, retry_s: float = 2.0,
                 on_status: Optional[Callable[[str, str], None]] = None,
                 present: Optional[Callable[[], bool]] = None) -> None:
        """`present()`: whether the device is still listed by the system (tells unplugged from taken)."""
        self.source_factory = source_factory
        self.interval = 1.0 / max(0.5, fps)
        self.retry_s = retry_s
        self.on_status = on_status
        self.present = present
        self.status = OFF
        self.reason = ""
        self.frames = 0
        self.last_frame_at: Optional[float] = None
        self._subs: Dict[int, _Subscriber] = {}
        self._next_id = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def configure(self, fps: float, retry_s: float) -> None:
        """The policy's capture rate and reopening interval (before start())."""
        self.interval = 1.0 / max(0.5, fps)
        self.retry_s = retry_s

    def subscribe(self, callback: FrameCallback, max_fps: float = 0.0) -> Callable[[], None]:
        with self._lock:
            key = self._next_id
            self._next_id += 1
            self._subs[key] = _Subscriber(callback, 1.0 / max_fps if max_fps > 0 else 0.0)

        def unsubscribe() -> None:
            with self._lock:
                self._subs.pop(key, None)
        return unsubscribe

    def _present(self) -> bool:
        try:
            return bool(self.present and self.present())
        except Exception:  # noqa: BLE001 - no answer: assume it is there (the busier reading)
            log.debug("camera presence unknown", exc_info=True)
            return True

    def start(self) -> CameraCapture:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="camera-capture", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._set_status(OFF, "stopped")

    def _set_status(self, status: str, why: str) -> None:
        if status == self.status and (status != LOST or why == self.reason):
            return
        self.status, self.reason = status, why
        log.info("camera %s (%s)", status, why)
        if self.on_status is not None:
            try:
                self.on_status(status, why)
            except Exception:  # noqa: BLE001 - a broken listener must not stop the camera
                log.exception("camera status listener failed")

    def _run(self) -> None:
        while not self._stop.is_set():
            source = self.source_factory()
            try:
                source.open()
            except Exception as e:  # noqa: BLE001 - missing, busy or unreadable: retry later
                code = getattr(e, "code", "") or repr(e)
                if code == "camera.busy" and self.present is not None and not self._present():
                    code = "camera.missing"     # it does not open because it is not there, not because it is held
                self._set_status(LOST, code)
                self._stop.wait(self.retry_s)
                continue
            try:
                self._read_until_lost(source)
            finally:
                try:
                    source.close()
                except Exception:  # noqa: BLE001
                    log.debug("camera close failed", exc_info=True)
            if not self._stop.is_set():
                self._stop.wait(self.retry_s)

    def _read_until_lost(self, source: FrameSource) -> None:
        next_at = time.monotonic()
        while not self._stop.is_set():
            frame = source.read()
            if frame is None:
                self._set_status(LOST, "ended")
                return
            self._set_status(LIVE, "frames arrive")
            self.frames += 1
            now = time.monotonic()
            self.last_frame_at = now
            self._fan_out(frame, now)
            next_at = max(next_at + self.interval, now)
            delay = next_at - time.monotonic()
            if delay > 0:
                self._stop.wait(delay)

    def _fan_out(self, frame: np.ndarray, now: float) -> None:
        with self._lock:
            # 5% slack: at 15 fps a 5 fps subscriber gets every third frame despite a millisecond of jitter
            due: List[_Subscriber] = [s for s in self._subs.values() if now - s.last >= s.interval * 0.95]
            for s in due:
                s.last = now
        for s in due:
            try:
                s.callback(frame, now)
            except Exception:  # noqa: BLE001 - one consumer's failure must not starve the others
                log.exception("camera subscriber failed")
