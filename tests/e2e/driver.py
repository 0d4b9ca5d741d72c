"""Drives the real ExamDeskWindow (real ExamService, real server on loopback) the way a candidate does:
typing, clicking and pressing keys. Shared by the journey tests, the screenshots tool and bench/ui.py."""
from __future__ import annotations

import os
import time
from typing import Any, Dict, Optional

from client.config import ClientConfig
from client.exam.service import ExamService
from client.qt import QApplication, QLineEdit, QPlainTextEdit, Qt, QTimer, QWidget
from client.ui import language
from client.ui.main_window import ExamDeskWindow
from client.ui.selfcheck_slot import SelfCheckPlaceholder

WAIT_MS = 30000  # generous: the machine is shared; these are not speed limits


def config_for(server: Any, data_dir: str, **overrides: Any) -> ClientConfig:
    """Quick heartbeats and retries, so outages and recoveries show within a second or two."""
    return ClientConfig(server_url=server.url, data_dir=str(data_dir), heartbeat_interval_s=1.0,
                        backoff_initial_s=0.2, backoff_max_s=1.0, request_timeout_s=5.0, **overrides)


def make_engine(server: Any, data_dir: str, **overrides: Any) -> ExamService:
    return ExamService(config_for(server, data_dir, **overrides))


def make_window(qtbot: Any, engine: Any, lang: str = "zh_CN") -> ExamDeskWindow:
    language.install(lang)  # the product's default language, through the committed .qm
    window = ExamDeskWindow(engine, engine.config, full_screen=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.start()
    return window


def child(root: QWidget, name: str, cls: Any = QWidget) -> Any:
    w = root.findChild(cls, name)
    assert w is not None, "no widget %r on %s" % (name, root.objectName())
    return w


def click(qtbot: Any, root: QWidget, name: str) -> None:
    w = child(root, name)
    qtbot.waitUntil(lambda: w.isVisible() and w.isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(w, Qt.LeftButton)


def press(qtbot: Any, key: Any) -> None:
    qtbot.keyClick(QApplication.focusWidget() or QApplication.activeWindow(), key)


def on_page(qtbot: Any, window: ExamDeskWindow, page: QWidget) -> None:
    def check() -> None:
        assert window.stack.currentWidget() is page, "on %s, banner: %s" % (
            window.stack.currentWidget().objectName(), window.banner.text.text())
    qtbot.waitUntil(check, timeout=WAIT_MS)


def log_in(qtbot: Any, window: ExamDeskWindow, ticket: str, id_number: str, password: str) -> None:
    page = window.login
    on_page(qtbot, window, page)
    qtbot.keyClicks(child(page, "ticketInput", QLineEdit), ticket)
    qtbot.keyClicks(child(page, "idNumberInput", QLineEdit), id_number)
    qtbot.keyClicks(child(page, "passwordInput", QLineEdit), password)
    click(qtbot, page, "loginButton")


def consent_and_check(qtbot: Any, window: ExamDeskWindow, by_keyboard: bool = False) -> None:
    on_page(qtbot, window, window.consent)
    box = child(window.consent, "consentCheck")
    if by_keyboard:
        box.setFocus()
        qtbot.keyClick(box, Qt.Key_Space)
        button = child(window.consent, "consentContinue")
        button.setFocus()
        qtbot.keyClick(button, Qt.Key_Return)
    else:
        qtbot.mouseClick(box, Qt.LeftButton)
        click(qtbot, window.consent, "consentContinue")
    if window.primary is not None and window.primary.kind == "formal":
        on_page(qtbot, window, window.selfcheck)
        if isinstance(window.selfcheck, SelfCheckPlaceholder):
            click(qtbot, window.selfcheck, "selfCheckContinue")
        else:  # the real wizard is tested by its own suite; here it only has to hand over a report
            window.selfcheck.finished.emit({"status": "pass", "source": "journey test"})
    on_page(qtbot, window, window.waiting)


def start_formal(qtbot: Any, window: ExamDeskWindow) -> None:
    click(qtbot, window.waiting, "startButton")
    on_page(qtbot, window, window.exam)


def answer_everything(qtbot: Any, window: ExamDeskWindow) -> Dict[str, Any]:
    """Answers the sample paper (tests/helpers/papers.py): mouse for some, keyboard for others."""
    exam = window.exam
    assert exam.index == 0
    click(qtbot, exam, "option_B")                      # q1 by mouse
    press(qtbot, Qt.Key_Right)                          # to q2 by keyboard
    assert exam.current_id() == "q2"
    for key in (Qt.Key_A, Qt.Key_B, Qt.Key_D):          # q2 by keyboard
        press(qtbot, key)
    click(qtbot, exam, "nextButton")                    # to q3 by mouse
    press(qtbot, Qt.Key_1)                              # q3: true
    press(qtbot, Qt.Key_F)                              # flag q3
    click(qtbot, exam, "navCell_4")                     # to q4 through the navigator
    blank1 = child(exam, "blank_1", QLineEdit)
    blank1.setFocus()
    qtbot.keyClicks(blank1, "csat")
    blank2 = child(exam, "blank_2", QLineEdit)
    blank2.setFocus()
    qtbot.keyClicks(blank2, "NPS")
    click(qtbot, exam, "nextButton")                    # leaving saves the blanks at once
    essay = child(exam, "essayInput", QPlainTextEdit)
    essay.setFocus()
    essay.insertPlainText("先倾听，再致歉，后解决。")       # what an input method commits
    qtbot.waitUntil(lambda: "✓" in exam.saved.text() or "已保存" in exam.saved.text(), timeout=WAIT_MS)
    return {"q1": "B", "q2": ["A", "B", "D"], "q3": True, "q4": ["csat", "NPS"], "q5": "先倾听，再致歉，后解决。"}


def submit(qtbot: Any, window: ExamDeskWindow) -> None:
    def confirm() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "submitDialog":
            QTimer.singleShot(50, confirm)
            return
        qtbot.mouseClick(child(dialog, "submitConfirm"), Qt.LeftButton)
    QTimer.singleShot(50, confirm)
    click(qtbot, window.exam, "submitButton")


def server_answers(server: Any, sitting_id: str) -> Dict[str, Any]:
    """What the server holds: the last answer op per question, in sequence order."""
    timeline = server.admin_json("GET", "/admin/sittings/%s/timeline" % sitting_id)
    ops = sorted((e for e in timeline["entries"] if e["type"] == "op"), key=lambda e: e["seq"])
    out: Dict[str, Any] = {}
    for e in ops:
        if e["kind"] == "answer":
            out[e["payload"]["question_id"]] = e["payload"]["value"]
    return {k: v for k, v in out.items() if v is not None}


def server_flags(server: Any, sitting_id: str) -> Dict[str, bool]:
    timeline = server.admin_json("GET", "/admin/sittings/%s/timeline" % sitting_id)
    out: Dict[str, bool] = {}
    for e in sorted((e for e in timeline["entries"] if e["type"] == "op"), key=lambda e: e["seq"]):
        if e["kind"] == "flag":
            out[e["payload"]["question_id"]] = e["payload"]["flagged"]
    return out


def data_dir(tmp_path: Any, name: str = "client") -> str:
    path = os.path.join(str(tmp_path), name)
    os.makedirs(path, exist_ok=True)
    return path


def close(window: Optional[ExamDeskWindow], engine: Optional[Any]) -> None:
    if window is not None:
        window.exam.stop()
    if engine is not None:
        engine.close()


class PlainBot:
    """The few qtbot calls the driver uses, for scripts outside pytest (bench/ui.py, the kill test's child)."""

    def addWidget(self, w: QWidget) -> None:  # noqa: N802 - qtbot naming
        pass

    def waitUntil(self, cond: Any, timeout: int = WAIT_MS) -> None:  # noqa: N802
        end = time.monotonic() + timeout / 1000.0
        while True:
            QApplication.processEvents()
            try:
                if cond() is not False:
                    return
            except AssertionError:
                pass
            if time.monotonic() > end:
                raise TimeoutError("timed out")
            time.sleep(0.005)

    def keyClicks(self, w: Any, text: str) -> None:  # noqa: N802
        if hasattr(w, "insertPlainText"):
            w.insertPlainText(text)
        else:
            w.setText(w.text() + text)
            w.textEdited.emit(w.text())

    def mouseClick(self, w: Any, _button: Any) -> None:  # noqa: N802
        w.click()

    def keyClick(self, w: Any, key: Any) -> None:  # noqa: N802
        from client.qt import QEvent, QKeyEvent

        QApplication.sendEvent(w, QKeyEvent(QEvent.KeyPress, key, Qt.NoModifier))
