"""The rules a candidate relies on, widget by widget: the waiting room once the formal exam has begun, the
honest sync badge, and the submit confirmation that lists the questions still open."""
from __future__ import annotations

import re
import time

import pytest

from client.exam import api
from client.qt import QApplication, QPushButton, Qt, QTimer
from client.ui import language
from client.ui.finish import SubmitDialog
from client.ui.header import ExamHeader
from client.ui.main_window import ExamDeskWindow
from client.ui.waiting import WaitingRoomPage
from tests.helpers.fake_engine import FakeEngine


@pytest.fixture(autouse=True)
def chinese():
    language.install("zh_CN")
    yield
    language.install("zh_CN")


def mock_of(engine: FakeEngine) -> api.SittingInfo:
    s = engine.sitting
    return api.SittingInfo("s-mock", "r-mock", "theory", "mock", "模拟考试", s.level, s.start_at_ms - 3600_000,
                           7200, 0, 1, False, "in_progress")


# -- the waiting room -------------------------------------------------------------------------------
def test_the_mock_is_offered_only_until_the_formal_exam_starts(qtbot):
    engine = FakeEngine(start_in_s=300)
    page = WaitingRoomPage(engine)
    qtbot.addWidget(page)
    page.show()
    mocks = []
    page.mockRequested.connect(mocks.append)
    page.set_sittings([engine.sitting, mock_of(engine)])
    page.set_ready(True)
    assert page.mock_button.isVisible() and "距开考 0:05:00" in page.countdown.text()
    assert "模拟考试" in page.hint.text() and not page.start_button.isEnabled()

    engine.until_start_s, engine.remaining_s = 0.0, 7200 - 95.0     # the formal exam began 95 s ago
    page.tick()
    assert not page.mock_button.isVisible()                          # it would cost formal time now
    assert "考试已开始" in page.countdown.text() and "1:58:25" in page.countdown.text()   # the time left
    assert "正式考试正在计时" in page.hint.text() and "模拟考试不再开放" in page.hint.text()
    assert page.start_button.isEnabled()
    page._mock_clicked()                                             # a click that raced the tick
    assert mocks == []

    engine.remaining_s = 0.0
    page.tick()
    assert "考试时间已结束" in page.countdown.text() and not page.start_button.isEnabled()


def test_without_a_selected_sitting_the_server_time_decides(qtbot):
    engine = FakeEngine()
    engine.offset_ms = 120_000                       # this PC's clock is two minutes slow
    page = WaitingRoomPage(engine)
    qtbot.addWidget(page)

    def no_clock():
        raise api.EngineError("exam.no_sitting", "未选择考试", "no sitting selected")

    engine.clock = no_clock                          # type: ignore[method-assign]
    start = int(time.time() * 1000) + 60_000         # starts in 1 min by this PC: already begun by the server
    engine.sitting = api.SittingInfo("s-1", "r-1", "theory", "formal", "正式考试", "中级", start, 7200, 0, 1, False,
                                     "scheduled")
    page.set_sittings([engine.sitting, mock_of(engine)])
    assert page.formal_started() and not page.mock_button.isVisibleTo(page)


def test_the_mock_exam_says_when_the_formal_exam_starts(qtbot):
    engine = FakeEngine(kind="mock")
    window = ExamDeskWindow(engine)
    qtbot.addWidget(window)
    window.show()
    formal = api.SittingInfo("s-f", "r-f", "theory", "formal", "正式考试", "中级", int(time.time() * 1000) + 1500,
                             7200, 0, 1, False, "scheduled")
    window.waiting.set_sittings([formal, engine.sitting])
    engine.set_state(api.IN_EXAM)
    window.on_paper(engine.start_exam())
    assert window.is_mock() and not window.banner.isVisible()       # not yet: the formal exam starts in 1.5 s
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10000)
    text = window.banner.text.text()
    assert "正式考试已经开始计时" in text and "交卷结束模拟考试" in text and re.search(r"剩余 [12]:\d\d:\d\d", text)
    window.seal_and_submit("candidate")
    assert not window.formal_watch.isActive()


# -- the sync badge ---------------------------------------------------------------------------------
@pytest.mark.parametrize("status,says,never", [
    (api.SyncStatus(True, "", 0, 0, 9), "在线 · 已全部保存到服务器", "待发送"),
    (api.SyncStatus(True, "", 7, 0, 9, None, 3), "正在发送 3 条答案", "已全部保存"),     # 7 ops, of them 3 answers
    (api.SyncStatus(True, "", 4, 0, 9, None, 0), "答案已送达服务器", "已全部保存"),      # navigation still on its way
    (api.SyncStatus(False, "connection refused", 7, 0, 9, None, 3), "离线 · 3 条答案待发送", "已全部保存"),
    (api.SyncStatus(False, "timeout", 2, 0, 9, None, 0), "没有待发送的答案", "已全部保存"),
])
def test_the_badge_says_all_saved_only_when_the_server_has_every_op(qtbot, status, says, never):
    header = ExamHeader()
    qtbot.addWidget(header)
    header.set_sync(status)
    text = header.sync.text()
    assert says in text and never not in text
    assert header.sync.property("saved") == ("true" if status.pending_ops == 0 else "false")
    assert header.sync.property("online") == ("true" if status.online else "false")
    if status.pending_ops:
        assert "%d 条答案，%d 条其他记录" % (status.pending_answers, status.pending_ops - status.pending_answers) \
            in header.sync.toolTip()


# -- the submit confirmation ------------------------------------------------------------------------
def test_submit_dialog_lists_unanswered_and_flagged_questions_and_each_goes_back(qtbot):
    dialog = SubmitDialog({"unanswered": 3, "flagged": 2, "total": 10, "unanswered_numbers": [2, 5, 9],
                           "flagged_numbers": [1, 5]})
    qtbot.addWidget(dialog)
    dialog.show()
    assert "已答 7 / 10 题" in dialog.summary.text() and "未答 3 题" in dialog.summary.text()
    unanswered = [b.text() for b in dialog.lists["submitUnanswered"].buttons]
    flagged = [b.text() for b in dialog.lists["submitFlagged"].buttons]
    assert unanswered == ["2", "5", "9"] and flagged == ["1", "5"]
    assert dialog.lists["submitUnanswered"].buttons[1].accessibleName() == "转到第 5 题"
    assert dialog.windowFlags() & Qt.WindowType.FramelessWindowHint   # it draws its own frame
    with qtbot.waitSignal(dialog.rejected):
        qtbot.mouseClick(dialog.findChild(QPushButton, "submitUnanswered_9"), Qt.LeftButton)
    assert dialog.jump_to == 8
    complete = SubmitDialog({"unanswered": 0, "flagged": 0, "total": 10, "unanswered_numbers": [],
                             "flagged_numbers": []})
    qtbot.addWidget(complete)
    assert complete.lists == {} and complete.findChild(QPushButton, "submitUnanswered_1") is None


def test_a_number_in_the_confirmation_takes_the_candidate_to_that_question_under_a_backdrop(qtbot):
    engine = FakeEngine()
    window = ExamDeskWindow(engine)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    engine.set_state(api.IN_EXAM)
    window.on_paper(engine.start_exam())
    window.exam.go(0)
    window.exam.view.choose(1)                        # q1 answered, q3 flagged
    window.exam.go(2)
    window.exam.toggle_flag()
    window.exam.go(0)
    seen = {}

    def inside():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, inside)
            return
        backdrop = window.findChild(type(window.centralWidget()), "dialogBackdrop")
        seen["backdrop"] = backdrop is not None and backdrop.isVisible() and backdrop.geometry() == window.rect()
        seen["numbers"] = [b.text() for b in dialog.lists["submitUnanswered"].buttons]
        seen["flagged"] = [b.text() for b in dialog.lists["submitFlagged"].buttons]
        centre = dialog.geometry().center()
        seen["centred"] = abs(centre.x() - window.geometry().center().x()) < 40
        qtbot.mouseClick(dialog.findChild(QPushButton, "submitUnanswered_4"), Qt.LeftButton)

    QTimer.singleShot(50, inside)
    window.confirm_submit()
    assert seen["backdrop"] and seen["centred"]
    assert seen["numbers"] == [str(i + 1) for i in range(1, len(engine.paper.questions))]
    assert seen["flagged"] == ["3"]
    assert window.exam.index == 3 and engine.state() == api.IN_EXAM   # back at question 4, nothing submitted
    backdrop = window.findChild(type(window.centralWidget()), "dialogBackdrop")
    assert backdrop is not None and not backdrop.isVisible()
    window.exam.stop()
