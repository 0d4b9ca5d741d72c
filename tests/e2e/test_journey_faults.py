"""The journey when things go wrong: time runs out, the server disappears, the client restarts; and the mock."""
from __future__ import annotations

import requests

from client.exam.clock import ManualClockSource
from client.exam.service import ExamService
from client.qt import QLineEdit, Qt
from tests.e2e import driver as d
from tests.helpers.fixtures import make_sitting


def test_mock_exam_is_marked_locally_with_answers_and_explanations(qtbot, live_server, tmp_path):
    s = make_sitting(live_server, kind="mock")
    engine = d.make_engine(live_server, d.data_dir(tmp_path))
    window = d.make_window(qtbot, engine)
    try:
        d.log_in(qtbot, window, s.ticket, s.id_number, s.password)
        d.consent_and_check(qtbot, window, by_keyboard=True)
        assert not d.child(window.waiting, "startButton").isVisible()
        d.click(qtbot, window.waiting, "mockButton")
        d.on_page(qtbot, window, window.exam)
        expected = d.answer_everything(qtbot, window)
        d.submit(qtbot, window)
        d.on_page(qtbot, window, window.mock_result)
        score = d.child(window.mock_result, "mockScore").text()
        assert "80" in score
        review = d.child(window.mock_result, "mockReview").toPlainText()
        assert "FCR" in review  # the right answer of q1 is shown
        qtbot.waitUntil(lambda: d.server_answers(live_server, s.sitting_id) == expected, timeout=d.WAIT_MS)
    finally:
        d.close(window, engine)


def test_time_up_seals_and_submits_without_the_candidate(qtbot, live_server, tmp_path):
    s = make_sitting(live_server, kind="formal", duration_s=600)
    clock = ManualClockSource()
    engine = ExamService(d.config_for(live_server, d.data_dir(tmp_path)), clock_source=clock)
    window = d.make_window(qtbot, engine)
    try:
        d.log_in(qtbot, window, s.ticket, s.id_number, s.password)
        d.consent_and_check(qtbot, window)
        d.start_formal(qtbot, window)
        d.click(qtbot, window.exam, "option_D")
        # the test clock: the server and the client both move 10 minutes on
        live_server.set_clock_offset(601 * 1000)
        clock.advance(601)
        d.on_page(qtbot, window, window.receipt_page)
        assert "time" in window.receipt_page.reason_label.text().lower() or "时间" in \
            window.receipt_page.reason_label.text()
        qtbot.waitUntil(lambda: window.receipt is not None, timeout=d.WAIT_MS)
        timeline = live_server.admin_json("GET", "/admin/sittings/%s/timeline" % s.sitting_id)
        submits = [e for e in timeline["entries"] if e["type"] == "submit"]
        assert submits and submits[0]["receipt"]["reason"] == "time_up"
        assert d.server_answers(live_server, s.sitting_id) == {"q1": "D"}
        # a restart still tells the candidate why the paper was sealed
        time_up_text = window.receipt_page.reason_label.text()
        d.close(window, engine)
        window.hide()
        engine = ExamService(d.config_for(live_server, d.data_dir(tmp_path)), clock_source=clock)
        window = d.make_window(qtbot, engine)
        assert engine.seal_reason() == "time_up"
        d.on_page(qtbot, window, window.receipt_page)
        assert window.receipt_page.reason_label.text() == time_up_text
    finally:
        d.close(window, engine)


def test_server_outage_mid_exam_answers_go_on_and_arrive_later(qtbot, live_server, tmp_path):
    s = make_sitting(live_server, kind="formal")
    engine = d.make_engine(live_server, d.data_dir(tmp_path))
    window = d.make_window(qtbot, engine)
    try:
        d.log_in(qtbot, window, s.ticket, s.id_number, s.password)
        d.consent_and_check(qtbot, window)
        d.start_formal(qtbot, window)
        d.click(qtbot, window.exam, "option_A")
        live_server.stop()
        badge = window.exam.header.sync
        qtbot.waitUntil(lambda: badge.property("online") == "false", timeout=d.WAIT_MS)
        d.press(qtbot, Qt.Key_Right)
        d.press(qtbot, Qt.Key_C)                        # q2 answered while offline
        assert "✓" in window.exam.saved.text()          # saved on disk, said so
        d.click(qtbot, window.exam, "navCell_4")
        blank = d.child(window.exam, "blank_1", QLineEdit)
        blank.setFocus()
        qtbot.keyClicks(blank, "FCR")
        d.click(qtbot, window.exam, "navCell_1")
        qtbot.waitUntil(lambda: badge.property("online") == "false", timeout=d.WAIT_MS)
        live_server.start()
        expected = {"q1": "A", "q2": ["C"], "q4": ["FCR", ""]}
        qtbot.waitUntil(lambda: d.server_answers(live_server, s.sitting_id) == expected, timeout=d.WAIT_MS)
        qtbot.waitUntil(lambda: badge.property("online") == "true", timeout=d.WAIT_MS)
    finally:
        d.close(window, engine)


def test_restart_mid_exam_returns_to_the_same_question_answers_and_time(qtbot, live_server, tmp_path):
    s = make_sitting(live_server, kind="formal")
    folder = d.data_dir(tmp_path)
    engine = d.make_engine(live_server, folder)
    window = d.make_window(qtbot, engine)
    d.log_in(qtbot, window, s.ticket, s.id_number, s.password)
    d.consent_and_check(qtbot, window)
    d.start_formal(qtbot, window)
    d.click(qtbot, window.exam, "option_C")
    d.press(qtbot, Qt.Key_Right)
    d.press(qtbot, Qt.Key_B)
    d.press(qtbot, Qt.Key_F)
    d.press(qtbot, Qt.Key_Right)
    assert window.exam.current_id() == "q3"
    d.close(window, engine)      # the client goes away (a crash keeps the same journal)
    window.hide()

    engine2 = d.make_engine(live_server, folder)
    window2 = d.make_window(qtbot, engine2)
    try:
        d.on_page(qtbot, window2, window2.exam)
        assert window2.exam.current_id() == "q3"
        assert window2.exam.answers == {"q1": "C", "q2": ["B"]}
        assert window2.exam.flags.get("q2") is True
        detail = requests.get(live_server.api + "/sittings/" + s.sitting_id, headers=s.headers(), timeout=10).json()
        assert engine2.clock().deadline_ms == detail["deadline_ms"]
        assert 0 < engine2.clock().remaining_s <= 7200
        d.click(qtbot, window2.exam, "option_true")     # and answering goes on
        qtbot.waitUntil(lambda: d.server_answers(live_server, s.sitting_id).get("q3") is True, timeout=d.WAIT_MS)
    finally:
        d.close(window2, engine2)


def test_mock_first_then_the_formal_exam_in_one_session(qtbot, live_server, tmp_path):
    from tests.helpers.papers import sample_paper

    s = make_sitting(live_server, kind="formal", start_in_s=300)   # the mock is offered only before the start
    mock_paper = live_server.add_paper(sample_paper("mock-for-%s" % s.ticket, kind="mock"))
    mock_room = live_server.add_room(mock_paper, [s.ticket], kind="mock")
    clock = ManualClockSource()
    engine = ExamService(d.config_for(live_server, d.data_dir(tmp_path)), clock_source=clock)
    window = d.make_window(qtbot, engine)
    try:
        d.log_in(qtbot, window, s.ticket, s.id_number, s.password)
        d.consent_and_check(qtbot, window)
        assert window.primary.kind == "formal"
        d.click(qtbot, window.waiting, "mockButton")
        d.on_page(qtbot, window, window.exam)
        assert window.paper.kind == "mock"
        d.click(qtbot, window.exam, "option_A")
        d.submit(qtbot, window)
        d.on_page(qtbot, window, window.mock_result)
        d.click(qtbot, window.mock_result, "mockBackButton")
        d.on_page(qtbot, window, window.waiting)
        live_server.set_clock_offset(301 * 1000)       # the test clock: server and client reach the formal start
        clock.advance(301)
        qtbot.waitUntil(lambda: not window.waiting.mock_button.isVisible(), timeout=d.WAIT_MS)
        d.start_formal(qtbot, window)
        assert window.paper.kind == "formal"
        assert window.exam.answers == {}               # the mock's answers stay in the mock
        d.click(qtbot, window.exam, "option_D")
        d.submit(qtbot, window)
        qtbot.waitUntil(lambda: window.receipt is not None, timeout=d.WAIT_MS)
        mock_sid = mock_room["sittings"][0]["sitting_id"]
        assert d.server_answers(live_server, s.sitting_id) == {"q1": "D"}
        assert d.server_answers(live_server, mock_sid) == {"q1": "A"}
    finally:
        d.close(window, engine)
