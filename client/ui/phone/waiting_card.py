"""The waiting room's second-camera card: the phone's state, a one-time QR code while no phone is live, and a
button that opens the live picture (to adjust the angle once more before the start)."""
from __future__ import annotations

from typing import Any, Optional

from client.exam.api import PhoneLink, PhoneStatus
from client.qt import QFrame, QHBoxLayout, QVBoxLayout, QWidget
from client.ui.common import button, label
from client.ui.phone.pairing import PhonePairingPanel
from client.ui.phone.status import PhoneLight, PhonePairDialog
from client.ui.phone.texts import trouble_message


class PhoneWaitingCard(QFrame):
    def __init__(self, link: PhoneLink, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("phoneWaitingCard")
        self.setStyleSheet("QFrame#phoneWaitingCard { border: 1px solid #d9e2ec; border-radius: 6px; }")
        self.link = link
        self.dialog: Optional[PhonePairDialog] = None
        row = QHBoxLayout(self)
        text = QVBoxLayout()
        text.addWidget(label(self.tr("Second camera (phone)"), "phoneWaitingTitle", 1.1, bold=True))
        self.light = PhoneLight()
        self.light.clicked.connect(self.open_live)
        text.addWidget(self.light)
        self.hint = label(self.tr("Keep the phone behind you to one side (45°, at least 1.5 m), sideways, charging, "
                                  "its page in front."), "phoneWaitingHint")
        text.addWidget(self.hint)
        self.live_button = button(self.tr("Check the phone's picture…"), "phoneWaitingLive")
        self.live_button.clicked.connect(self.open_live)
        text.addWidget(self.live_button)
        text.addStretch(1)
        row.addLayout(text, 2)
        self.panel = PhonePairingPanel(link, compact=True)
        row.addWidget(self.panel, 1)
        self.on_status(link.phone_status())

    def on_status(self, status: Any) -> None:
        s: PhoneStatus = status
        self.light.set_status(s)
        self.panel.on_status(s)
        live = s.state in ("live", "hidden", "frozen", "connecting")
        self.panel.setVisible(not live)
        self.hint.setText(trouble_message(s) or self.tr("Keep the phone behind you to one side (45°, at least 1.5 m), "
                                                        "sideways, charging, its page in front."))
        if not live and self.isVisible() and (self.panel.pairing is None or self.panel.remaining_s() <= 0):
            self.panel.request()

    def open_live(self) -> None:
        if self.dialog is None:
            self.dialog = PhonePairDialog(self.link, self.window())
        self.dialog.show()
        self.dialog.raise_()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.on_status(self.link.phone_status())

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self.panel.stop()
        if self.dialog is not None:
            self.dialog.close()
        super().hideEvent(event)
