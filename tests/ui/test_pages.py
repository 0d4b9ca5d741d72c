"""Widget tests of the screens around the exam (fake engine): what each one tells the candidate."""
from __future__ import annotations

import pytest

from client.exam import api
from client.qt import QApplication, Qt
from client.ui import language
from client.ui.finish import MockResultPage, ReceiptPage, SubmitDialog
from client.ui.login import LoginPage
from client.ui.waiting import WaitingRoomPage
from tests.helpers.fake_engine import FakeEngine


@pytest.fixture(autouse=True)
def chinese():
    language.install("zh_CN")
    yield
    language.install("zh_CN")


def test_waiting_room_shows_retake_countdown_and_unlocks_only_when_ready_and_started(qtbot):
    engine = FakeEngine(start_in_s=600, retake=True)
    page = WaitingRoomPage(engine)
    qtbot.addWidget(page)
    page.set_sittings(engine.sittings())
    assert "补考" in page.values["attempt"].text()
    assert "120" in page.values["duration"].text()
    assert "0:10:00" in page.countdown.text()
    assert not page.start_button.isEnabled()
    engine.until_start_s = 0
    page.tick()
    assert not page.start_button.isEnabled()        # consent and self-check not done yet
    page.set_ready(True)
    assert page.start_button.isEnabled()


@pytest.mark.expected_log(r"background call failed: ExamError\('auth\.locked")
def test_locked_account_says_when_to_try_again(qtbot):
    engine = FakeEngine()
    engine.login_error = api.EngineError("auth.locked", "账号已锁定", "account locked", {"retry_after_s": 840})
    page = LoginPage(engine, "https://exam.example.cn")
    qtbot.addWidget(page)
    page.show()
    page.ticket.setText("T1")
    page.id_number.setText("110101199001010011")
    page.password.setText("x")
    page.submit()
    qtbot.waitUntil(lambda: page.error.isVisible())
    assert "账号已锁定" in page.error.text() and "14 分钟" in page.error.text()
    assert page.login_button.isEnabled()


def test_receipt_page_is_honest_about_what_is_still_uploading(qtbot):
    engine = FakeEngine()
    page = ReceiptPage(engine)
    qtbot.addWidget(page)
    page.set_sealed("time_up")
    assert "时间到" in page.reason_label.text()
    page.on_sync(api.SyncStatus(False, "connection refused", 3, 1, 10))
    assert "离线" in page.status.text() and "4" in page.status.text()
    page.on_sync(api.SyncStatus(True, "", 2, 0, 12))
    assert "2" in page.status.text() and "可以关闭" not in page.status.text()
    page.set_receipt(api.Receipt("sub-9", "s-1", 14, "ab" * 32, 1764350000000, True))
    page.on_sync(api.SyncStatus(True, "", 0, 0, 14))
    assert "可以关闭" in page.status.text()
    assert "sub-9" in page.details.text() and "ab" * 32 in page.details.text()
    assert page.progress.value() == page.progress.maximum()


def test_mock_result_marks_locally_with_right_answers_and_explanations(qtbot):
    page = MockResultPage()
    qtbot.addWidget(page)
    paper = FakeEngine(kind="mock").paper
    sheet = page.show_result(paper, {"q1": "B", "q2": ["A"], "q3": True, "q4": ["CSAT", "x"]})
    assert sheet.objective_score == 50.0
    assert "50" in page.score.text()
    review = page.review.toPlainText()
    assert "B（FCR）" in review and "A（接通率）、B（平均处理时长）、D（首次解决率）" in review


def test_submit_dialog_counts_and_enter_goes_back(qtbot):
    dialog = SubmitDialog({"unanswered": 2, "flagged": 1, "total": 5, "unanswered_numbers": [2, 5],
                           "flagged_numbers": [3]})
    qtbot.addWidget(dialog)
    dialog.show()
    assert "3 / 5" in dialog.summary.text() and "2" in dialog.summary.text()
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key_Return)


def test_font_control_scales_the_question(qtbot):
    from client.ui.exam_page import ExamPage

    engine = FakeEngine()
    engine.set_state(api.IN_EXAM)
    page = ExamPage(engine)
    qtbot.addWidget(page)
    page.start(engine.start_exam())
    before = page.view.text.font().pointSizeF()
    qtbot.mouseClick(page.font_larger, Qt.LeftButton)
    qtbot.mouseClick(page.font_larger, Qt.LeftButton)
    assert page.view.text.font().pointSizeF() > before * 1.2
    page.go(1)                                      # the size follows to the next question
    assert page.view.text.font().pointSizeF() > before * 1.2
    page.stop()


def _window_in_exam(qtbot, engine):
    from client.ui.main_window import ExamDeskWindow

    window = ExamDeskWindow(engine)
    qtbot.addWidget(window)
    window.show()
    engine.set_state(api.IN_EXAM)
    window.on_paper(engine.start_exam())
    return window


def test_closing_mid_exam_is_refused_with_a_reason(qtbot):
    engine = FakeEngine()
    window = _window_in_exam(qtbot, engine)
    window.close()
    assert window.isVisible()
    assert window.banner.isVisible() and window.banner.text.text()
    window.exam.stop()


def test_time_up_while_the_submit_dialog_is_open_closes_it_and_seals_once(qtbot):
    from client.qt import QTimer

    engine = FakeEngine()
    window = _window_in_exam(qtbot, engine)

    def time_runs_out():
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "submitDialog"
        engine.set_remaining(0)     # the engine's clock seals at zero; the window follows
    QTimer.singleShot(100, time_runs_out)
    window.confirm_submit()
    assert QApplication.activeModalWidget() is None
    assert engine.sealed_reason == "time_up"
    assert window.stack.currentWidget() is window.receipt_page
    assert "时间到" in window.receipt_page.reason_label.text()


def test_an_over_long_essay_keeps_what_fits_and_says_so(qtbot):
    from client.ui.exam_page import ExamPage

    engine = FakeEngine()
    engine.set_state(api.IN_EXAM)
    page = ExamPage(engine)
    qtbot.addWidget(page)
    page.start(engine.start_exam())
    page.go(4)
    essay = page.view.essay
    essay.insertPlainText("字" * 520)              # a paste longer than the 500-character limit
    assert len(essay.toPlainText()) == 500
    assert "500 / 500" in page.view.count.text()
    page.go(3)
    assert engine.answers()["q5"] == "字" * 500
    page.stop()
