"""The microphone step: which microphone, the sentence to read shown large, a labelled live level meter
with the room's noise floor marked, then the verdict. The candidate starts it (it asks for quiet, then
for the sentence); a computer without a microphone says so before anything is started."""
from __future__ import annotations

from typing import Any, Callable, List, Optional, Tuple

import numpy as np

from client.monitor.audio_analysis import SENTENCE_EN, SENTENCE_ZH, MicThresholds
from client.monitor.results import CheckResult
from client.qt import QComboBox, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget
from client.ui import theme
from client.ui.selfcheck.level_meter import LevelMeter
from client.ui.selfcheck.step import CheckPage
from client.ui.selfcheck.verdict import text_of
from client.ui.selfcheck.workers import MicWorker

FLOOR_PERCENTILE = 30   # as MicAnalysis.floor_level: the quieter part of the quiet phase


class MicrophonePage(CheckPage):
    area = "microphone"
    KEY_CHECKS = ("microphone.device", "microphone.noise_floor", "microphone.speech")
    auto_start = False      # it asks for quiet, then for reading: the candidate says when

    def __init__(self, audio_factory: Optional[Callable[[], Any]] = None, floor_s: float = 2.0,
                 speech_s: float = 6.0, audio_label: str = "", parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.set_texts(self.tr("Microphone"), self.tr(
            "Press Start, stay quiet for a moment so we can hear your room, then read the sentence below aloud."))
        self.audio_factory = audio_factory
        self.audio_label = audio_label
        self.floor_s, self.speech_s = floor_s, speech_s
        self.devices = QComboBox()
        self.devices.setObjectName("selfcheck_micDevice")
        self.devices.setAccessibleName(self.tr("Microphone"))
        self.devices.setMinimumWidth(280)
        self.top.addWidget(QLabel(self.tr("Microphone:")))
        self.top.addWidget(self.devices)
        self.no_microphone = False

        card = QFrame()
        card.setObjectName("selfcheck_micSentenceCard")
        self.sentence_card = card
        inner = QVBoxLayout(card)
        inner.setContentsMargins(20, 14, 20, 14)
        self.sentence_caption = QLabel(self.tr("Read this sentence aloud:"))
        self.sentence_caption.setObjectName("selfcheck_micSentenceCaption")
        zh_first = text_of("zh", "en") == "zh"
        self.sentence = QLabel(SENTENCE_ZH if zh_first else SENTENCE_EN)
        self.sentence.setObjectName("selfcheck_micSentence")
        self.sentence.setWordWrap(True)
        theme.scaled(self.sentence, 1.6, bold=True)
        self.sentence_other = QLabel(SENTENCE_EN if zh_first else SENTENCE_ZH)
        self.sentence_other.setObjectName("selfcheck_micSentenceOther")
        self.sentence_other.setWordWrap(True)
        for w in (self.sentence_caption, self.sentence, self.sentence_other):
            inner.addWidget(w)
        self.box.addWidget(card)
        self._highlight(False)

        self.instruction = QLabel(self.tr("Press Start when you are ready."))
        self.instruction.setObjectName("selfcheck_micInstruction")
        self.instruction.setWordWrap(True)
        theme.scaled(self.instruction, 1.15, bold=True)
        self.box.addWidget(self.instruction)
        meter_row = QHBoxLayout()
        caption = QLabel(self.tr("Level"))
        caption.setObjectName("selfcheck_micLevelCaption")
        meter_row.addWidget(caption)
        self.meter = LevelMeter()
        self.meter.caption = self.tr("Microphone level")
        self.meter.floor_text = self.tr("room noise %1 dB")
        self.meter.target_text = self.tr("your voice should pass this line")
        self.meter.set_level(None)
        meter_row.addWidget(self.meter, 1)
        self.level_value = QLabel("")
        self.level_value.setObjectName("selfcheck_micLevelValue")
        self.level_value.setMinimumWidth(64)
        meter_row.addWidget(self.level_value)
        self.box.addLayout(meter_row)
        self.box.addLayout(self.result_column(), 1)
        self.verdict.set_state("busy", self.tr("Not checked yet"), self.tr("Press Start to check the microphone."))

        self.worker = MicWorker(self)
        self.worker.level.connect(self._on_level)
        self.worker.phase.connect(self._on_phase)
        self.worker.done.connect(self._on_done)
        self.phase = ""
        self._floor_levels: List[float] = []

    def _highlight(self, on: bool) -> None:
        """The sentence card stands out while the candidate should read it."""
        border, bg = (theme.ACCENT, theme.INFO_BG) if on else (theme.LINE, theme.CARD)
        self.sentence_card.setStyleSheet("QFrame#selfcheck_micSentenceCard { background: %s; border: 2px solid %s;"
                                         " border-radius: 8px; } QFrame#selfcheck_micSentenceCard QLabel"
                                         " { background: transparent; border: none; }" % (bg, border))
        self.sentence_other.setStyleSheet("color: %s;" % theme.MUTED)
        self.sentence_caption.setStyleSheet("color: %s;" % theme.MUTED)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if self.devices.count() == 0:  # PortAudio starts only when the page is first shown
            self._fill_devices()
        super().showEvent(event)

    def _fill_devices(self) -> None:
        self.devices.clear()
        self.no_microphone = False
        if self.audio_factory is not None:
            self.devices.addItem(self.audio_label or self.tr("Recorded sound"), None)
            return
        from client.monitor.mic_check import device_result, list_input_devices

        devices = list_input_devices()
        for d in devices:
            self.devices.addItem(d["name"] + ("  " + self.tr("(default)") if d["default"] else ""), d["index"])
        if not devices:   # say so now: "default microphone" would be a promise nothing keeps
            self.no_microphone = True
            self.devices.addItem(self.tr("No microphone found"), None)
            self.finish([device_result([], None)])

    # -- the check ---------------------------------------------------------------------------------
    def start(self) -> None:
        if self.worker.running:
            return
        if self.no_microphone or self.devices.count() == 0:
            self._fill_devices()       # plugged in since? look again
            if self.no_microphone:
                return
        self.results = []
        self._floor_levels = []
        self.meter.set_floor(None)
        self.phase = "starting"
        self.show_busy(self.tr("Checking the microphone…"))
        self.instruction.setText(self.tr("Starting the microphone…"))
        audio = self.audio_factory() if self.audio_factory else None
        self.worker.start(device=self.devices.currentData(), audio=audio, floor_s=self.floor_s, speech_s=self.speech_s)

    def stop(self) -> None:
        self.worker.stop()

    def _on_level(self, db: float) -> None:
        self.meter.set_level(db)
        self.level_value.setText("%.0f dB" % db if db > -99 else "—")
        if self.phase == "floor":
            self._floor_levels.append(db)

    def _on_phase(self, phase: str) -> None:
        self.phase = phase
        if phase == "floor":
            self.instruction.setText(self.tr("1. Please stay quiet: listening to your room…"))
        elif phase == "speech":
            if self._floor_levels:
                floor = float(np.percentile(self._floor_levels, FLOOR_PERCENTILE))
                t = MicThresholds()
                self.meter.set_floor(floor, max(floor + t.speech_margin, t.speech_min_level))
            self.instruction.setText(self.tr("2. Now read the sentence above aloud, at your normal volume."))
            self._highlight(True)

    def _on_done(self, results: List[CheckResult]) -> None:
        self.phase = "done"
        self._highlight(False)
        self.meter.set_level(None)
        self.level_value.setText("")
        floor = next((r.value for r in results if r.id == "microphone.noise_floor"), None)
        if isinstance(floor, (int, float)):   # the measured floor replaces the live estimate
            t = MicThresholds()
            self.meter.set_floor(float(floor), max(float(floor) + t.speech_margin, t.speech_min_level))
        self.instruction.setText(self.tr("Done."))
        self.finish(results)

    # -- the bar -----------------------------------------------------------------------------------
    def primary(self) -> Tuple[str, bool]:
        if self.worker.running:
            return self.tr("Checking…"), False
        if not self.results:
            return self.tr("Start"), True
        return self.tr("Next"), True

    def on_primary(self) -> bool:
        if not self.results:
            self.start()
            return False
        return True

    def secondary(self) -> Tuple[str, bool]:
        if self.worker.running:
            return "", False
        if not self.results:
            return self.tr("Skip this step"), True
        return self.tr("Check again"), True

    def on_secondary(self) -> bool:
        if not self.results:
            return True       # skipped: the wizard records the step as not run
        self.start()
        return False
