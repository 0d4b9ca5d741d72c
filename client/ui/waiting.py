"""Waiting room: the formal sitting (level, attempt or retake, duration, countdown to the start), the
mock exam entry, and the documents entry for 中级/高级 candidates.

Once the formal exam has started its time runs whatever the candidate does, so the mock exam is no
longer offered and the page shows the formal time left instead of a countdown."""
from __future__ import annotations

import time
from typing import Any, List, Optional, Tuple

from client.exam.api import ExamEngine
from client.qt import QGridLayout, QHBoxLayout, QTimer, QVBoxLayout, QWidget, Signal
from client.ui import language, theme
from client.ui.common import Card, button, centered, fmt_duration, label, primary_button
from client.ui.phone.waiting_card import PhoneWaitingCard


def level_text(level: str) -> str:
    if language.is_chinese():
        return level
    return {"初级": "Junior (初级)", "中级": "Intermediate (中级)", "高级": "Senior (高级)"}.get(level, level)


class WaitingRoomPage(QWidget):
    startRequested = Signal(object)     # SittingInfo (formal)
    mockRequested = Signal(object)      # SittingInfo (mock)
    documentsRequested = Signal()

    def __init__(self, engine: ExamEngine, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("waitingPage")
        self.engine = engine
        self.formal: Optional[Any] = None
        self.mock: Optional[Any] = None
        self.ready = False  # consent and self-check done for the formal sitting
        card = Card()
        self.title = label(self.tr("Waiting room"), "waitingTitle", 1.5, bold=True)
        card.layout_.addWidget(self.title)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(8)
        self.values = {}
        rows = [("exam", self.tr("Exam")), ("level", self.tr("Level")), ("attempt", self.tr("Attempt")),
                ("duration", self.tr("Duration")), ("start", self.tr("Starts at"))]
        for i, (key, text) in enumerate(rows):
            self.grid.addWidget(label(text, "muted"), i, 0)
            value = label("", "waiting_" + key)
            self.values[key] = value
            self.grid.addWidget(value, i, 1)
        self.grid.setColumnStretch(1, 1)
        card.layout_.addLayout(self.grid)
        self.countdown = label("", "waitingCountdown", 2.2, bold=True)
        self.countdown.setAccessibleName(self.tr("Time until the exam starts"))
        card.layout_.addWidget(self.countdown)
        self.hint = label("", "waitingHint")
        card.layout_.addWidget(self.hint)
        self.phone_card = PhoneWaitingCard(engine)   # the second camera's QR code and state
        card.layout_.addWidget(self.phone_card)
        row = QHBoxLayout()
        self.documents_button = button(self.tr("Documents…"), "documentsButton")
        self.documents_button.clicked.connect(self.documentsRequested.emit)
        self.documents_button.hide()
        row.addWidget(self.documents_button)
        row.addStretch(1)
        self.mock_button = button(self.tr("Practice with the mock exam"), "mockButton")
        self.mock_button.clicked.connect(self._mock_clicked)
        row.addWidget(self.mock_button)
        self.start_button = primary_button(self.tr("Start the exam"), "startButton")
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(lambda: self.formal and self.startRequested.emit(self.formal))
        row.addWidget(self.start_button)
        card.layout_.addLayout(row)
        layout = QVBoxLayout(self)
        layout.addWidget(centered(card, 720))
        self.timer = QTimer(self)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self.tick)

    def set_sittings(self, sittings: List[Any], has_documents: bool = False) -> None:
        open_ = [s for s in sittings if s.status not in ("submitted", "ended")]
        self.formal = next((s for s in open_ if s.kind == "formal"), None)
        self.mock = next((s for s in open_ if s.kind == "mock"), None)
        self.mock_button.setVisible(self.mock is not None)   # tick() hides it once the formal exam has begun
        self.documents_button.setVisible(has_documents)
        self.phone_card.setVisible(self.formal is not None)
        s = self.formal or self.mock
        if s is None:
            self.values["exam"].setText(self.tr("No exam is scheduled for you now."))
            self.start_button.hide()
            return
        self.values["exam"].setText(s.title)
        self.values["level"].setText(level_text(s.level))
        attempt = self.tr("Retake (attempt %1)").replace("%1", str(s.attempt)) if s.retake else \
            self.tr("First attempt")
        self.values["attempt"].setText(attempt)
        self.values["duration"].setText(self.tr("%1 minutes").replace("%1", str(int(s.duration_s // 60))))
        self.values["start"].setText(time.strftime("%Y-%m-%d %H:%M", time.localtime(s.start_at_ms / 1000.0)))
        self.start_button.setVisible(self.formal is not None)
        self.tick()
        self.timer.start()

    def focus_first(self) -> None:
        target = self.start_button if self.start_button.isEnabled() else self.mock_button
        (target if target.isVisible() else self.start_button).setFocus()

    def set_ready(self, ready: bool) -> None:
        self.ready = ready
        self.tick()

    def _mock_clicked(self) -> None:
        if self.mock is not None and not self.formal_started():   # checked again at the click itself
            self.mockRequested.emit(self.mock)
        else:
            self.tick()

    def formal_times(self) -> Tuple[float, float]:
        """(seconds until the formal start, seconds of formal time left), by the server's clock."""
        assert self.formal is not None
        try:
            reading = self.engine.clock()   # the formal sitting's, once it is selected
            if reading.state == "not_started":
                return reading.until_start_s, float(self.formal.duration_s + self.formal.extension_s)
            return 0.0, reading.remaining_s
        except Exception:  # noqa: BLE001 - no clock before the sitting is selected: its times, server-corrected
            offset = self.engine.clock_offset_ms() or 0
            now_ms = time.time() * 1000 + offset
            deadline_ms = self.formal.start_at_ms + (self.formal.duration_s + self.formal.extension_s) * 1000
            return max(0.0, (self.formal.start_at_ms - now_ms) / 1000.0), max(0.0, (deadline_ms - now_ms) / 1000.0)

    def formal_started(self) -> bool:
        return self.formal is not None and self.formal_times()[0] <= 0

    def tick(self) -> None:
        if self.formal is None:
            self.countdown.setText("")
            return
        until, left = self.formal_times()
        sep = "" if language.is_chinese() else " "   # Chinese sentences follow each other without a space
        mock_open = self.mock is not None and until > 0
        self.mock_button.setVisible(mock_open)   # the mock would cost formal time once the exam has begun
        if until > 0:
            self.countdown.setText(self.tr("Starts in %1").replace("%1", fmt_duration(until)))
            self.countdown.setStyleSheet("")
            self.hint.setText(self.tr("The Start button unlocks at the start time.") + (sep + self.tr(
                "Meanwhile you may try the mock exam; submit it to come back here. The formal exam's time starts "
                "at its start time whatever you are doing.") if mock_open else ""))
        elif left > 0:
            self.countdown.setText(self.tr("The exam has started · %1 left").replace("%1", fmt_duration(left)))
            self.countdown.setStyleSheet("color: %s;" % theme.DANGER)
            self.hint.setText(self.tr("The formal exam's time is running now. Press Start.") + (sep + self.tr(
                "The mock exam is closed once the formal exam has started.") if self.mock is not None else ""))
        else:
            self.countdown.setText(self.tr("The exam time is over"))
            self.countdown.setStyleSheet("color: %s;" % theme.MUTED)
            self.hint.setText(self.tr("The time for this exam has run out. If you think this is wrong, call the "
                                      "exam centre."))
        self.start_button.setEnabled(self.ready and until <= 0 and left > 0)

    def hideEvent(self, event: Any) -> None:  # noqa: N802
        self.timer.stop()
        super().hideEvent(event)

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self.formal is not None:
            self.timer.start()
