"""The wizard's check pages: microphone (level meter, quiet room, read a sentence aloud), network and
system (the camera page is camera_page.py). Each page runs its check off the GUI thread and
emits `completed(list)` with its CheckResults."""
from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List, Optional

from client.monitor.audio_analysis import SENTENCE_EN, SENTENCE_ZH, meter_fraction
from client.monitor.results import CheckResult, worst
from client.qt import (
    QColor,
    QComboBox,
    QGuiApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from client.ui.selfcheck.workers import MicWorker, TaskWorker

log = logging.getLogger(__name__)
ICON = {"pass": "✔", "warn": "!", "fail": "✘"}
COLOUR = {"pass": "#1b7f4b", "warn": "#b25e09", "fail": "#b42318"}


def text_of(zh: str, en: str) -> str:
    try:
        from client.ui.language import bilingual

        return bilingual(zh, en)
    except Exception:  # noqa: BLE001 - the language module is optional for the wizard
        return zh or en


def result_line(r: CheckResult) -> str:
    line = "%s  %s" % (ICON[r.status], text_of(r.message_zh, r.message_en))
    fix = text_of(r.fix_zh, r.fix_en)
    return line + ("\n     → " + fix if r.status != "pass" and fix else "")


def fill_results(widget: QListWidget, results: List[CheckResult]) -> None:
    widget.clear()
    for r in results:
        item = QListWidgetItem(result_line(r))
        item.setForeground(QColor(COLOUR[r.status]))
        item.setData(256, r.id)  # Qt.UserRole: the check id, for tests and automation
        widget.addItem(item)


class CheckPage(QWidget):
    completed = Signal(object)   # List[CheckResult]

    area = ""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("selfcheck_%sPage" % self.area)
        self.results: List[CheckResult] = []
        self.box = QVBoxLayout(self)
        self.title = QLabel("")
        self.title.setObjectName("selfcheck_%sTitle" % self.area)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.intro = QLabel("")
        self.intro.setObjectName("selfcheck_%sIntro" % self.area)
        self.intro.setWordWrap(True)
        self.box.addWidget(self.title)
        self.box.addWidget(self.intro)
        self.list = QListWidget()
        self.list.setObjectName("selfcheck_%sResults" % self.area)
        self.list.setAccessibleName(self.tr("Check results"))
        self.list.setWordWrap(True)

    def set_texts(self, title: str, intro: str) -> None:
        self.title.setText(title)
        self.intro.setText(intro)

    def status(self) -> str:
        return worst(r.status for r in self.results) if self.results else "fail"

    def finish(self, results: List[CheckResult]) -> None:
        self.results = list(results)
        fill_results(self.list, self.results)
        self.completed.emit(list(self.results))

    def start(self) -> None: ...
    def stop(self) -> None: ...


class MicrophonePage(CheckPage):
    area = "microphone"

    def __init__(self, audio_factory: Optional[Callable[[], Any]] = None, floor_s: float = 2.0,
                 speech_s: float = 6.0, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.set_texts(self.tr("Microphone"), self.tr(
            "First stay quiet for a moment so we can hear your room, then read the sentence aloud."))
        self.audio_factory = audio_factory
        self.floor_s, self.speech_s = floor_s, speech_s
        row = QHBoxLayout()
        self.devices = QComboBox()
        self.devices.setObjectName("selfcheck_micDevice")
        self.devices.setAccessibleName(self.tr("Microphone"))
        row.addWidget(QLabel(self.tr("Microphone:")))
        row.addWidget(self.devices, 1)
        self.box.addLayout(row)
        self.meter = QProgressBar()
        self.meter.setObjectName("selfcheck_micLevel")
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setAccessibleName(self.tr("Microphone level"))
        self.box.addWidget(self.meter)
        self.instruction = QLabel(self.tr("Press Start when you are ready."))
        self.instruction.setObjectName("selfcheck_micInstruction")
        self.instruction.setWordWrap(True)
        self.sentence = QLabel("%s\n%s" % (SENTENCE_ZH, SENTENCE_EN))
        self.sentence.setObjectName("selfcheck_micSentence")
        self.sentence.setWordWrap(True)
        font = self.sentence.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.sentence.setFont(font)
        self.sentence.setVisible(False)
        self.box.addWidget(self.instruction)
        self.box.addWidget(self.sentence)
        self.box.addWidget(self.list, 1)
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.setObjectName("selfcheck_micStart")
        self.start_button.clicked.connect(self.start)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        self.box.addLayout(buttons)
        self.worker = MicWorker(self)
        self.worker.level.connect(lambda db: self.meter.setValue(int(meter_fraction(db) * 100)))
        self.worker.phase.connect(self._on_phase)
        self.worker.done.connect(self._on_done)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.devices.count() == 0:  # PortAudio starts only when the page is first shown
            self._fill_devices()

    def _fill_devices(self) -> None:
        self.devices.clear()
        if self.audio_factory is not None:
            self.devices.addItem(self.tr("Recorded sound"), None)
            return
        from client.monitor.mic_check import list_input_devices

        for d in list_input_devices():
            self.devices.addItem(d["name"] + ("  " + self.tr("(default)") if d["default"] else ""), d["index"])
        if self.devices.count() == 0:
            self.devices.addItem(self.tr("Default microphone"), None)

    def start(self) -> None:
        if self.worker.running:
            return
        self.start_button.setEnabled(False)
        self.list.clear()
        self.instruction.setText(self.tr("Starting the microphone…"))
        audio = self.audio_factory() if self.audio_factory else None
        self.worker.start(device=self.devices.currentData(), audio=audio, floor_s=self.floor_s, speech_s=self.speech_s)

    def stop(self) -> None:
        self.worker.stop()

    def _on_phase(self, phase: str) -> None:
        if phase == "floor":
            self.instruction.setText(self.tr("Please stay quiet: listening to your room…"))
        elif phase == "speech":
            self.instruction.setText(self.tr("Now read this sentence aloud at normal volume:"))
            self.sentence.setVisible(True)

    def _on_done(self, results: List[CheckResult]) -> None:
        self.sentence.setVisible(False)
        self.meter.setValue(0)
        self.start_button.setEnabled(True)
        self.start_button.setText(self.tr("Check again"))
        self.instruction.setText(self.tr("Done."))
        self.finish(results)


class TaskPage(CheckPage):
    """A page whose check needs no interaction: runs in the background when started."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.worker = TaskWorker(self)
        self.worker.done.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self.run_button = QPushButton(self.tr("Check again"))
        self.run_button.setObjectName("selfcheck_%sRun" % self.area)
        self.run_button.clicked.connect(self.start)
        self.busy = QLabel("")
        self.busy.setObjectName("selfcheck_%sBusy" % self.area)

    def layout_rest(self) -> None:
        self.box.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.busy, 1)
        row.addWidget(self.run_button)
        self.box.addLayout(row)

    def job(self) -> Callable[[], List[CheckResult]]:
        raise NotImplementedError

    def start(self) -> None:
        if self.worker.running:
            return
        self.run_button.setEnabled(False)
        self.busy.setText(self.tr("Checking…"))
        self.worker.run(self.job(), "selfcheck-" + self.area)

    def stop(self) -> None:
        self.worker.wait(0.1)

    def _on_done(self, results: List[CheckResult]) -> None:
        self.run_button.setEnabled(True)
        self.busy.setText("")
        self.finish(results)

    def _on_failed(self, message: str) -> None:
        from client.monitor.results import bad

        self._on_done([bad("%s.error" % self.area, "warn", message, "这项检测没有完成。", "This check did not finish.",
                           "请重新检测。", "Please check again.")])


class NetworkPage(TaskPage):
    area = "network"

    def __init__(self, server_url: str = "", parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.set_texts(self.tr("Network"), self.tr(
            "We measure the delay to the exam server and how fast you can upload. A wired connection is best."))
        row = QHBoxLayout()
        self.url = QLineEdit(server_url)
        self.url.setObjectName("selfcheck_serverUrl")
        self.url.setAccessibleName(self.tr("Exam server address"))
        row.addWidget(QLabel(self.tr("Exam server:")))
        row.addWidget(self.url, 1)
        self.box.addLayout(row)
        self.layout_rest()

    def job(self) -> Callable[[], List[CheckResult]]:
        from client.monitor.network_check import run_network_check

        url = self.url.text().strip()
        return lambda: run_network_check(url)


class SystemPage(TaskPage):
    area = "system"

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
        self.close_programs = QPushButton(self.tr("Close these programs"))
        self.close_programs.setObjectName("selfcheck_closePrograms")
        self.close_programs.setToolTip(self.tr("Unsaved work in these programs will be lost."))
        self.close_programs.setVisible(False)
        self.close_programs.clicked.connect(self._close_programs)
        self.box.addWidget(self.close_programs)

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
        self.busy.setText(self.tr("Closing programs…"))
        closer = self._closer = TaskWorker(self)
        closer.done.connect(self._after_closing)
        closer.failed.connect(self._after_closing)

        def close_then_nothing() -> List[CheckResult]:
            close_processes(pids)
            return []

        closer.run(close_then_nothing, "selfcheck-close")

    def _after_closing(self, _result: Any = None) -> None:
        self.close_programs.setEnabled(True)
        self.start()  # check again: the list shows what is still running
