"""The phone in the exam: a status light for the header (a button: it opens the re-pair dialog) and that
dialog (a new one-time code and the live picture), which never blocks the paper: the time keeps running."""
from __future__ import annotations

from typing import Any, Optional

from client.exam.api import PhoneLink, PhoneStatus
from client.qt import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget
from client.ui.common import button, label
from client.ui.phone.feed import PhoneFeed
from client.ui.phone.live_view import PhoneLiveView
from client.ui.phone.pairing import PhonePairingPanel
from client.ui.phone.texts import short_state, trouble_message

COLOURS = {"good": "#2f6b3f", "warn": "#b25e09", "bad": "#b42318", "off": "#52606d"}


class PhoneLight(QPushButton):
    """● Phone: live / page hidden / feed stopped …; pressing it opens the re-pair dialog."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("phoneLight")
        self.level = "off"
        self.set_status(PhoneStatus())

    def set_status(self, status: PhoneStatus) -> None:
        text, level = short_state(status)
        self.level = level
        self.setText("● " + text)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(self.text()) + 32)   # the padding, never clipped
        self.setProperty("level", level)
        self.setAccessibleName(text + " — " + self.tr("press to pair the phone again"))
        self.setToolTip(trouble_message(status) or self.tr("Press to pair the phone again"))
        self.setStyleSheet("QPushButton#phoneLight { color: white; background: %s; border: 0; border-radius: 10px;"
                           " padding: 4px 12px; } QPushButton#phoneLight:focus { border: 2px solid white; }"
                           % COLOURS[level])


class PhonePairDialog(QDialog):
    """A new code and the phone's live picture, beside the paper (not modal)."""

    def __init__(self, link: PhoneLink, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("phonePairDialog")
        self.setWindowTitle(self.tr("Second camera (phone)"))
        self.setModal(False)
        box = QVBoxLayout(self)
        box.addWidget(label(self.tr("Scan the new code with your phone, put the phone back behind you to one side "
                                    "(45°, at least 1.5 m), and check the picture below. The exam time keeps running."),
                            "phonePairIntro"))
        row = QHBoxLayout()
        self.panel = PhonePairingPanel(link, compact=True)
        row.addWidget(self.panel, 1)
        self.view = PhoneLiveView()
        row.addWidget(self.view, 2)
        box.addLayout(row, 1)
        self.state = label("", "phonePairState")
        box.addWidget(self.state)
        close = button(self.tr("Back to the paper"), "phonePairClose")
        close.clicked.connect(self.close)
        box.addWidget(close)
        self.feed = PhoneFeed(link, analyse=False, parent=self)
        self.feed.frame.connect(self.view.set_frame)
        self.feed.status.connect(self.on_status)
        self.resize(860, 420)

    def on_status(self, status: Any) -> None:
        self.panel.on_status(status)
        text, level = short_state(status)
        self.state.setText(trouble_message(status) or text)
        self.view.set_verdict({"good": "pass", "warn": "warn"}.get(level, "fail"))

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.feed.start()
        if self.panel.pairing is None or self.panel.remaining_s() <= 0 or self.panel.used:
            self.panel.request()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self.feed.stop()
        self.panel.stop()
        super().closeEvent(event)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self.feed.stop()
        super().hideEvent(event)
