"""The navigator grid: one cell per question, showing answered, unanswered, flagged and current."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from client.qt import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget, Signal
from client.ui import theme
from examcore.paper import Paper, is_answered

COLUMNS = 5


class NavigatorGrid(QWidget):
    jump = Signal(int)

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigator")
        self.cells: List[QPushButton] = []
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
        legend = QLabel(self.tr("Green: answered · Orange border: flagged · Blue: current"))
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
            cell = QPushButton(str(i + 1))
            cell.setObjectName("navCell_%d" % (i + 1))
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
            bg, fg, border = ("#ffffff", theme.INK, theme.LINE)
            if answered:
                bg, border = "#d7ecdf", "#7cc09a"
            if i == current:
                bg, fg = theme.ACCENT, "white"
            if flagged:
                border = theme.AMBER
            look = (bg, fg, flagged, border)
            if cell.property("look") == repr(look):
                continue  # restyling is the costly part: only cells whose state changed
            cell.setProperty("look", repr(look))
            cell.setStyleSheet("QPushButton { background: %s; color: %s; border: %dpx solid %s; border-radius: 5px;"
                               " min-width: 36px; min-height: 32px; padding: 0; }"
                               " QPushButton:focus { border: 2px solid #0b2e5c; }"
                               % (bg, fg, 3 if flagged else 1, border))
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
