"""The microphone level meter: the live level on a labelled dB scale (-60 .. 0 dBFS), the room's noise
floor marked once it is measured, and the line the voice should reach while reading."""
from __future__ import annotations

from typing import Any, Optional

from client.monitor.audio_analysis import meter_fraction
from client.qt import QColor, QPainter, QPen, QRectF, QSize, QSizePolicy, Qt, QWidget, enum_int
from client.ui import theme

SCALE = (-60, -40, -20, 0)


class LevelMeter(QWidget):
    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("selfcheck_micLevel")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.level: Optional[float] = None      # dBFS
        self.floor: Optional[float] = None
        self.target: Optional[float] = None
        self.caption = "Level"                 # the page sets these in the UI's language
        self.floor_text = "noise %1 dB"
        self.target_text = "read up to here"
        self.unit = "dB"
        self.setFixedHeight(self.fontMetrics().height() * 2 + 30)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(480, self.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(240, self.height())

    def value(self) -> int:
        """0..100: how full the bar is."""
        return 0 if self.level is None else int(round(meter_fraction(self.level) * 100))

    def set_level(self, dbfs: Optional[float]) -> None:
        self.level = dbfs
        self._describe()
        self.update()

    def set_floor(self, dbfs: Optional[float], target: Optional[float] = None) -> None:
        self.floor = dbfs
        self.target = target
        self._describe()
        self.update()

    def _describe(self) -> None:
        parts = []
        if self.level is not None:
            parts.append("%.0f %s" % (self.level, self.unit))
        if self.floor is not None:
            parts.append(self.floor_text.replace("%1", "%.0f" % self.floor))
        text = self.caption + (": " + " · ".join(parts) if parts else "")
        self.setAccessibleName(text)
        self.setToolTip(text)

    def _x(self, bar: QRectF, dbfs: float) -> float:
        return bar.left() + meter_fraction(dbfs) * bar.width()

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            fm = p.fontMetrics()
            line_h = float(fm.height())
            bar = QRectF(2.0, line_h + 4.0, float(self.width()) - 4.0, 18.0)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(theme.TRACK))
            p.drawRoundedRect(bar, 5, 5)
            if self.level is not None and self.value() > 0:
                reached = self.target is not None and self.level >= self.target
                p.setBrush(QColor(theme.GOOD if reached else theme.ACCENT))
                p.drawRoundedRect(QRectF(bar.left(), bar.top(), meter_fraction(self.level) * bar.width(),
                                         bar.height()), 5, 5)
            left = enum_int(Qt.AlignmentFlag.AlignLeft) | enum_int(Qt.AlignmentFlag.AlignVCenter)
            centre = enum_int(Qt.AlignmentFlag.AlignHCenter) | enum_int(Qt.AlignmentFlag.AlignVCenter)
            if self.target is not None:     # above the bar: where the reading voice should get to
                x = self._x(bar, self.target)
                pen = QPen(QColor(theme.CARD))  # dark on a light edge: seen over the empty and the filled bar
                pen.setWidthF(5.0)
                p.setPen(pen)
                p.drawLine(int(x), int(bar.top() - 3), int(x), int(bar.bottom() + 3))
                pen = QPen(QColor(theme.INK))
                pen.setWidthF(2.0)
                p.setPen(pen)
                p.drawLine(int(x), int(bar.top() - 3), int(x), int(bar.bottom() + 3))
                p.setPen(QColor(theme.INK))
                w = float(fm.horizontalAdvance(self.target_text)) + 8
                p.drawText(QRectF(min(max(0.0, x - w / 2), self.width() - w), 0, w, line_h), centre, self.target_text)
            below = bar.bottom() + 4
            if self.floor is not None:      # under the bar: the room's noise floor
                x = self._x(bar, self.floor)
                pen = QPen(QColor(theme.AMBER))
                pen.setWidthF(3.0)
                p.setPen(pen)
                p.drawLine(int(x), int(bar.top() - 2), int(x), int(bar.bottom() + 2))
                text = self.floor_text.replace("%1", "%.0f" % self.floor)
                w = float(fm.horizontalAdvance(text)) + 8
                p.setPen(QColor(theme.AMBER))
                p.drawText(QRectF(min(max(0.0, x - w / 2), self.width() - w), below, w, line_h), centre, text)
            p.setPen(QColor(theme.MUTED))   # the scale, where no floor label covers it
            for db in SCALE:
                x = self._x(bar, db)
                text = "%d %s" % (db, self.unit)
                w = float(fm.horizontalAdvance(text)) + 4
                rect = QRectF(min(max(0.0, x - w / 2), self.width() - w), below, w, line_h)
                if self.floor is not None and abs(x - self._x(bar, self.floor)) < w:
                    continue
                p.drawText(rect, left if db == SCALE[0] else centre, text)
        finally:
            p.end()
