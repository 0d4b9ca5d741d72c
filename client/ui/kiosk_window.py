"""The exam window as the lockdown sees it (client.lockdown.KioskWindow), made safe to call from the
lockdown's threads: the native handle is read once on the GUI thread, focus state is kept up to date
by Qt's signals, and bring_to_front() is queued to the GUI thread. Also the kiosk window flags, and
the number of screens for systems where only the toolkit knows it."""
from __future__ import annotations

from typing import Any, Optional

from client.qt import QGuiApplication, QObject, Qt, QTimer, Signal


def apply_kiosk_flags(widget: Any) -> None:
    """Frameless, full screen and top-most on the primary display (call before show)."""
    widget.setWindowFlags(widget.windowFlags() | Qt.WindowType.FramelessWindowHint
                          | Qt.WindowType.WindowStaysOnTopHint)
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        widget.setGeometry(screen.geometry())


def clear_kiosk_flags(widget: Any) -> None:
    """After the exam: an ordinary window again (setWindowFlags hides it, so it is shown again)."""
    visible = widget.isVisible()
    widget.setWindowFlags(widget.windowFlags() & ~(Qt.WindowType.FramelessWindowHint
                                                   | Qt.WindowType.WindowStaysOnTopHint))
    if visible:
        widget.show()


class ScreenCount(QObject):
    """len(QGuiApplication.screens()), kept by Qt's screen signals so other threads may read it."""

    def __init__(self) -> None:
        super().__init__()
        app = QGuiApplication.instance()
        self._count = len(QGuiApplication.screens())
        if isinstance(app, QGuiApplication):
            app.screenAdded.connect(self._update)
            app.screenRemoved.connect(self._update)

    def _update(self, _screen: Any = None) -> None:
        # on screenRemoved the screen may still be listed: count once the event has been handled
        QTimer.singleShot(0, self._recount)

    def _recount(self) -> None:
        self._count = len(QGuiApplication.screens())

    def __call__(self) -> Optional[int]:
        return self._count


class QtKioskWindow(QObject):
    _raise = Signal()

    def __init__(self, widget: Any) -> None:
        super().__init__(widget)
        self.widget = widget
        self._handle = int(widget.winId())       # creates the native window; GUI thread only
        self._active = bool(widget.isActiveWindow())
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(self._focus_changed)
        self._raise.connect(self._bring_to_front)   # queued when emitted from another thread

    def native_handle(self) -> int:
        return self._handle

    def is_active(self) -> bool:
        return self._active

    def bring_to_front(self) -> None:
        self._raise.emit()

    def _focus_changed(self, window: Any) -> None:
        self._active = window is not None   # any window of ours (the exam or its dialogs) has the focus

    def _bring_to_front(self) -> None:
        w = self.widget
        if w.isMinimized():
            w.showNormal()
        w.raise_()
        w.activateWindow()
