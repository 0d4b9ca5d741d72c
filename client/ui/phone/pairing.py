"""The pairing panel: a one-time QR code for the phone, how long it still works, a button for a new one, and
what to do on the phone. Used by the self-check's second-camera step, the waiting room and the exam's
re-pair dialog. The code is fetched off the GUI thread; it is greyed once used or expired."""
from __future__ import annotations

import time
from typing import Any, Optional

from client.exam.api import PhoneLink, PhonePairing, PhoneStatus
from client.qt import QHBoxLayout, QLabel, QTimer, QVBoxLayout, QWidget, Signal
from client.ui import language
from client.ui.bridge import run_in_background
from client.ui.common import button, label
from client.ui.phone.qr import QrCodeView

CLAIMED = ("connecting", "live", "hidden", "frozen", "stopped")


class PhonePairingPanel(QWidget):
    paired = Signal(object)      # PhonePairing, once shown

    def __init__(self, link: PhoneLink, compact: bool = False, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("phonePairingPanel")
        self.link = link
        self.pairing: Optional[PhonePairing] = None
        self._shown_at = 0.0
        self.used = False
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.qr = QrCodeView()
        if compact:
            self.qr.setMinimumSize(150, 150)
        box.addWidget(self.qr, 1)
        self.expiry = label("", "phoneQrExpiry")
        box.addWidget(self.expiry)
        self.steps = label(self.tr("Scan the code with the phone's camera (or WeChat / a browser). On the page "
                                   "that opens, tap “Start the camera” and allow the camera."), "phoneQrSteps")
        box.addWidget(self.steps)
        self.steps.setVisible(not compact)   # after it has a parent: a parentless widget shown is a window
        self.url = QLabel("")
        self.url.setObjectName("phoneQrUrl")
        self.url.setWordWrap(True)
        self.url.setStyleSheet("color: #52606d; font-size: 11px;")
        box.addWidget(self.url)
        self.url.setVisible(not compact)
        self.warning = label("", "phoneQrWarning")
        self.warning.setStyleSheet("color: #b42318;")
        box.addWidget(self.warning)
        self.warning.hide()
        row = QHBoxLayout()
        self.new_code = button(self.tr("Show a new code"), "phoneNewCode")
        self.new_code.clicked.connect(self.request)
        row.addWidget(self.new_code)
        row.addStretch(1)
        box.addLayout(row)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)

    def request(self) -> None:
        """Ask the server for a fresh one-time code."""
        self.new_code.setEnabled(False)
        self.expiry.setText(self.tr("Getting a code from the exam server…"))
        run_in_background(self.link.pair_phone, self._got, self._failed)

    def _got(self, pairing: Any) -> None:
        self.new_code.setEnabled(True)
        self.pairing = pairing
        self.used = False
        self._shown_at = time.monotonic()
        self.qr.set_text(pairing.url)
        self.url.setText(pairing.url.split("#", 1)[0])   # the token stays in the code only
        if not pairing.url.startswith("https://"):
            self.warning.setText(self.tr("The exam server is not using HTTPS: phones give the camera only to "
                                         "secure pages. Ask the exam centre."))
            self.warning.show()
        else:
            self.warning.hide()
        self.tick()
        self.timer.start()
        self.paired.emit(pairing)

    def _failed(self, error: BaseException) -> None:
        self.new_code.setEnabled(True)
        self.expiry.setText(language.error_text(error))

    def remaining_s(self) -> float:
        if self.pairing is None:
            return 0.0
        return max(0.0, self.pairing.ttl_s - (time.monotonic() - self._shown_at))

    def on_status(self, status: PhoneStatus) -> None:
        """The server saw a phone claim this code: it is used up."""
        if self.pairing is not None and not self.used and status.pairing_id == self.pairing.pairing_id \
                and status.state in CLAIMED:
            self.used = True
            self.qr.set_dimmed(True)
            self.tick()

    def tick(self) -> None:
        if self.pairing is None:
            return
        left = self.remaining_s()
        if self.used:
            self.expiry.setText(self.tr("The phone is paired. To use another phone, press “Show a new code”."))
            self.timer.stop()
        elif left <= 0:
            self.qr.set_dimmed(True)
            self.expiry.setText(self.tr("This code has expired. Press “Show a new code”."))
            self.timer.stop()
        else:
            self.expiry.setText(self.tr("The code works once, for %1 more.")
                                .replace("%1", "%d:%02d" % (int(left) // 60, int(left) % 60)))

    def stop(self) -> None:
        self.timer.stop()
