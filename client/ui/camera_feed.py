"""A live camera thumbnail for the exam header: frames from any FrameSource (a real camera, or the demo's
recorded video) read on a worker thread and handed to the GUI thread as QImages a few times a second."""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Optional

from client.qt import QImage, QObject, Signal

log = logging.getLogger(__name__)


class CameraFeed(QObject):
    frame = Signal(object)      # QImage
    stopped = Signal(str)       # why

    def __init__(self, source: Any, fps: float = 5.0, parent: Optional[QObject] = None,
                 raw_sink: Optional[Callable[[Any], Any]] = None) -> None:
        super().__init__(parent)
        self.source = source
        # every frame also goes to the exam monitor (one reader per camera); it must never block
        self.raw_sink = raw_sink
        self.interval = 1.0 / max(0.5, fps)
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def start(self) -> "CameraFeed":  # noqa: UP037
        self._thread = threading.Thread(target=self._run, name="camera-thumb", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)

    def _run(self) -> None:
        try:
            self.source.open()
        except Exception as e:  # noqa: BLE001 - no thumbnail, the exam goes on
            log.warning("camera thumbnail unavailable: %r", e)
            self.stopped.emit(str(e))
            return
        last = 0.0
        try:
            while not self._stop.is_set():
                frame = self.source.read()
                if frame is None:
                    self.stopped.emit("end")
                    return
                if self.raw_sink is not None:
                    try:
                        self.raw_sink(frame)
                    except Exception as e:  # noqa: BLE001 - the thumbnail keeps running
                        log.warning("camera monitor refused a frame: %r", e)
                now = time.monotonic()
                if now - last < self.interval:
                    continue
                last = now
                self.frame.emit(to_qimage(frame))
        finally:
            try:
                self.source.close()
            except Exception:  # noqa: BLE001
                pass


def to_qimage(bgr: Any) -> QImage:
    """A BGR numpy frame as an independent QImage (copied: the buffer is reused by the reader)."""
    rgb = bgr[:, :, ::-1].copy()
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
