"""Rules and consent: the exam's rules (from the certification scheme) and exactly what is recorded,
analysed, uploaded and deleted. The candidate ticks to continue; the consent goes on the record."""
from __future__ import annotations

from typing import Optional

from client.exam.api import ExamEngine
from client.qt import QHBoxLayout, QTextBrowser, QVBoxLayout, QWidget, Signal
from client.ui import language
from client.ui.common import Card, centered, label, primary_button
from client.ui.question_view import OptionCheck

CONSENT_VERSION = "rules-privacy/1"


class ConsentPage(QWidget):
    accepted = Signal()

    def __init__(self, engine: ExamEngine, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentPage")
        self.engine = engine
        card = Card()
        card.layout_.addWidget(label(self.tr("Exam rules and privacy"), "consentTitle", 1.5, bold=True))
        card.layout_.addWidget(label(self.tr("Please read this carefully. It tells you how to set up, how to "
                                             "behave during the exam, and what the client records."), "muted"))
        self.text = QTextBrowser()
        self.text.setObjectName("consentText")
        self.text.setAccessibleName(self.tr("Exam rules and privacy notice"))
        self.text.setOpenLinks(False)
        self.text.setHtml(self.rules_html())
        self.text.setMinimumHeight(360)
        card.layout_.addWidget(self.text, 1)
        self.agree = OptionCheck(self.tr("I have read the rules and agree to the recording and analysis "
                                       "described above."))
        self.agree.setObjectName("consentCheck")
        self.agree.setAccessibleName(self.tr("I agree"))
        card.layout_.addWidget(self.agree)
        self.error = label("", "consentError")
        self.error.hide()
        card.layout_.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        self.continue_button = primary_button(self.tr("Agree and continue"), "consentContinue")
        self.continue_button.setEnabled(False)
        row.addWidget(self.continue_button)
        card.layout_.addLayout(row)
        self.agree.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(centered(card, 860))

    def focus_first(self) -> None:
        self.agree.setFocus()

    def rules_html(self) -> str:
        def section(title: str, items: list) -> str:
            return "<h3>%s</h3><ul>%s</ul>" % (title, "".join("<li>%s</li>" % i for i in items))
        return "".join([
            section(self.tr("Equipment: two cameras"), [
                self.tr("Main device: this computer with an HD camera and a microphone, filming you from the "
                        "front. Your face and upper body must be in the middle of the picture and clearly visible."),
                self.tr("Second device: a phone behind you to one side at 45 degrees, at least 1.5 m away, "
                        "showing the room and your screen, with its microphone off."),
                self.tr("The phone: charged, screen recording, music and alarms off, never sleeping or locked; "
                        "reject calls."),
            ]),
            section(self.tr("The room"), [
                self.tr("Nothing within 1.5 m of your seat but your ID card: no books, papers or other devices."),
                self.tr("A room of your own, bright and quiet; no camera faces into the light (no backlight)."),
                self.tr("A stable network; a wired connection is recommended."),
            ]),
            section(self.tr("During the exam"), [
                self.tr("Do not turn your face aside or cover it (no covering the mouth, touching the nose, "
                        "resting the chin on a hand)."),
                self.tr("Do not switch away from the exam screen; no phone calls."),
                self.tr("Video monitoring must never be interrupted."),
                self.tr("The exam lasts 120 minutes by the server's clock; the time keeps running if your "
                        "computer or network fails. Your answers are saved on this computer as you go."),
            ]),
            section(self.tr("What is recorded, and where it goes"), [
                self.tr("Camera video and microphone sound are analysed on this computer only (face present, "
                        "one person, framing, light, voices). They are not streamed or uploaded as a whole."),
                self.tr("Only short clips of about 10 seconds around a flagged event, and occasional still "
                        "snapshots, are sent to the exam centre, encrypted in transit."),
                self.tr("Each clip or snapshot is deleted from this computer as soon as the server confirms it "
                        "received it intact."),
                self.tr("Your answers, the time of each answer, and exam events (such as leaving the exam "
                        "window) are sent to the exam centre."),
                self.tr("The proctors can send you messages and extra time; they see flagged events, not a "
                        "live feed of your room."),
            ]),
        ])

    def consent_text(self) -> str:
        return self.text.toPlainText()

    def submit(self) -> None:
        if not self.agree.isChecked():
            return
        text = self.consent_text()
        try:
            # a local journal write, no network: safe on the GUI thread
            self.engine.record_consent(CONSENT_VERSION, text)
        except Exception as e:  # noqa: BLE001 - shown to the candidate, never a crash
            self.error.setText(language.error_text(e))
            self.error.show()
            return
        self.accepted.emit()
