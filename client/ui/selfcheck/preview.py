"""The live camera preview with the framing guide drawn over it: an oval where the face belongs and
the shoulder line, green when the picture is right, amber/red when not; detected faces outlined."""
from __future__ import annotations

from typing import Any, List, Optional, Tuple

from client.monitor.frame_analysis import GUIDE
from client.qt import QColor, QImage, QPainter, QPen, QRectF, QSize, QSizePolicy, Qt, QWidget, enum_int
from client.ui.common import picture_at_top

GOOD = QColor("#1b7f4b")
AMBER = QColor("#b25e09")
BAD = QColor("#b42318")


class CameraPreview(QWidget):
    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("selfcheck_cameraPreview")
        self.setMinimumSize(QSize(320, 180))
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)   # 16:9: the legend sits right under the picture
        self.setSizePolicy(policy)
        self.image: Optional[QImage] = None
        self.faces: List[Tuple[float, float, float, float]] = []
        self.guide_status = "warn"
        self.message = ""
        self.frames_shown = 0

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(640, 360)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return width * 9 // 16

    def set_frame(self, image: Any) -> None:
        self.image = image
        self.frames_shown += 1
        self.update()

    def set_analysis(self, faces: List[Tuple[float, float, float, float]], guide_status: str) -> None:
        self.faces = list(faces)
        self.guide_status = guide_status
        self.update()

    def set_message(self, text: str) -> None:
        self.message = text
        self.update()

    def picture_rect(self) -> QRectF:
        return picture_at_top(float(self.width()), float(self.height()), self.image)

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            r = self.picture_rect()
            p.fillRect(r, QColor("#101418"))
            if self.image is not None and not self.image.isNull():
                p.drawImage(r, self.image)
            colour = {"pass": GOOD, "warn": AMBER}.get(self.guide_status, BAD)
            pen = QPen(colour)
            pen.setWidthF(max(2.0, r.width() / 200.0))
            pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            g = GUIDE
            ow = g.face_w * r.width()
            oh = ow * g.face_h_per_w  # a face is taller than wide, whatever the frame aspect
            p.drawEllipse(QRectF(r.x() + g.face_cx * r.width() - ow / 2, r.y() + g.face_cy * r.height() - oh / 2,
                                 ow, oh))
            y = r.y() + g.shoulders_y * r.height()
            p.drawLine(int(r.x() + 0.18 * r.width()), int(y), int(r.x() + 0.82 * r.width()), int(y))
            pen.setStyle(Qt.PenStyle.SolidLine)
            p.setPen(pen)
            for x, fy, fw, fh in self.faces:
                p.drawRect(QRectF(r.x() + x * r.width(), r.y() + fy * r.height(), fw * r.width(), fh * r.height()))
            if self.message:  # on a dark band: readable over a bright window or a white wall
                flags = enum_int(Qt.AlignmentFlag.AlignHCenter) | enum_int(Qt.AlignmentFlag.AlignVCenter) | enum_int(Qt.TextFlag.TextWordWrap)
                band = QRectF(r.x(), r.bottom() - max(44.0, r.height() * 0.16), r.width(),
                              max(44.0, r.height() * 0.16))
                p.fillRect(band, QColor(0, 0, 0, 170))
                p.setPen(QColor("white"))
                p.drawText(band.adjusted(10, 4, -10, -4), flags, self.message)
        finally:
            p.end()
