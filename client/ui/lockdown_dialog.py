"""Before the exam starts: what the lockdown's preflight found that must be fixed first (a second display,
a remote session, forbidden programs running), each with its plain fix, and "Close these programs":
politely first; what stays open is ended only after the candidate agrees."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from client.proctoring.lockdown import LockdownControl
from client.qt import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    Qt,
    QWidget,
    Signal,
    enum_int,
    exec_dialog,
)
from client.ui import language
from client.ui.bridge import run_in_background
from client.ui.common import button, label, primary_button
from client.ui.dialogs import FramedDialog


def _text(zh: str, en: str) -> str:
    return zh if language.is_chinese() else en


class PreflightDialog(FramedDialog):
    ready = Signal()        # nothing blocks the start any more
    cancelled = Signal()

    def __init__(self, control: LockdownControl, preflight: Any, parent: Optional[QWidget] = None) -> None:
        super().__init__("preflightDialog", parent)   # framed, over the dimmed window
        self.control = control
        self.preflight = preflight
        self.setWindowTitle(self.tr("Before the exam starts"))
        self.setMinimumWidth(560)
        box = self.body
        box.setSpacing(10)
        box.addWidget(label(self.tr("Before the exam can start"), "preflightTitle", 1.3, bold=True))
        box.addWidget(label(self.tr("Fix what is listed below, then check again. Once the start time has "
                                    "passed, the exam time is running."), "preflightIntro"))
        self.issues = QListWidget()
        self.issues.setObjectName("preflightIssues")
        self.issues.setAccessibleName(self.tr("What must be fixed"))
        self.issues.setWordWrap(True)
        self.issues.setSpacing(6)
        box.addWidget(self.issues, 1)
        self.programs_title = label(self.tr("Programs that must be closed:"), "preflightProgramsTitle", bold=True)
        box.addWidget(self.programs_title)
        self.programs = QListWidget()
        self.programs.setObjectName("preflightPrograms")
        self.programs.setAccessibleName(self.tr("Programs that must be closed"))
        self.programs.setMaximumHeight(120)
        box.addWidget(self.programs)
        self.status = label("", "preflightStatus")
        box.addWidget(self.status)
        row = QHBoxLayout()
        self.cancel_button = button(self.tr("Back"), "preflightCancel")
        self.close_button = button(self.tr("Close these programs"), "preflightClose")
        self.recheck_button = primary_button(self.tr("Check again"), "preflightRecheck")
        self.cancel_button.clicked.connect(self._cancel)
        self.close_button.clicked.connect(self.close_programs)
        self.recheck_button.clicked.connect(self.recheck)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        row.addWidget(self.recheck_button)
        box.addLayout(row)
        self.show_preflight(preflight)
        self.recheck_button.setFocus()

    def show_preflight(self, pre: Any) -> None:
        self.preflight = pre
        self.issues.clear()
        for c in list(pre.blockers) + list(pre.warnings):
            item = QListWidgetItem("\u25cf %s\n    \u2192 %s" % (_text(c.message_zh, c.message_en),
                                                             _text(c.fix_zh, c.fix_en)))
            item.setData(Qt.ItemDataRole.UserRole, c.id)    # the check id, for tests and support
            self.issues.addItem(item)
        self.programs.clear()
        mine = [f for f in pre.programs if f.own_session]
        for f in mine:
            self.programs.addItem("%s  (%s, %d)" % (_text(f.program.label_zh, f.label), f.name, f.pid))
        self.programs_title.setVisible(bool(mine))
        self.programs.setVisible(bool(mine))
        self.close_button.setVisible(bool(mine))

    def _busy(self, text: str) -> None:
        self.status.setText(text)
        for b in (self.close_button, self.recheck_button):
            b.setEnabled(not text)

    def recheck(self) -> None:
        self._busy(self.tr("Checking…"))
        run_in_background(self.control.preflight, self._checked, self._failed)

    def _checked(self, pre: Any) -> None:
        self._busy("")
        self.show_preflight(pre)
        if pre.ok:
            self.accept()
            self.ready.emit()

    def _failed(self, error: BaseException) -> None:
        self._busy("")
        self.status.setText(language.error_text(error))

    def close_programs(self) -> None:
        mine = [f for f in self.preflight.programs if f.own_session]
        if not mine:
            return
        self._busy(self.tr("Closing programs…"))
        run_in_background(lambda: (mine, self.control.close_programs(mine)), self._closed, self._failed)

    def _closed(self, outcome: Any) -> None:
        findings, result = outcome
        self._busy("")
        alive = [f for f in findings if result.get(f.pid) == "alive"]
        if alive and self.ask_force(alive):
            self._busy(self.tr("Closing programs…"))
            run_in_background(lambda: self.control.close_programs(alive, force=True),
                              lambda r: self._after_force(r, findings), self._failed)
            return
        self._report(result, findings)
        self.recheck()

    def _after_force(self, result: Dict[int, str], findings: List[Any]) -> None:
        self._report(result, findings)
        self.recheck()

    def _report(self, result: Dict[int, str], findings: List[Any]) -> None:
        stuck = sorted({_text(f.program.label_zh, f.label) for f in findings if result.get(f.pid) in ("denied",
                                                                                                      "protected")})
        if stuck:
            self.status.setText(self.tr("Some programs could not be closed: %1. Close them yourself, or ask the exam "
                                        "centre for help.").replace("%1", ", ".join(stuck)))

    def ask_force(self, alive: List[Any]) -> bool:
        names = ", ".join(sorted({_text(f.program.label_zh, f.label) for f in alive}))
        box = QMessageBox(self)
        box.setObjectName("preflightForce")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Close programs"))
        box.setText(self.tr("These programs did not close: %1. End them now? Anything unsaved in them is lost.")
                    .replace("%1", names))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return exec_dialog(box) == enum_int(QMessageBox.StandardButton.Yes)

    def _cancel(self) -> None:
        self.reject()
        self.cancelled.emit()
