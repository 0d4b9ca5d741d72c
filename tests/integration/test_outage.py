"""A long outage mid-exam, in compressed time: the server goes away, the exam runs on offline,
ends on time and is sealed; when the server returns every op arrives once, in order, and the
sealed submission is accepted."""
from __future__ import annotations

import pytest

from client.exam import api as A
from client.exam.clock import ManualClockSource
from tests.helpers.exam_client import started_service, timeline_ops, wait_for


class Listener(A.EngineListener):
    def __init__(self) -> None:
        self.warnings: list = []
        self.sealed: list = []
        self.offline_reasons: list = []
        self.online_flags: list = []

    def on_time_warning(self, warning): self.warnings.append(warning.minutes_left)
    def on_sealed(self, reason): self.sealed.append(reason)

    def on_sync(self, status):
        self.online_flags.append(status.online)
        if not status.online:
            self.offline_reasons.append(status.reason)


def test_two_hour_outage_ends_on_time_and_submits_later(sitting, tmp_path):
    server = sitting.server
    src = ManualClockSource()
    svc = started_service(sitting, tmp_path / "c", clock_source=src)
    listener = Listener()
    svc.add_listener(listener)
    try:
        svc.answer("q1", "A")
        wait_for(lambda: svc.sync_status().acked_seq == 3, what="online ack")
        before_outage = len(listener.online_flags)      # (a first sync under load may start offline)
        server.stop()                                   # the outage begins
        answered = []
        for minute, (qid, value) in zip((10, 50, 95, 106, 116, 119), (
                ("q1", "B"), ("q2", ["A", "B", "D"]), ("q3", True), ("q4", ["CSAT", "NPS"]),
                ("q5", "先倾听，再致歉，后解决。"), ("q1", "B"))):
            src.advance(minute * 60 - svc.exam_clock.exam_ms() / 1000.0)     # to minute N of the exam
            assert svc.answer(qid, value).durable            # saved offline, no network needed
            answered.append((qid, value))
        wait_for(lambda: "refused" in svc.sync_status().reason, what="offline, with its reason")
        assert listener.offline_reasons and not svc.sync_status().online
        wait_for(lambda: listener.warnings == [30, 15, 5, 1], what="time warnings")
        src.advance(61)                                 # past the deadline, still offline
        wait_for(lambda: svc.state() == A.SEALED, what="automatic seal at zero")
        assert listener.sealed == ["time_up"] and svc.clock().state == "ended"
        with pytest.raises(A.EngineError):
            svc.answer("q1", "C")
        final = svc.journal.seal(sitting.sitting_id)
        assert final["final_seq"] == 3 + len(answered)
        # the server comes back two hours and ten minutes later (its clock moved on as well)
        flags = list(listener.online_flags)[before_outage:]
        assert True not in flags[flags.index(False):]     # never "online" again without the server
        server.set_clock_offset(int((7200 + 600) * 1000))
        server.start()
        receipt = wait_for(svc.receipt, timeout=120, what="receipt after the outage")
        assert receipt.verified and receipt.final_seq == final["final_seq"]
        assert receipt.raw["receipt"]["reason"] == "time_up"
        ops = timeline_ops(sitting)
        assert [o["seq"] for o in ops] == list(range(1, final["final_seq"] + 1))
        assert not any(o["late"] for o in ops)
        assert [(o["payload"]["question_id"], o["payload"]["value"]) for o in ops if o["kind"] == "answer"][1:] \
            == answered
        assert all(o["t_exam_ms"] <= 7200 * 1000 for o in ops)
    finally:
        svc.close()
