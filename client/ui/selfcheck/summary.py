"""The summary step: whether the candidate may sit the exam, what to fix (each with a button to check
that step again), what the exam centre will see, and every result on demand."""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

from client.monitor.results import CheckResult, worst
from client.qt import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, Qt, QVBoxLayout, QWidget, Signal
from client.ui import theme
from client.ui.common import button
from client.ui.selfcheck.names import ICON, STATUS_NAMES
from client.ui.selfcheck.verdict import COLOUR, Details, IssueList, VerdictPanel, problems, text_of


class SummaryPage(QWidget):
    rerunRequested = Signal(str)   # area
    finishRequested = Signal()

    def __init__(self, areas: Sequence[Tuple[str, str]], for_exam: bool = False,
                 parent: Optional[QWidget] = None) -> None:
        """`areas`: (area, its name) of every step, in order."""
        super().__init__(parent)
        self.setObjectName("selfcheck_summaryPage")
        self.areas = list(areas)
        self.for_exam = for_exam
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(12)
        self.title = QLabel(self.tr("Your result"))
        self.title.setObjectName("selfcheck_summaryTitle")
        theme.scaled(self.title, 1.35, bold=True)
        box.addWidget(self.title)
        self.overall = VerdictPanel("selfcheck_overall")
        box.addWidget(self.overall)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        box.addLayout(columns, 1)

        left = QVBoxLayout()
        heading = QLabel(self.tr("What to fix"))
        heading.setObjectName("selfcheck_fixTitle")
        theme.scaled(heading, 1.1, bold=True)
        left.addWidget(heading)
        self.fix_area = QWidget()
        self.fix_area.setObjectName("selfcheck_fixList")
        self.fix_box = QVBoxLayout(self.fix_area)
        self.fix_box.setContentsMargins(0, 0, 8, 0)
        self.fix_box.setSpacing(10)
        scroll = QScrollArea()
        scroll.setObjectName("selfcheck_fixScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setStyleSheet("QScrollArea#selfcheck_fixScroll, QWidget#selfcheck_fixList { background: %s; }"
                             % theme.CARD)
        scroll.setWidget(self.fix_area)
        left.addWidget(scroll, 1)
        columns.addLayout(left, 3)

        right = QVBoxLayout()
        centre = QLabel(self.tr("What the exam centre will see"))
        centre.setObjectName("selfcheck_centreTitle")
        theme.scaled(centre, 1.1, bold=True)
        right.addWidget(centre)
        self.centre_text = QLabel("")
        self.centre_text.setObjectName("selfcheck_centreText")
        self.centre_text.setWordWrap(True)
        right.addWidget(self.centre_text)
        self.area_status: Dict[str, QLabel] = {}
        statuses = QVBoxLayout()
        statuses.setSpacing(4)
        for area, _name in self.areas:
            lbl = QLabel("")
            lbl.setObjectName("selfcheck_areaStatus_%s" % area)
            statuses.addWidget(lbl)
            self.area_status[area] = lbl
        right.addLayout(statuses)
        self.details = Details("selfcheck_summary")
        right.addWidget(self.details, 10)
        right.addStretch(1)
        columns.addLayout(right, 2)

        self.rerun: Dict[str, QPushButton] = {}
        self.issue_lists: Dict[str, IssueList] = {}
        self._blocks: List[QWidget] = []

    def rerun_text(self, name: str) -> str:
        return self.tr("Check the %1 again").replace("%1", name)

    def show_results(self, results: List[CheckResult]) -> None:
        overall = worst(r.status for r in results) if results else "fail"
        todo = problems(results)
        counts = {s: sum(1 for r in results if r.status == s) for s in ("pass", "skip", "warn", "fail")}
        n_fix = counts["warn"] + counts["fail"]
        if overall == "pass":
            head, sub = self.tr("You may sit the exam"), self.tr("Every check passed.")
        elif overall == "skip":
            head = self.tr("You may sit the exam")
            sub = self.tr("Nothing failed; %n item(s) could not be measured on this computer.", "", counts["skip"])
        elif overall == "warn":
            head = self.tr("You may sit the exam, but better fix %n item(s) first", "", n_fix)
            sub = self.tr("They are listed below with what to do.")
        else:
            head = self.tr("Not ready for the exam yet: %n problem(s) to fix", "", counts["fail"])
            sub = self.tr("Fix them and check again. If you cannot, you may still go on: the exam centre sees these "
                          "results and decides; call them if you are unsure.") if self.for_exam else \
                self.tr("Fix them and check again before the day of the exam.")
        self.overall.set_state(overall, head, sub)

        for w in self._blocks:
            w.setParent(None)
            w.deleteLater()
        self._blocks, self.rerun, self.issue_lists = [], {}, {}
        for area, name in self.areas:
            mine = [r for r in results if r.area == area]
            area_problems = [r for r in todo if r.area == area]
            status = worst(r.status for r in mine) if mine else "fail"
            self.area_status[area].setText("%s  %s：%s" % (ICON[status], name, text_of(*STATUS_NAMES[status])) if
                                           text_of("zh", "en") == "zh" else
                                           "%s  %s: %s" % (ICON[status], name, text_of(*STATUS_NAMES[status])))
            self.area_status[area].setStyleSheet("color: %s;" % COLOUR[status])
            if not area_problems:
                continue
            block = QFrame()
            block.setObjectName("selfcheck_fix_%s" % area)
            block.setStyleSheet("QFrame#selfcheck_fix_%s { border: 1px solid %s; border-radius: 8px; background: %s; }"
                                " QFrame#selfcheck_fix_%s QLabel { border: none; background: transparent; }"
                                % (area, theme.LINE, theme.CARD, area))
            inner = QVBoxLayout(block)
            inner.setContentsMargins(14, 10, 14, 10)
            title = QLabel("%s %s" % (ICON[status], name))
            title.setObjectName("selfcheck_fixArea_%s" % area)
            title.setStyleSheet("color: %s; font-weight: bold;" % COLOUR[status])
            inner.addWidget(title)
            issues = IssueList("selfcheck_fixItems_%s" % area)
            issues.LIMIT = 6
            issues.show_items(area_problems)
            inner.addWidget(issues)
            self.issue_lists[area] = issues
            if any(r.status in ("warn", "fail") for r in area_problems):
                again = button(self.rerun_text(name), "selfcheck_rerun_%s" % area)
                again.setAutoDefault(False)
                again.clicked.connect(lambda _c=False, a=area: self.rerunRequested.emit(a))
                inner.addWidget(again, 0, Qt.AlignmentFlag.AlignLeft)
                self.rerun[area] = again
            self.fix_box.addWidget(block)
            block.setVisible(True)
            self._blocks.append(block)
        if not todo:
            none = QLabel(self.tr("Nothing to fix."))
            none.setObjectName("selfcheck_fixNone")
            self.fix_box.addWidget(none)
            self._blocks.append(none)
        spacer = QWidget()
        self.fix_box.addWidget(spacer, 1)
        self._blocks.append(spacer)

        tally = self.tr("%1 passed · %2 need attention · %3 failed · %4 not measured").replace(
            "%1", str(counts["pass"])).replace("%2", str(counts["warn"])).replace("%3", str(counts["fail"])) \
            .replace("%4", str(counts["skip"]))
        if self.for_exam:
            text = self.tr("When you go on, this report goes to the exam centre with your exam record: each check's "
                           "result and what was measured (for example the camera's resolution or the network "
                           "delay). It holds no picture, video or sound.")
        else:
            text = self.tr("This report is kept on this computer only. On the day of the exam ExamDesk runs these "
                           "checks again and sends that report to the exam centre: each check's result and what was "
                           "measured, no picture, video or sound.")
        self.centre_text.setText(text + "\n" + tally)
        self.details.fill(sorted(results, key=lambda r: [a for a, _n in self.areas].index(r.area)
                                 if r.area in [a for a, _n in self.areas] else 99))
