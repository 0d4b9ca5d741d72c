"""The steps whose check needs no help from the candidate: network and computer. Each runs in the
background when its page is shown and shows its verdict; the camera and microphone steps are
camera_page.py and mic_page.py."""
from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List, Optional, Tuple

from client.monitor.results import CheckResult, bad
from client.qt import QCoreApplication, QGuiApplication, QHBoxLayout, QLabel, QLineEdit, QWidget
from client.ui import theme
from client.ui.common import button
from client.ui.selfcheck.step import CheckPage
from client.ui.selfcheck.workers import TaskWorker

log = logging.getLogger(__name__)


class TaskPage(CheckPage):
    """A page whose check runs by itself in the background (texts: context "TaskPage", see step.py)."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.worker = TaskWorker(self)
        self.worker.done.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)

    def layout_rest(self) -> None:
        self.box.addLayout(self.result_column(), 1)

    def job(self) -> Optional[Callable[[], List[CheckResult]]]:
        """The check to run; None when it cannot run yet (the page says why)."""
        raise NotImplementedError

    def start(self) -> None:
        if self.worker.running:
            return
        job = self.job()
        if job is None:
            return
        self.show_busy(QCoreApplication.translate("TaskPage", "Checking…"))
        self.worker.run(job, "selfcheck-" + self.area)

    def stop(self) -> None:
        self.worker.wait(0.1)

    def _on_done(self, results: List[CheckResult]) -> None:
        self.finish(results)

    def _on_failed(self, message: str) -> None:
        self._on_done([bad("%s.error" % self.area, "warn", message, "这项检测没有完成。", "This check did not finish.",
                           "请重新检测。", "Please check again.")])

    def secondary(self) -> Tuple[str, bool]:
        return QCoreApplication.translate("TaskPage", "Check again"), not self.worker.running

    def on_secondary(self) -> bool:
        self.start()
        return False


class NetworkPage(TaskPage):
    area = "network"
    KEY_CHECKS = ("network.server", "network.latency", "network.upload", "network.link")

    def __init__(self, server_url: str = "", parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.set_texts(self.tr("Network"), self.tr(
            "We measure the delay to the exam server and how fast you can upload. A wired connection is best."))
        row = QHBoxLayout()
        self.url = QLineEdit(server_url)
        self.url.setObjectName("selfcheck_serverUrl")
        self.url.setAccessibleName(self.tr("Exam server address"))
        self.url.setPlaceholderText("https://")
        self.url.textChanged.connect(lambda _t: self.actionsChanged.emit())
        row.addWidget(QLabel(self.tr("Exam server:")))
        row.addWidget(self.url, 1)
        self.box.addLayout(row)
        self.not_configured = QLabel(self.tr(
            "No exam server is configured on this computer. Type the address from your admission notice, then "
            "press Check."))
        self.not_configured.setObjectName("selfcheck_serverMissing")
        self.not_configured.setWordWrap(True)
        self.not_configured.setStyleSheet("color: %s;" % theme.AMBER)
        self.box.addWidget(self.not_configured)
        self.not_configured.setVisible(not server_url)   # (after it has a parent: never a window of its own)
        self.layout_rest()

    def job(self) -> Optional[Callable[[], List[CheckResult]]]:
        from client.monitor.network_check import run_network_check

        url = self.url.text().strip()
        self.not_configured.setVisible(not url)
        if not url:
            self.verdict.set_state("skip", self.tr("Network not checked yet"),
                                   self.tr("The exam server's address is needed for this check."))
            self.actionsChanged.emit()
            return None
        return lambda: run_network_check(url)

    def secondary(self) -> Tuple[str, bool]:
        if not self.results and not self.worker.running:
            return self.tr("Check"), bool(self.url.text().strip())
        return super().secondary()


class SystemPage(TaskPage):
    area = "system"
    KEY_CHECKS = ("system.os", "system.disk", "system.displays", "system.processes")

    def __init__(self, policy: Optional[Dict[str, Any]] = None, data_dir: Any = None,
                 display_count: Optional[Callable[[], Optional[int]]] = None, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.set_texts(self.tr("Computer"), self.tr(
            "We check the computer: system, free disk, power, displays, remote sessions and programs that are "
            "not allowed during the exam."))
        self.policy = policy
        self.data_dir = data_dir
        self.display_count = display_count or (lambda: len(QGuiApplication.screens()))
        self.layout_rest()
        self.close_programs = button(self.tr("Close these programs"), "selfcheck_closePrograms")
        self.close_programs.setToolTip(self.tr("Unsaved work in these programs will be lost."))
        self.close_programs.clicked.connect(self._close_programs)
        self.column.insertWidget(2, self.close_programs)   # under the items that name them
        self.close_programs.setVisible(False)
        self.busy_note = QLabel("")
        self.busy_note.setObjectName("selfcheck_systemBusy")
        self.box.addWidget(self.busy_note)

    def job(self) -> Callable[[], List[CheckResult]]:
        from client.monitor.system_check import run_system_check

        displays = self.display_count()  # Qt screens: read here, on the GUI thread
        return lambda: run_system_check(self.policy, displays=lambda: displays, data_dir=self.data_dir)

    def forbidden(self) -> List[Dict[str, Any]]:
        for r in self.results:
            if r.id == "system.processes" and r.status != "pass":
                return list(r.value or [])
        return []

    def finish(self, results: List[CheckResult]) -> None:
        super().finish(results)
        found = self.forbidden()
        self.close_programs.setVisible(bool(found))
        if found:
            names = sorted({str(f["name"]) for f in found})
            self.close_programs.setText(self.tr("Close these programs: %1").replace("%1", ", ".join(names)))

    def _close_programs(self) -> None:
        from client.monitor.processes import close_processes

        pids = [int(f["pid"]) for f in self.forbidden()]
        self.close_programs.setEnabled(False)
        self.busy_note.setText(self.tr("Closing programs…"))
        closer = self._closer = TaskWorker(self)
        closer.done.connect(self._after_closing)
        closer.failed.connect(self._after_closing)

        def close_then_nothing() -> List[CheckResult]:
            close_processes(pids)
            return []

        closer.run(close_then_nothing, "selfcheck-close")

    def _after_closing(self, _result: Any = None) -> None:
        self.close_programs.setEnabled(True)
        self.busy_note.setText("")
        self.start()  # check again: the list shows what is still running
