"""The navigator grid: one cell per question, showing answered, unanswered, flagged and current.

Each state has its own channel, so none hides another: the fill says answered (green) or not (white),
a blue frame says current, an amber corner says flagged, drawn over whatever the cell looks like.
Cells have a fixed size: nothing moves when a state changes."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from client.qt import (
    QColor,
    QGridLayout,
    QLabel,
    QPainter,
    QPen,
    QPointF,
    QPolygonF,
    QPushButton,
    QRectF,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from client.ui import theme
from examcore.paper import Paper, is_answered

COLUMNS = 5
CELL_W, CELL_H = 40, 34
FRAME_PX = 3   # the current question's frame


class NavCell(QPushButton):
    """A question number; `flagged` adds the amber corner mark on top of any look."""

    def __init__(self, number: int, parent: Optional[QWidget] = None) -> None:
        super().__init__(str(number), parent)
        self.setObjectName("navCell_%d" % number)
        self.setFixedSize(CELL_W, CELL_H)
        self.flagged = False
        self.current = False
        self.look: Optional[tuple] = None

    def set_look(self, answered: bool, current: bool, flagged: bool) -> bool:
        """Restyle only when the state changed (restyling is the costly part). True if it did."""
        look = (answered, current, flagged)
        if look == self.look:
            return False
        self.look = look
        self.flagged = flagged
        self.current = current
        bg, fg = (theme.GOOD, theme.CARD) if answered else (theme.CARD, theme.INK)
        frame = theme.ACCENT_DARK if current else (theme.GOOD if answered else theme.EDGE)
        width = FRAME_PX if current else 1   # the cell's size is fixed: a wider frame moves nothing
        self.setStyleSheet("QPushButton { background: %s; color: %s; border: %dpx solid %s; border-radius: 5px;"
                           " padding: 0; font-weight: %s; }"
                           " QPushButton:focus { border: %dpx solid %s; }"
                           % (bg, fg, width, frame, "bold" if current else "normal", FRAME_PX, theme.FOCUS))
        self.update()
        return True

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not (self.flagged or self.current):
            return
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            if self.current:   # a white line inside the blue frame: the frame stands out on a green cell too
                pen = QPen(QColor(theme.CARD))
                pen.setWidthF(1.5)
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(QRectF(FRAME_PX + 0.75, FRAME_PX + 0.75, self.width() - 2 * FRAME_PX - 1.5,
                                         self.height() - 2 * FRAME_PX - 1.5), 3, 3)
            if not self.flagged:
                return
            w = float(self.width())
            size = 13.0
            corner = QPolygonF([QPointF(w - size - 1, 1), QPointF(w - 1, 1), QPointF(w - 1, size + 1)])
            p.setPen(QColor(theme.CARD))          # a white edge keeps the mark visible on green and blue
            p.setBrush(QColor(theme.AMBER))
            p.drawPolygon(corner)
        finally:
            p.end()


class NavigatorGrid(QWidget):
    jump = Signal(int)

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigator")
        self.cells: List[NavCell] = []
        self.paper: Optional[Paper] = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel("")
        self.summary.setObjectName("navigatorSummary")
        self.summary.setWordWrap(True)
        box.addWidget(self.summary)
        self.grid = QGridLayout()
        self.grid.setSpacing(6)
        box.addLayout(self.grid)
        legend = QLabel(self.tr("Green: answered · Blue frame: current · Orange corner: flagged"))
        legend.setObjectName("navigatorLegend")
        legend.setWordWrap(True)
        legend.setStyleSheet("color: %s;" % theme.MUTED)
        box.addWidget(legend)

    def set_paper(self, paper: Paper) -> None:
        self.paper = paper
        for c in self.cells:
            c.setParent(None)
            c.deleteLater()
        self.cells = []
        for i, _q in enumerate(paper.questions):
            cell = NavCell(i + 1)
            cell.setProperty("cell", True)
            cell.clicked.connect(lambda _=False, i=i: self.jump.emit(i))
            self.grid.addWidget(cell, i // COLUMNS, i % COLUMNS)
            self.cells.append(cell)

    def refresh(self, current: int, answers: Dict[str, Any], flags: Dict[str, bool]) -> None:
        if self.paper is None:
            return
        done = 0
        for i, (q, cell) in enumerate(zip(self.paper.questions, self.cells)):
            answered = is_answered(q, answers.get(q.id))
            done += answered
            flagged = bool(flags.get(q.id))
            if not cell.set_look(answered, i == current, flagged):
                continue
            state = [self.tr("answered") if answered else self.tr("not answered")]
            if flagged:
                state.append(self.tr("flagged"))
            if i == current:
                state.append(self.tr("current"))
            cell.setAccessibleName(self.tr("Question %1: %2").replace("%1", str(i + 1))
                                   .replace("%2", self.tr(", ").join(state)))
            cell.setToolTip(cell.accessibleName())
        total = len(self.paper.questions)
        self.summary.setText(self.tr("Answered %1 of %2").replace("%1", str(done)).replace("%2", str(total)))
