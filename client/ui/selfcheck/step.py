"""One step of the self-check wizard: a page with its title, its large verdict, the items that matter and
the details on demand. Subclasses measure (off the GUI thread) and call finish(results).

The wizard's bar at the bottom asks the page what its buttons say (primary(), secondary()), so each
page has exactly one main action: start the check, or go on once it has a result. A page that is
added to the wizard (a second camera, say) is one more subclass: see wizard.default_steps().
(Texts of this base class use QCoreApplication.translate("CheckPage", ...): self.tr would look them up
under each subclass's name.)"""
from __future__ import annotations

from typing import Any, List, Optional, Tuple

from client.monitor.results import CheckResult, bad, worst
from client.qt import QCoreApplication, QHBoxLayout, QLabel, QVBoxLayout, QWidget, Signal
from client.ui import theme
from client.ui.selfcheck.names import AREA_NAMES
from client.ui.selfcheck.verdict import Details, IssueList, VerdictPanel, problems, text_of


def not_run(area: str) -> CheckResult:
    return bad("%s.not_run" % area, "fail", None, "这项检测没有完成。", "This check was not completed.",
               "请返回完成这项检测。", "Go back and complete this check.")


class CheckPage(QWidget):
    completed = Signal(object)      # List[CheckResult]
    actionsChanged = Signal()       # the bar's buttons should be asked again

    area = ""                       # the checks' id prefix: "camera" for camera.*
    KEY_CHECKS: Tuple[str, ...] = ()   # shown in plain words when everything passed
    auto_start = True               # start() when the page is shown (False: the candidate starts it)

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("selfcheck_%sPage" % self.area)
        self.results: List[CheckResult] = []
        self.busy = False
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(12)
        top = QHBoxLayout()
        self.title = QLabel("")
        self.title.setObjectName("selfcheck_%sTitle" % self.area)
        theme.scaled(self.title, 1.35, bold=True)
        top.addWidget(self.title)
        top.addStretch(1)
        self.top = top                  # pages put their device choice here, beside the title
        self.box.addLayout(top)
        self.intro = QLabel("")
        self.intro.setObjectName("selfcheck_%sIntro" % self.area)
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet("color: %s;" % theme.MUTED)
        self.box.addWidget(self.intro)
        self.verdict = VerdictPanel("selfcheck_%sVerdict" % self.area)
        self.issues = IssueList("selfcheck_%sIssues" % self.area)
        self.details = Details("selfcheck_%s" % self.area)
        self.list = self.details.list    # every result (QListWidget), ids in Qt.UserRole

    # -- what a page says ------------------------------------------------------------------------
    def area_name(self) -> str:
        return text_of(*AREA_NAMES.get(self.area, (self.area, self.area)))

    def set_texts(self, title: str, intro: str) -> None:
        self.title.setText(title)
        self.intro.setText(intro)

    def result_column(self) -> QVBoxLayout:
        """The verdict, the items that matter and the details, as one column for the page's layout."""
        column = QVBoxLayout()
        column.setSpacing(12)
        column.addWidget(self.verdict)
        column.addWidget(self.issues)
        column.addWidget(self.details, 10)
        column.addStretch(1)
        self.column = column
        return column

    def status(self) -> str:
        return worst(r.status for r in self.results) if self.results else "fail"

    def headline(self, status: str, results: List[CheckResult]) -> Tuple[str, str]:
        """(large verdict, the line under it) for a status."""
        area = self.area_name()
        n = len([r for r in problems(results) if r.status == status])
        if status == "pass":
            return (QCoreApplication.translate("CheckPage", "%1: all good").replace("%1", area),
                    QCoreApplication.translate("CheckPage", "Every check of this step passed."))
        if status == "skip":
            return (QCoreApplication.translate("CheckPage", "%1 works; %n item(s) could not be measured", "", n).replace("%1", area),
                    QCoreApplication.translate("CheckPage", "Nothing failed; what could not be measured is listed below."))
        if status == "warn":
            return (QCoreApplication.translate("CheckPage", "%1 works, but %n item(s) need attention", "", n).replace("%1", area),
                    QCoreApplication.translate("CheckPage", "You may go on; fixing these first is better for your exam."))
        return (QCoreApplication.translate("CheckPage", "%1 is not ready: %n problem(s) to fix", "", n).replace("%1", area),
                QCoreApplication.translate("CheckPage", "Follow the advice below, then check again."))

    def show_busy(self, text: str) -> None:
        self.busy = True
        self.verdict.set_state("busy", text)
        self.issues.show_items([])
        self.actionsChanged.emit()

    def show_results(self, results: List[CheckResult]) -> None:
        status = worst(r.status for r in results) if results else "fail"
        self.verdict.set_state(status, *self.headline(status, list(results)))
        self.issues.show_items(results, self.KEY_CHECKS)
        self.details.fill(results)

    def finish(self, results: List[CheckResult]) -> None:
        self.results = list(results)
        self.busy = False
        self.show_results(self.results)
        self.completed.emit(list(self.results))
        self.actionsChanged.emit()

    # -- the wizard's bar ------------------------------------------------------------------------
    def primary(self) -> Tuple[str, bool]:
        """The page's main button: (text, enabled). Pressing it calls on_primary()."""
        return QCoreApplication.translate("CheckPage", "Next"), not self.busy

    def on_primary(self) -> bool:
        """True when the wizard should move on to the next step."""
        return True

    def secondary(self) -> Tuple[str, bool]:
        """A second, plainer button ("" hides it)."""
        return "", False

    def on_secondary(self) -> bool:
        """True when the wizard should move on (a skipped step is recorded as not run)."""
        return False

    def not_run_results(self) -> List[CheckResult]:
        """What a step left (or skipped) without a result records: a failure (a page may say otherwise)."""
        return [not_run(self.area)]

    def start(self) -> None: ...
    def stop(self) -> None: ...

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.actionsChanged.emit()
