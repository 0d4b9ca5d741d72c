"""The PC's wall clock is never trusted: moving it mid-exam changes neither the countdown nor
the exam time stamped on answers (the server re-anchors the clock on every response)."""
from __future__ import annotations

from client.exam import api as A
from client.exam.clock import ManualClockSource
from tests.helpers.exam_client import started_service, timeline_ops, wait_for


def test_wall_clock_jumps_mid_exam_change_nothing(sitting, tmp_path):
    src = ManualClockSource()
    svc = started_service(sitting, tmp_path / "c", clock_source=src, heartbeat_interval_s=0.2)
    seen = []

    class L(A.EngineListener):
        def on_time_warning(self, w): seen.append(w.minutes_left)
        def on_sealed(self, reason): seen.append(reason)

    svc.add_listener(L())
    try:
        before = svc.clock().remaining_s
        src.jump_wall(+3 * 3600)                 # the candidate moves the PC clock three hours on
        beats = svc.worker.requests_sent
        svc.answer("q1", "B")
        wait_for(lambda: svc.worker.requests_sent > beats and svc.sync_status().pending_ops == 0,
                 what="a round trip after the jump")
        src.jump_wall(-5 * 3600)                 # ... and two hours back
        svc.answer("q3", True)
        wait_for(lambda: svc.sync_status().pending_ops == 0, what="delivered")
        assert abs(svc.clock().remaining_s - before) < 2
        assert svc.state() == A.IN_EXAM and seen == []
        answers = [o for o in timeline_ops(sitting) if o["kind"] == "answer"]
        assert all(o["t_exam_ms"] < 60_000 and not o["late"] for o in answers)
    finally:
        svc.close()
