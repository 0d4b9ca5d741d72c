"""More of the journey against the real server: proctor commands, login failures, a wrong PC clock,
submitting offline, time warnings, and documents for 中级 candidates."""
from __future__ import annotations

import json
import os

import pytest

from client.exam.clock import ManualClockSource
from client.exam.service import ExamService
from client.qt import QLineEdit, QListWidget
from tests.e2e import driver as d
from tests.helpers.fixtures import make_sitting


def _into_exam(qtbot, server, window, s):
    d.log_in(qtbot, window, s.ticket, s.id_number, s.password)
    d.consent_and_check(qtbot, window)
    d.start_formal(qtbot, window)


def test_proctor_message_extension_and_end(qtbot, live_server, tmp_path):
    s = make_sitting(live_server, kind="formal")
    engine = d.make_engine(live_server, d.data_dir(tmp_path))
    window = d.make_window(qtbot, engine)
    try:
        _into_exam(qtbot, live_server, window, s)
        exam = window.exam
        live_server.command(s.sitting_id, type="message", text="请将摄像头对准面部")
        qtbot.waitUntil(lambda: "请将摄像头对准面部" in exam.proctor_banner.text.text(), timeout=d.WAIT_MS)
        d.click(qtbot, exam, "option_B")                  # the banner does not block answering
        before = engine.clock().remaining_s
        live_server.command(s.sitting_id, type="extend", seconds=600)
        qtbot.waitUntil(lambda: exam.header.extension.text() != "", timeout=d.WAIT_MS)
        assert engine.clock().remaining_s > before + 500
        live_server.command(s.sitting_id, type="end", reason="违纪")
        d.on_page(qtbot, window, window.receipt_page)
        assert window.receipt_page.reason == "proctor"
        assert "监考" in window.receipt_page.reason_label.text()
        qtbot.waitUntil(lambda: window.receipt is not None, timeout=d.WAIT_MS)
        assert d.server_answers(live_server, s.sitting_id) == {"q1": "B"}
    finally:
        d.close(window, engine)


@pytest.mark.expected_log(r"background call failed")
def test_locked_account_and_unreachable_server_explain_themselves(qtbot, live_server, tmp_path):
    s = make_sitting(live_server, kind="formal")
    engine = d.make_engine(live_server, d.data_dir(tmp_path))
    window = d.make_window(qtbot, engine)
    error = d.child(window.login, "loginError")
    try:
        texts = []
        for _ in range(7):
            error.hide()
            d.log_in(qtbot, window, s.ticket, s.id_number, "wrong")
            qtbot.waitUntil(lambda: error.isVisible(), timeout=d.WAIT_MS)
            texts.append(error.text())
            for name in ("ticketInput", "idNumberInput", "passwordInput"):
                d.child(window.login, name, QLineEdit).clear()
        assert any("分钟" in t for t in texts[-2:]), texts   # locked or throttled: when to try again
        live_server.stop()
        error.hide()
        d.log_in(qtbot, window, s.ticket, s.id_number, s.password)
        qtbot.waitUntil(lambda: error.isVisible(), timeout=d.WAIT_MS)
        assert "无法连接考试服务器" in error.text() and "网线" in error.text()
        assert "答案" not in error.text()           # nothing about answers before the exam
        assert window.stack.currentWidget() is window.login
    finally:
        d.close(window, engine)


def test_a_badly_wrong_pc_clock_is_pointed_out(qtbot, live_server, tmp_path):
    s = make_sitting(live_server, kind="formal")
    clock = ManualClockSource()
    clock.jump_wall(-3 * 3600)     # the PC thinks it is three hours earlier
    engine = ExamService(d.config_for(live_server, d.data_dir(tmp_path)), clock_source=clock)
    window = d.make_window(qtbot, engine)
    try:
        d.log_in(qtbot, window, s.ticket, s.id_number, s.password)
        d.on_page(qtbot, window, window.consent)
        assert window.banner.isVisible()
        assert "180" in window.banner.text.text()
    finally:
        d.close(window, engine)


def test_submitting_offline_is_honest_and_the_sealed_file_can_be_exported(qtbot, live_server, tmp_path):
    s = make_sitting(live_server, kind="formal")
    engine = d.make_engine(live_server, d.data_dir(tmp_path))
    window = d.make_window(qtbot, engine)
    try:
        _into_exam(qtbot, live_server, window, s)
        d.click(qtbot, window.exam, "option_A")
        live_server.stop()
        d.submit(qtbot, window)
        d.on_page(qtbot, window, window.receipt_page)
        status = window.receipt_page.status
        qtbot.waitUntil(lambda: "离线" in status.text(), timeout=d.WAIT_MS)
        assert window.receipt is None
        path = window.receipt_page.export(str(tmp_path / "sealed.json"))
        with open(path, encoding="utf-8") as f:
            assert json.load(f)["format"] == "examdesk-sealed/1"
        live_server.start()                           # it uploads and is received when back online
        qtbot.waitUntil(lambda: window.receipt is not None, timeout=d.WAIT_MS)
        qtbot.waitUntil(lambda: "可以关闭" in status.text(), timeout=d.WAIT_MS)
        assert d.server_answers(live_server, s.sitting_id) == {"q1": "A"}
    finally:
        d.close(window, engine)


def test_time_warnings_and_colours_follow_the_server_clock(qtbot, live_server, tmp_path):
    s = make_sitting(live_server, kind="formal", duration_s=3600)
    clock = ManualClockSource()
    engine = ExamService(d.config_for(live_server, d.data_dir(tmp_path)), clock_source=clock)
    window = d.make_window(qtbot, engine)
    try:
        _into_exam(qtbot, live_server, window, s)
        exam = window.exam
        assert exam.header.level == "normal"
        moved = 0
        for seconds, colour, minutes in ((46 * 60, "amber", 15), (10 * 60, "red", 5)):
            moved += seconds                          # the test clock: server and client move together
            live_server.set_clock_offset(moved * 1000)
            clock.advance(seconds)
            qtbot.waitUntil(lambda colour=colour: exam.header.level == colour, timeout=d.WAIT_MS)
            qtbot.waitUntil(lambda minutes=minutes: minutes in exam.warned, timeout=d.WAIT_MS)
            assert exam.warning_banner.isVisible()
        d.click(qtbot, exam, "option_C")             # warnings never block answering
        assert "✓" in exam.saved.text()
    finally:
        d.close(window, engine)


def test_intermediate_candidate_uploads_a_document_after_the_exam(qtbot, live_server, tmp_path):
    s = make_sitting(live_server, kind="formal")       # make_sitting's candidates are 中级
    engine = d.make_engine(live_server, d.data_dir(tmp_path))
    window = d.make_window(qtbot, engine)
    try:
        _into_exam(qtbot, live_server, window, s)
        d.click(qtbot, window.exam, "option_B")
        d.submit(qtbot, window)
        qtbot.waitUntil(lambda: window.receipt is not None, timeout=d.WAIT_MS)
        d.click(qtbot, window.receipt_page, "receiptDocumentsButton")
        docs = window.documents
        qtbot.waitUntil(lambda: docs.window is not None, timeout=d.WAIT_MS)
        assert "10" in docs.deadline.text()
        wrong = tmp_path / "notes.txt"
        wrong.write_text("x")
        assert not docs.choose(str(wrong))
        assert docs.message.text()
        big = tmp_path / "huge.pdf"
        with open(big, "wb") as f:
            f.truncate(docs.max_bytes() + 1)
        assert not docs.choose(str(big))
        plan = tmp_path / "工作改进方案.pdf"
        plan.write_bytes(b"%PDF-1.4\n" + os.urandom(300 * 1024) + b"\n%%EOF\n")
        assert docs.choose(str(plan))
        listing = d.child(docs, "documentsList", QListWidget)
        qtbot.waitUntil(lambda: any("✓" in listing.item(i).text() and "工作改进方案" in listing.item(i).text()
                                    for i in range(listing.count())), timeout=d.WAIT_MS)
    finally:
        d.close(window, engine)


def test_restart_after_sealing_offline_shows_the_receipt_page_and_delivers(qtbot, live_server, tmp_path):
    s = make_sitting(live_server, kind="formal")
    folder = d.data_dir(tmp_path)
    engine = d.make_engine(live_server, folder)
    window = d.make_window(qtbot, engine)
    _into_exam(qtbot, live_server, window, s)
    d.click(qtbot, window.exam, "option_C")
    live_server.stop()
    d.submit(qtbot, window)
    d.on_page(qtbot, window, window.receipt_page)
    d.close(window, engine)                 # the candidate closes the client while offline
    window.hide()
    live_server.start()
    engine2 = d.make_engine(live_server, folder)
    window2 = d.make_window(qtbot, engine2)
    try:
        d.on_page(qtbot, window2, window2.receipt_page)
        qtbot.waitUntil(lambda: window2.receipt is not None, timeout=d.WAIT_MS)
        qtbot.waitUntil(lambda: "可以关闭" in window2.receipt_page.status.text(), timeout=d.WAIT_MS)
        assert d.server_answers(live_server, s.sitting_id) == {"q1": "C"}
    finally:
        d.close(window2, engine2)


def test_a_retake_is_shown_as_such_in_the_waiting_room(qtbot, live_server, tmp_path):
    from tests.helpers.papers import sample_paper

    paper_id = live_server.add_paper(sample_paper("retake-paper"))
    live_server.admin_json("POST", "/admin/candidates", json={
        "ticket": "R000001", "id_number": "110101199001019999", "name": "补考考生", "level": "中级",
        "password": "pw-retake-1", "prior_attempts": {"theory": 1}})
    live_server.add_room(paper_id, ["R000001"], start_in_s=3600)
    engine = d.make_engine(live_server, d.data_dir(tmp_path))
    window = d.make_window(qtbot, engine)
    try:
        d.log_in(qtbot, window, "R000001", "110101199001019999", "pw-retake-1")
        d.consent_and_check(qtbot, window)
        assert "补考" in window.waiting.values["attempt"].text()
        assert "2" in window.waiting.values["attempt"].text()
        assert not window.waiting.start_button.isEnabled()      # an hour before the start
        assert "距开考" in window.waiting.countdown.text()
    finally:
        d.close(window, engine)
