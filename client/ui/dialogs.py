"""Framed modal dialogs: a bordered white card centred over its window, and a dimmed backdrop over the
window while it is open, so a question never looks like part of the page it covers. The dialog draws
its own frame (no window-manager decoration: the exam window is full screen and locked down)."""
from __future__ import annotations

from typing import Any, List, Optional

from client.qt import QColor, QDialog, QEvent, QFrame, QGridLayout, QPainter, Qt, QVBoxLayout, QWidget, Signal
from client.ui import theme
from client.ui.common import button, set_role


class Backdrop(QWidget):
    """Dims the whole window under a dialog (a child of the window, so it follows its size)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.host = window
        self.setObjectName("dialogBackdrop")
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.hide()

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt API
        if obj is self.host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.host.rect())
        return False

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        try:
            p.fillRect(self.rect(), QColor(*theme.BACKDROP))
        finally:
            p.end()


class FramedDialog(QDialog):
    """Subclasses fill `self.body` (a QVBoxLayout inside the framed card)."""

    def __init__(self, name: str, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent, Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint)
        self.setObjectName(name)
        self.setModal(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.card = QFrame()
        self.card.setObjectName(name + "Frame")
        # square corners: a top-level window cannot be transparent outside rounded ones everywhere
        self.card.setStyleSheet("QFrame#%sFrame { background: %s; border: 1px solid %s; border-top: 4px solid %s; }"
                                % (name, theme.CARD, theme.EDGE, theme.ACCENT))
        outer.addWidget(self.card)
        self.body = QVBoxLayout(self.card)
        self.body.setContentsMargins(28, 24, 28, 22)
        self.body.setSpacing(12)
        self.setStyleSheet("QDialog#%s { background: %s; }" % (name, theme.CARD))
        self.backdrop: Optional[Backdrop] = None

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        host = self.parentWidget()
        if host is not None:
            window = host.window()
            if self.backdrop is None:
                self.backdrop = Backdrop(window)
            self.backdrop.setGeometry(window.rect())
            self.backdrop.show()
            self.backdrop.raise_()
            self.adjustSize()
            centre = window.mapToGlobal(window.rect().center())
            self.move(centre.x() - self.width() // 2, centre.y() - self.height() // 2)
        super().showEvent(event)
        self.activateWindow()   # the keyboard goes to the question at once (Enter = its default button)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if self.backdrop is not None:
            self.backdrop.hide()
        super().hideEvent(event)

    def done(self, result: int) -> None:  # noqa: D401 - Qt API
        if self.backdrop is not None:
            self.backdrop.hide()
        super().done(result)


class NumberList(QWidget):
    """Question numbers as small buttons, ten to a row; `picked(number)` when one is clicked."""

    picked = Signal(int)

    def __init__(self, name: str, numbers: List[int], accessible: str, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(10, 1)   # a short list stays at the left
        self.buttons = []
        for i, n in enumerate(numbers):
            b = button(str(n), "%s_%d" % (name, n), accessible.replace("%1", str(n)))
            set_role(b, "link")
            b.setAutoDefault(False)
            b.clicked.connect(lambda _=False, n=n: self.picked.emit(n))
            grid.addWidget(b, i // 10, i % 10, Qt.AlignmentFlag.AlignLeft)
            self.buttons.append(b)
