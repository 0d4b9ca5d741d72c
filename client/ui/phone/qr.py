"""A QR code widget (segno, pure Python: the same on Windows 7 and 11). Painted module by module, so it
stays sharp at any size; the quiet zone is part of the picture so every phone camera can read it."""
from __future__ import annotations

from typing import Any, List, Optional

from client.qt import QColor, QPainter, QRectF, QSize, QSizePolicy, QWidget

QUIET = 4  # modules of white around the code (the standard's minimum)


def qr_matrix(text: str) -> List[List[bool]]:
    """The code's modules (True = dark), quiet zone included. Medium error correction survives glare."""
    import segno

    code = segno.make(text, error="m", micro=False)
    return [[bool(v) for v in row] for row in code.matrix_iter(scale=1, border=QUIET)]


class QrCodeView(QWidget):
    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("phoneQrCode")
        self.matrix: List[List[bool]] = []
        self.text = ""
        self.setMinimumSize(QSize(180, 180))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.dimmed = False

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(240, 240)

    def set_text(self, text: str) -> None:
        self.text = text
        self.matrix = qr_matrix(text) if text else []
        self.dimmed = False
        self.setAccessibleName(self.tr("QR code for the phone"))
        self.update()

    def set_dimmed(self, dimmed: bool) -> None:
        """An expired or used code stays visible but greyed, so nobody scans it."""
        self.dimmed = dimmed
        self.update()

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        try:
            p.fillRect(self.rect(), QColor("white"))
            n = len(self.matrix)
            if not n:
                return
            module = max(1, int(min(self.width(), self.height()) / n))
            size = module * n
            x0, y0 = (self.width() - size) // 2, (self.height() - size) // 2
            dark = QColor("#9aa5b1") if self.dimmed else QColor("black")
            for y, row in enumerate(self.matrix):
                for x, on in enumerate(row):
                    if on:
                        p.fillRect(QRectF(x0 + x * module, y0 + y * module, module, module), dark)
        finally:
            p.end()
