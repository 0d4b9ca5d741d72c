"""Widget-level tests of the exam window against the small fake engine (the journey tests use the real one)."""
from __future__ import annotations

import pytest

from client.exam import api
from client.qt import QApplication, QLineEdit, QPlainTextEdit, Qt
from client.ui.exam_page import ExamPage
from tests.helpers.fake_engine import FakeEngine


def press(qtbot, page, key):
    """A key goes where the keyboard focus is, as it does for a person."""
    qtbot.keyClick(QApplication.focusWidget() or page, key)


@pytest.fixture
def exam(qtbot):
    engine = FakeEngine()
    engine.set_state(api.IN_EXAM)
    page = ExamPage(engine)
    qtbot.addWidget(page)
    page.resize(1100, 750)
    page.show()
    page.start(engine.start_exam(), api.CandidateInfo("T1", "张三", "中级"), "理论考试")
    yield page, engine
    page.stop()


def test_choice_saves_at_once_and_marks_saved(exam, qtbot):
    page, engine = exam
    qtbot.mouseClick(page.findChild(object, "option_B"), Qt.LeftButton)
    assert engine.answers() == {"q1": "B"}
    assert "✓" in page.saved.text()


def test_keyboard_chooses_moves_and_flags(exam, qtbot):
    page, engine = exam
    page.setFocus()
    press(qtbot, page, Qt.Key_C)
    assert engine.answers()["q1"] == "C"
    press(qtbot, page, Qt.Key_2)
    assert engine.answers()["q1"] == "B"
    press(qtbot, page, Qt.Key_F)
    assert engine.flags()["q1"] is True
    press(qtbot, page, Qt.Key_Right)
    assert page.index == 1
    qtbot.waitUntil(lambda: engine.current_question() == "q2")  # recorded once the candidate settles
    press(qtbot, page, Qt.Key_A)
    press(qtbot, page, Qt.Key_D)
    assert engine.answers()["q2"] == ["A", "D"]
    press(qtbot, page, Qt.Key_Left)
    assert page.index == 0


def test_typing_in_a_blank_is_not_a_shortcut_and_saves_after_a_pause(exam, qtbot):
    page, engine = exam
    page.go(3)
    blank = page.findChild(QLineEdit, "blank_1")
    blank.setFocus()
    qtbot.keyClicks(blank, "FCR")  # F would flag, C/A would choose, were keys stolen
    assert blank.text() == "FCR"
    assert not engine.flags().get("q4")
    assert "q4" not in engine.answers()  # debounced: not saved while typing
    qtbot.waitUntil(lambda: engine.answers().get("q4") == ["FCR", ""], timeout=5000)
    assert "✓" in page.saved.text()


def test_leaving_an_essay_saves_it_immediately(exam, qtbot):
    page, engine = exam
    page.go(4)
    essay = page.findChild(QPlainTextEdit, "essayInput")
    essay.setFocus()
    essay.insertPlainText("先倾听")  # what an input method commits
    assert "3 / 500" in page.findChild(object, "essayCount").text()
    qtbot.mouseClick(page.prev_button, Qt.LeftButton)
    assert engine.answers()["q5"] == "先倾听"


@pytest.mark.expected_log(r"answer q1 not saved")
def test_a_failed_save_is_never_shown_as_saved(exam, qtbot):
    page, engine = exam
    engine.set_state(api.SEALED)
    qtbot.mouseClick(page.findChild(object, "option_A"), Qt.LeftButton)
    assert "✓" not in page.saved.text()
    assert "✗" in page.saved.text()


def in_exam_window(qtbot, engine):
    from client.ui.main_window import ExamDeskWindow

    window = ExamDeskWindow(engine)
    qtbot.addWidget(window)
    window.show()
    engine.set_state(api.IN_EXAM)
    window.on_paper(engine.start_exam())
    return window


def test_countdown_turns_amber_then_red_and_the_engines_warnings_show(qtbot):
    engine = FakeEngine()
    window = in_exam_window(qtbot, engine)
    page = window.exam
    engine.set_remaining(14 * 60)
    page.tick()
    assert page.header.level == "amber"
    qtbot.waitUntil(lambda: 15 in page.warned and page.warning_banner.isVisible())
    engine.set_remaining(4 * 60 + 30)
    page.tick()
    assert page.header.level == "red"
    qtbot.waitUntil(lambda: 5 in page.warned)
    page.stop()


def test_the_page_never_decides_time_up_on_its_own(exam, qtbot):
    page, engine = exam
    engine.remaining_s = 0        # the clock reads zero, but the engine has not sealed (yet)
    page.tick()
    assert page.header.countdown.text() == "0:00:00" and page.isEnabled() and not page.over


def test_time_up_from_the_engine_ends_the_paper(qtbot):
    engine = FakeEngine()
    window = in_exam_window(qtbot, engine)
    with qtbot.waitSignal(window.exam.ended, timeout=5000) as sig:
        engine.set_remaining(0)
    assert sig.args == ["time_up"]
    assert not window.exam.isEnabled()
    assert engine.sealed_reason == "time_up"


def test_proctor_message_and_extension_show_without_blocking(exam, qtbot):
    page, engine = exam
    page.on_command(api.ProctorCommand("c1", "message", text="请调整摄像头"))
    assert "请调整摄像头" in page.proctor_banner.text.text()
    engine.extension_s = 600
    page.on_command(api.ProctorCommand("c2", "extend", seconds=600))
    assert page.header.extension.text() != ""
    qtbot.mouseClick(page.findChild(object, "option_A"), Qt.LeftButton)
    assert engine.answers()["q1"] == "A"
