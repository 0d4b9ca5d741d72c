"""The phone's live picture, large, so the candidate can adjust the angle, and the placement guide beside it
(a top view: the phone behind the candidate to one side at 45°, at least 1.5 m away, desk and screen in view)."""
from __future__ import annotations

from typing import Any, Optional

from client.qt import (
    QColor,
    QFont,
    QImage,
    QPainter,
    QPen,
    QPointF,
    QRectF,
    QSize,
    QSizePolicy,
    Qt,
    QWidget,
    enum_int,
)
from client.ui.common import picture_at_top

GOOD, AMBER, BAD, INK = QColor("#1b7f4b"), QColor("#b25e09"), QColor("#b42318"), QColor("#1f2933")


class PhoneLiveView(QWidget):
    """The newest frame, aspect kept, a coloured frame for the verdict, a message band over the picture."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("phoneLiveView")
        self.setMinimumSize(QSize(360, 203))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.image: Optional[QImage] = None
        self.message = ""
        self.verdict = "warn"
        self.frames_shown = 0
        self.setAccessibleName(self.tr("The phone's live picture"))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(640, 360)

    def set_frame(self, image: Any) -> None:
        if isinstance(image, QImage) and not image.isNull():
            self.image = image
            self.frames_shown += 1
            self.update()

    def clear(self) -> None:
        self.image = None
        self.update()

    def set_message(self, text: str) -> None:
        self.message = text
        self.update()

    def set_verdict(self, status: str) -> None:
        self.verdict = status
        self.update()

    def picture_rect(self) -> QRectF:
        return picture_at_top(float(self.width()), float(self.height()), self.image)

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            r = self.picture_rect()
            p.fillRect(r, QColor("#101418"))     # the rest is the page's own background
            if self.image is not None:
                p.drawImage(r, self.image)
                pen = QPen({"pass": GOOD, "warn": AMBER}.get(self.verdict, BAD))
                pen.setWidthF(4.0)
                p.setPen(pen)
                p.drawRect(r.adjusted(2, 2, -2, -2))
            if self.message:
                band_h = max(44.0, r.height() * 0.16)
                band = QRectF(r.x(), r.bottom() - band_h, r.width(), band_h)
                p.fillRect(band, QColor(0, 0, 0, 170))
                p.setPen(QColor("white"))
                flags = enum_int(Qt.AlignmentFlag.AlignCenter) | enum_int(Qt.TextFlag.TextWordWrap)
                p.drawText(band.adjusted(10, 4, -10, -4), flags, self.message)
        finally:
            p.end()


class PlacementGuide(QWidget):
    """Top view of the room: desk and screen, the candidate, the phone behind to one side at 45°, ≥ 1.5 m."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("phonePlacementGuide")
        self.setMinimumSize(QSize(200, 150))
        self.setAccessibleName(self.tr("Where the phone goes: behind you to one side at 45°, at least 1.5 m away"))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(280, 200)

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.fillRect(self.rect(), QColor("white"))
            s = min(self.width() / 320.0, self.height() / 220.0)
            p.translate((self.width() - 320 * s) / 2, (self.height() - 220 * s) / 2)
            p.scale(s, s)
            view = [QPointF(236, 192), QPointF(60, 34), QPointF(150, 26)]
            p.setPen(QPen(QColor(31, 111, 209, 130), 1, Qt.PenStyle.DashLine))
            p.setBrush(QColor(31, 111, 209, 30))
            p.drawPolygon(view)
            p.setPen(QPen(QColor("#8a97a6"), 1))
            p.setBrush(QColor("#e8ecf1"))
            p.drawRoundedRect(QRectF(50, 20, 150, 44), 4, 4)            # the desk
            p.setBrush(QColor("#14365f"))
            p.drawRoundedRect(QRectF(92, 26, 66, 8), 2, 2)              # the screen
            p.setBrush(QColor("#f2c9a0"))
            p.drawEllipse(QPointF(125, 92), 13, 13)                     # the candidate, seen from above
            p.setBrush(QColor("#5a7fa8"))
            p.drawRoundedRect(QRectF(99, 108, 52, 22), 8, 8)
            p.setPen(QPen(AMBER, 1.3, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(125, 92), QPointF(236, 192))
            p.setPen(QPen(QColor("#8a97a6"), 1, Qt.PenStyle.DotLine))
            p.drawLine(QPointF(125, 132), QPointF(125, 210))
            p.setPen(QPen(AMBER, 1.3))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawArc(QRectF(125 - 62, 92 - 62, 124, 124), -90 * 16, 48 * 16)   # from straight back to the phone
            font = QFont(self.font())
            font.setPixelSize(12)
            p.setFont(font)
            p.setPen(AMBER)
            p.drawText(QPointF(140, 172), "45°")
            p.save()
            p.translate(190, 138)
            p.rotate(42)
            p.drawText(QPointF(-4, -6), "≥ 1.5 m")
            p.restore()
            p.save()
            p.translate(236, 192)
            p.rotate(-138)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(INK)
            p.drawRoundedRect(QRectF(-15, -8, 30, 16), 3, 3)            # the phone, camera towards the candidate
            p.setBrush(QColor("#7fb2ff"))
            p.drawEllipse(QPointF(10, 0), 3, 3)
            p.restore()
        finally:
            p.end()
