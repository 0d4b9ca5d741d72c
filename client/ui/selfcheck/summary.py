"""The summary page: every check with its status, what was measured and the fix; a button per area
to run that area's checks again; Finish hands over the report."""
from __future__ import annotations

import json
from typing import Dict, List, Optional

from client.monitor.results import CheckResult, worst
from client.qt import (
    QColor,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from client.ui.selfcheck.pages import COLOUR, ICON, text_of

AREAS = ("camera", "microphone", "network", "system")


class SummaryPage(QWidget):
    rerunRequested = Signal(str)   # area
    finishRequested = Signal()

    def __init__(self, parent: Optional[QWidget] = None, areas: tuple = AREAS) -> None:
        super().__init__(parent)
        self.setObjectName("selfcheck_summaryPage")
        box = QVBoxLayout(self)
        self.title = QLabel(self.tr("Summary"))
        self.title.setObjectName("selfcheck_summaryTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.overall = QLabel("")
        self.overall.setObjectName("selfcheck_overall")
        self.overall.setWordWrap(True)
        box.addWidget(self.title)
        box.addWidget(self.overall)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("selfcheck_summaryTable")
        self.table.setHorizontalHeaderLabels([self.tr("Result"), self.tr("Check"), self.tr("What we found"),
                                              self.tr("What to do")])
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((96, 190, 330)):
            self.table.setColumnWidth(col, width)
        box.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.rerun: Dict[str, QPushButton] = {}
        labels = {"camera": self.tr("Check the camera again"), "microphone": self.tr("Check the microphone again"),
                  "network": self.tr("Check the network again"), "system": self.tr("Check the computer again"),
                  "phone": self.tr("Check the phone again")}
        for area in areas:
            b = QPushButton(labels[area])
            b.setObjectName("selfcheck_rerun_%s" % area)
            b.setVisible(False)
            b.clicked.connect(lambda _c=False, a=area: self.rerunRequested.emit(a))
            self.rerun[area] = b
            row.addWidget(b)
        row.addStretch(1)
        self.finish_button = QPushButton(self.tr("Finish"))
        self.finish_button.setObjectName("selfcheck_finish")
        self.finish_button.clicked.connect(self.finishRequested.emit)
        row.addWidget(self.finish_button)
        box.addLayout(row)

    def show_results(self, results: List[CheckResult]) -> None:
        rank = {"fail": 0, "warn": 1, "pass": 2}
        ordered = sorted(results, key=lambda r: rank[r.status])  # what needs doing first; stable within a status
        self.table.setRowCount(len(ordered))
        for i, r in enumerate(ordered):
            status = QTableWidgetItem("%s %s" % (ICON[r.status], {"pass": self.tr("pass"), "warn": self.tr("warning"),
                                                                   "fail": self.tr("failed")}[r.status]))
            status.setForeground(QColor(COLOUR[r.status]))
            status.setData(256, r.id)
            self.table.setItem(i, 0, status)
            self.table.setItem(i, 1, QTableWidgetItem(r.id))
            found = QTableWidgetItem(text_of(r.message_zh, r.message_en))
            found.setToolTip(json.dumps(r.value, ensure_ascii=False)[:300])  # the measured value, for support staff
            self.table.setItem(i, 2, found)
            self.table.setItem(i, 3, QTableWidgetItem(text_of(r.fix_zh, r.fix_en) if r.status != "pass" else ""))
        self.table.resizeRowsToContents()
        overall = worst(r.status for r in results) if results else "fail"
        self.overall.setText({
            "pass": self.tr("Everything is ready for the exam."),
            "warn": self.tr("You can take the exam, but please look at the warnings below."),
            "fail": self.tr("Some checks failed. Follow the advice and check again; failed checks are reported "
                            "to the exam centre."),
        }[overall])
        self.overall.setStyleSheet("color: %s;" % COLOUR[overall])
        for area, b in self.rerun.items():
            b.setVisible(any(r.area == area and r.status != "pass" for r in results))
