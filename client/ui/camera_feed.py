"""The header's live camera thumbnail: frames from the proctoring session's camera (a FrameFeed, Qt-free)
handed to the GUI thread as QImages a few times a second; and the session's notices (what the monitor
noticed, whether recording is on) handed to the GUI thread as queued signals."""
from __future__ import annotations

import logging
from typing import Any, Callable, Optional

from client.monitor.capture import FrameFeed
from client.proctoring.api import Notice, ProctoringListener, ProctoringView
from client.qt import QImage, QObject, Signal

log = logging.getLogger(__name__)


class CameraThumbnail(QObject):
    frame = Signal(object)      # QImage, queued to the GUI thread

    def __init__(self, feed: FrameFeed, fps: float = 5.0, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Optional[Callable[[], None]] = feed.subscribe(self._on_frame, fps)

    def _on_frame(self, frame: Any, t: float) -> None:   # on the capture thread
        self.frame.emit(to_qimage(frame))

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


class ProctoringNotices(QObject):
    notice = Signal(object)     # client.proctoring.api.Notice, queued to the GUI thread
    recording = Signal(bool)

    def __init__(self, view: ProctoringView, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        owner = self

        class _Relay(ProctoringListener):
            def on_notice(self, notice: Notice) -> None:     # on a worker thread
                owner.notice.emit(notice)

            def on_recording(self, recording: bool) -> None:
                owner.recording.emit(bool(recording))

        self._remove: Optional[Callable[[], None]] = view.add_listener(_Relay())
        self.recording_now = bool(view.recording)

    def close(self) -> None:
        if self._remove is not None:
            self._remove()
            self._remove = None


def to_qimage(bgr: Any) -> QImage:
    """A BGR numpy frame as an independent QImage (copied: the buffer is reused by the reader)."""
    rgb = bgr[:, :, ::-1].copy()
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
