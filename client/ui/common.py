"""Small building blocks shared by the screens: a page frame, a card, labels and banners."""
from __future__ import annotations

from typing import Optional

from client.qt import (
    QFrame,
    QHBoxLayout,
    QImage,
    QLabel,
    QPushButton,
    QRectF,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from client.ui import theme


def label(text: str, name: str = "", factor: float = 1.0, bold: bool = False, wrap: bool = True) -> QLabel:
    w = QLabel(text)
    if name:
        w.setObjectName(name)
    w.setWordWrap(wrap)
    w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if factor != 1.0 or bold:
        theme.scaled(w, factor, bold)
    return w


def button(text: str, name: str, accessible: str = "") -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setAccessibleName(accessible or text)
    b.setAutoDefault(True)  # Enter on a focused button presses it
    return b


def primary_button(text: str, name: str, accessible: str = "") -> QPushButton:
    """The one main action of a screen (the stylesheet's QPushButton[role="primary"])."""
    b = button(text, name, accessible=accessible)
    set_role(b, "primary")
    return b


def set_role(widget: QWidget, role: str) -> None:
    """Restyle by the stylesheet's [role=...] rules (primary, link, or "" for a plain button)."""
    widget.setProperty("role", role)
    style = widget.style()
    if style is not None:   # a property change restyles only when the widget is polished again
        style.unpolish(widget)
        style.polish(widget)


class Card(QFrame):
    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(28, 24, 28, 24)
        self.layout_.setSpacing(12)


class Banner(QFrame):
    """A message strip that never blocks the screen below it (proctor messages, warnings)."""

    closed = Signal()

    def __init__(self, name: str = "banner", parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.text = QLabel("")
        self.text.setObjectName(name + "Text")
        self.text.setWordWrap(True)
        self.close_button = QPushButton(self.tr("Got it"))
        self.close_button.setObjectName(name + "Close")
        self.close_button.setAccessibleName(self.tr("Dismiss message"))
        self.close_button.clicked.connect(self.dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 8, 6)
        row.addWidget(self.text, 1)
        row.addWidget(self.close_button)
        self.setAccessibleName(self.tr("Message"))
        self.hide()

    def show_message(self, text: str, level: str = "info") -> None:
        self.setProperty("level", level)
        bg, border = {"warn": (theme.WARN_BG, theme.AMBER), "alert": (theme.ALERT_BG, theme.DANGER)}.get(
            level, (theme.INFO_BG, theme.ACCENT))
        self.setStyleSheet("QFrame#%s { background: %s; border: 1px solid %s; border-radius: 6px; }"
                           % (self.objectName(), bg, border))
        self.text.setText(text)
        self.text.setAccessibleName(text)
        self.show()

    def dismiss(self) -> None:
        self.hide()
        self.closed.emit()


def centered(widget: QWidget, max_width: int = 720) -> QWidget:
    """`widget` in the middle of a page, no wider than max_width."""
    page = QWidget()
    outer = QHBoxLayout(page)
    outer.addStretch(1)
    column = QVBoxLayout()
    column.addStretch(1)
    column.addWidget(widget)
    column.addStretch(2)
    widget.setMaximumWidth(max_width)
    outer.addLayout(column, 10)
    outer.addStretch(1)
    return page


def picture_at_top(width: float, height: float, image: Optional[QImage]) -> QRectF:
    """Where a camera picture is drawn in a widget: aspect kept (16:9 before the first frame), centred, at the top."""
    iw, ih = (16.0, 9.0) if image is None or image.isNull() else (float(image.width()), float(image.height()))
    s = min(width / iw, height / ih)
    return QRectF((width - iw * s) / 2, 0.0, iw * s, ih * s)


def fmt_duration(seconds: float) -> str:
    """Seconds as H:MM:SS (never negative)."""
    s = max(0, int(seconds + 0.999))  # round up: a countdown never shows 0 while time is left
    return "%d:%02d:%02d" % (s // 3600, (s % 3600) // 60, s % 60)
