"""A whole exam with the keyboard alone: Tab, Space, Enter and the exam's shortcuts (fake engine)."""
from __future__ import annotations

from client.exam import api
from client.qt import QApplication, Qt, QTimer
from client.ui import language
from client.ui.main_window import ExamDeskWindow
from tests.helpers.fake_engine import FakeEngine


def key(qtbot, k):
    qtbot.keyClick(QApplication.focusWidget(), k)


def tab_to(qtbot, name, limit=80):
    for _ in range(limit):
        if QApplication.focusWidget() is not None and QApplication.focusWidget().objectName() == name:
            return
        key(qtbot, Qt.Key_Tab)
    raise AssertionError("Tab never reached %s (at %s)" % (name, QApplication.focusWidget().objectName()))


def test_the_whole_exam_by_keyboard(qtbot):
    language.install("zh_CN")
    engine = FakeEngine()
    window = ExamDeskWindow(engine)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    window.start()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.login.ticket)
    qtbot.keyClicks(QApplication.focusWidget(), "T0001")
    key(qtbot, Qt.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "110101199001010011")
    key(qtbot, Qt.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "secret")
    key(qtbot, Qt.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.consent)
    assert QApplication.focusWidget() is window.consent.agree
    key(qtbot, Qt.Key_Space)
    tab_to(qtbot, "consentContinue")
    key(qtbot, Qt.Key_Return)
    assert engine.consents
    window.selfcheck.finished.emit({"status": "pass"})   # the wizard's own keyboard tests live with it
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.waiting)
    tab_to(qtbot, "startButton")
    key(qtbot, Qt.Key_Space)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.exam)
    exam = window.exam
    exam.setFocus()
    key(qtbot, Qt.Key_2)                     # q1: B
    key(qtbot, Qt.Key_Right)
    key(qtbot, Qt.Key_A)                     # q2: A and C
    key(qtbot, Qt.Key_C)
    key(qtbot, Qt.Key_F)                     # flag q2
    key(qtbot, Qt.Key_Right)
    key(qtbot, Qt.Key_B)                     # q3: false
    key(qtbot, Qt.Key_Right)
    tab_to(qtbot, "blank_1")                 # q4: type into the blanks
    qtbot.keyClicks(QApplication.focusWidget(), "FCR")
    key(qtbot, Qt.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "NPS")
    tab_to(qtbot, "nextButton")
    key(qtbot, Qt.Key_Space)
    assert exam.current_id() == "q5"
    tab_to(qtbot, "essayInput")
    QApplication.focusWidget().insertPlainText("先倾听")
    key(qtbot, Qt.Key_Tab)                   # Tab leaves the essay box (it does not type a tab)
    assert QApplication.focusWidget().objectName() != "essayInput"
    assert engine.answers()["q5"] == "先倾听"
    tab_to(qtbot, "submitButton")

    def confirm():
        dialog = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if dialog is None or focus is None or not dialog.isAncestorOf(focus):   # shown, not yet active
            QTimer.singleShot(50, confirm)
            return
        assert QApplication.focusWidget().objectName() == "submitCancel"
        key(qtbot, Qt.Key_Tab)
        assert QApplication.focusWidget().objectName() == "submitConfirm"
        key(qtbot, Qt.Key_Space)
    QTimer.singleShot(50, confirm)
    key(qtbot, Qt.Key_Space)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.receipt_page)
    assert engine.answers() == {"q1": "B", "q2": ["A", "C"], "q3": False, "q4": ["FCR", "NPS"], "q5": "先倾听"}
    assert engine.flags() == {"q2": True}
    assert engine.sealed_reason == "candidate"
    assert engine.state() in (api.SEALED, api.SUBMITTED)
