"""Restart mid-exam: every answer, flag and the current question come back, with the true
remaining time (the time the client was dead is not given back)."""
from __future__ import annotations

import pytest

from client.exam import api as A
from client.exam.clock import ManualClockSource
from client.exam.service import ExamService
from tests.helpers.exam_client import client_config, started_service, timeline_ops, wait_for


def advance(src: ManualClockSource, server, seconds: float, total: list) -> None:
    """Compressed time for both sides: the client's clocks and the server's test clock."""
    src.advance(seconds)
    total[0] += seconds
    server.set_clock_offset(int(total[0] * 1000))


def test_restart_resumes_answers_and_true_remaining_time(sitting, tmp_path):
    src, moved = ManualClockSource(), [0.0]
    data = tmp_path / "c"
    svc = started_service(sitting, data, clock_source=src)
    svc.answer("q1", "B")
    svc.answer("q4", ["CSAT", "净推荐值"])
    svc.flag("q2", True)
    svc.visit("q3")
    advance(src, sitting.server, 40 * 60, moved)
    svc.close()
    advance(src, sitting.server, 3 * 60, moved)           # three minutes to restart the PC app
    again = ExamService(client_config(sitting.server.url, data), src)
    try:
        assert again.resume() is True
        assert again.state() == A.IN_EXAM
        assert again.answers() == {"q1": "B", "q4": ["CSAT", "净推荐值"]}
        assert again.flags() == {"q2": True} and again.current_question() == "q3"
        assert abs(again.clock().remaining_s - (7200 - 43 * 60)) < 5
        again.answer("q3", False)
        receipt = again.submit()
        assert receipt is not None and receipt.verified
        assert [o["seq"] for o in timeline_ops(sitting)] == list(range(1, receipt.final_seq + 1))
    finally:
        again.close()


def test_restart_after_reboot_while_offline_uses_the_bounded_wall_fallback(sitting, tmp_path):
    src, moved = ManualClockSource(), [0.0]
    data = tmp_path / "c"
    svc = started_service(sitting, data, clock_source=src)
    svc.answer("q1", "B")
    wait_for(lambda: svc.sync_status().acked_seq == 3, what="ack")
    advance(src, sitting.server, 30 * 60, moved)
    svc.exam_clock.server_now_ms()
    svc.close()
    sitting.server.stop()
    # a reboot: the monotonic clock starts again near zero, the wall clock says 5 minutes passed
    rebooted = ManualClockSource(wall=src.wall() + 300, monotonic=12.0)
    again = ExamService(client_config(sitting.server.url, data), rebooted)
    try:
        assert again.resume() is True and again.answers() == {"q1": "B"}
        assert abs(again.clock().remaining_s - (7200 - 35 * 60)) < 5
        assert again.exam_clock.verified is False
        again.answer("q2", ["A"])                           # offline, still saved
        sitting.server.set_clock_offset(int((moved[0] + 300) * 1000))
        sitting.server.start()
        wait_for(lambda: again.sync_status().acked_seq == 4, timeout=60, what="sync after reboot")
        assert again.exam_clock.verified
    finally:
        again.close()


def test_restart_after_the_deadline_seals_at_once(sitting, tmp_path):
    src, moved = ManualClockSource(), [0.0]
    data = tmp_path / "c"
    svc = started_service(sitting, data, clock_source=src)
    svc.answer("q1", "B")
    svc.close()
    advance(src, sitting.server, 7200 + 30, moved)       # the candidate comes back too late
    again = ExamService(client_config(sitting.server.url, data), src)
    try:
        assert again.resume() is True
        wait_for(lambda: again.receipt() is not None, timeout=60, what="receipt")
        assert again.receipt().raw["receipt"]["reason"] == "time_up"
        assert again.state() == A.SUBMITTED and again.clock().state == "ended"
    finally:
        again.close()


def test_sealed_offline_submission_is_retried_across_restarts(sitting, tmp_path):
    data = tmp_path / "c"
    svc = started_service(sitting, data)
    svc.answer("q1", "B")
    sitting.server.stop()
    assert svc.submit() is None                          # offline: it will retry on its own
    assert svc.state() == A.SEALED
    svc.close()
    again = ExamService(client_config(sitting.server.url, data))
    try:
        assert again.resume() and again.state() == A.SEALED and again.receipt() is None
        sitting.server.start()
        wait_for(lambda: again.state() == A.SUBMITTED, timeout=60, what="submitted after restart")
        receipt = again.receipt()
        assert receipt.verified and receipt.final_seq == 3
        assert receipt.raw["receipt"]["reason"] == "candidate"
    finally:
        again.close()


@pytest.mark.expected_log(r"登录已过期|需要登录", r"sync refused: auth\.")
def test_restart_with_an_expired_login_asks_for_it_and_keeps_answers(live_server, tmp_path):
    from tests.helpers.fixtures import make_sitting

    st = make_sitting(live_server, start_in_s=13 * 3600, duration_s=7200)
    data = tmp_path / "c"
    svc = ExamService(client_config(live_server.url, data))
    svc.login(st.ticket, st.id_number, st.password)
    svc.select_sitting(st.sitting_id)
    svc.record_consent("v1", "同意")
    svc.close()
    live_server.set_clock_offset((13 * 3600 + 60) * 1000)    # the stored token is now expired
    errors = []

    class L(A.EngineListener):
        def on_error(self, error): errors.append(error)

    again = ExamService(client_config(live_server.url, data))
    again.add_listener(L())
    try:
        assert again.resume()
        wait_for(lambda: any(e.code == "auth.expired" for e in errors), what="login asked for")
        assert not again.sync_status().online and "auth.expired" in again.sync_status().reason
        again.login(st.ticket, st.id_number, st.password)
        again.start_exam()
        seq = again.answer("q1", "B").seq
        wait_for(lambda: again.sync_status().acked_seq == seq, what="delivered after logging in again")
    finally:
        again.close()
