"""Login screen: the configured server, ticket number, ID number and password, and the language button."""
from __future__ import annotations

from typing import Any, Optional

from client.exam.api import ExamEngine
from client.qt import QFormLayout, QHBoxLayout, QLineEdit, Qt, QVBoxLayout, QWidget, Signal
from client.ui import language
from client.ui.bridge import run_in_background
from client.ui.common import Card, button, centered, label, primary_button

CLOCK_SKEW_WARN_S = 120  # beyond this the PC clock is "badly wrong" (the exam still uses server time)


class LoginPage(QWidget):
    loggedIn = Signal(object)          # CandidateInfo
    languageRequested = Signal(str)    # "zh_CN" | "en"

    def __init__(self, engine: ExamEngine, server_url: str = "", demo_hint: str = "",
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginPage")
        self.engine = engine
        self._busy = False

        card = Card()
        top = QHBoxLayout()
        top.addWidget(label(self.tr("ExamDesk exam client"), "loginTitle", 1.7, bold=True), 1)
        other = "en" if language.is_chinese() else "zh_CN"
        self.language_button = button("English" if other == "en" else "中文", "languageButton",
                                      accessible=self.tr("Switch language"))
        self.language_button.clicked.connect(lambda: self.languageRequested.emit(other))
        top.addWidget(self.language_button, 0, Qt.AlignmentFlag.AlignTop)
        card.layout_.addLayout(top)
        card.layout_.addWidget(label(self.tr("Customer Contact Consultant vocational certification"),
                                     "muted"))

        form = QFormLayout()
        form.setSpacing(10)
        self.server_label = label(server_url or self.tr("(not configured)"), "serverAddress")
        self.server_label.setAccessibleName(self.tr("Exam server address"))
        form.addRow(self.tr("Exam server"), self.server_label)
        self.ticket = self._field("ticketInput", self.tr("Ticket number"))
        self.id_number = self._field("idNumberInput", self.tr("ID card number"))
        self.password = self._field("passwordInput", self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Ticket number"), self.ticket)
        form.addRow(self.tr("ID card number"), self.id_number)
        form.addRow(self.tr("Password"), self.password)
        card.layout_.addLayout(form)

        self.error = label("", "error")
        self.error.setObjectName("loginError")
        self.error.setStyleSheet("color: #b42318; background: #fdecea; border-radius: 6px; padding: 8px;")
        self.error.hide()
        card.layout_.addWidget(self.error)

        self.login_button = primary_button(self.tr("Log in"), "loginButton")
        self.login_button.clicked.connect(self.submit)
        card.layout_.addWidget(self.login_button)
        if demo_hint:
            hint = label(demo_hint, "demoHint")
            hint.setStyleSheet("color: #52606d; background: #e8f1fd; border-radius: 6px; padding: 8px;")
            card.layout_.addWidget(hint)

        for w in (self.ticket, self.id_number, self.password):
            w.returnPressed.connect(self.submit)
        QWidget.setTabOrder(self.ticket, self.id_number)
        QWidget.setTabOrder(self.id_number, self.password)
        QWidget.setTabOrder(self.password, self.login_button)
        QWidget.setTabOrder(self.login_button, self.language_button)
        layout = QVBoxLayout(self)
        layout.addWidget(centered(card, 560))

    def _field(self, name: str, accessible: str) -> QLineEdit:
        w = QLineEdit()
        w.setObjectName(name)
        w.setAccessibleName(accessible)
        w.setPlaceholderText(accessible)
        w.setMaxLength(64)
        return w

    def focus_first(self) -> None:
        self.ticket.setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setAccessibleName(text)
        self.error.show()

    def submit(self) -> None:
        if self._busy:
            return
        ticket, id_number, password = (self.ticket.text().strip(), self.id_number.text().strip().upper(),
                                       self.password.text())
        missing = [name for name, value in ((self.tr("ticket number"), ticket),
                                            (self.tr("ID card number"), id_number),
                                            (self.tr("password"), password)) if not value]
        if missing:
            self.show_error(self.tr("Please enter your %1.").replace("%1", self.tr(", ").join(missing)))
            return
        self._set_busy(True)
        run_in_background(lambda: self.engine.login(ticket, id_number, password), self._done, self._failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.login_button.setEnabled(not busy)
        self.language_button.setEnabled(not busy)  # the page is rebuilt on a switch: not mid-login
        self.login_button.setText(self.tr("Logging in…") if busy else self.tr("Log in"))

    def _done(self, candidate: Any) -> None:
        self._set_busy(False)
        self.error.hide()
        self.password.clear()
        self.loggedIn.emit(candidate)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        code = getattr(error, "code", "")
        details = getattr(error, "details", {}) or {}
        text = language.error_text(error)
        if code in ("auth.locked", "auth.throttled") and details.get("retry_after_s"):
            minutes = max(1, int((int(details["retry_after_s"]) + 59) // 60))
            text += "\n" + self.tr("Please try again in %n minute(s).", "", minutes)
        elif code in ("auth.invalid_credentials",):
            text += "\n" + self.tr("Check the ticket number, ID card number and password on your admission ticket.")
        elif code.startswith("network") or code in ("server.unreachable", "http.unreachable"):
            # the engine's offline text speaks of saved answers, which mean nothing before the exam
            reason = str(details.get("reason", "") or "")
            text = self.tr("Cannot reach the exam server at %1.").replace("%1", self.server_label.text())
            if reason:
                text += " (%s)" % reason
            text += "\n" + self.tr("Check your network cable or Wi-Fi, then try again. "
                                   "If it persists, call the exam centre.")
        self.show_error(text)
        self.password.selectAll()
        self.password.setFocus()


def clock_skew_s(engine: ExamEngine) -> Optional[float]:
    """How far the PC clock is from the server's (seconds), from the engine's measured offset."""
    value = engine.clock_offset_ms()
    return None if value is None else value / 1000.0
