"""The chain repairs itself against the real server: a journal that lost writes the server has
(fork), and a journal that believes the server holds more than it does (gap)."""
from __future__ import annotations

import os
import shutil

import pytest

from client.exam import api as A
from client.exam.service import ExamService
from client.sync.repair import journal_path
from tests.helpers.exam_client import client_config, started_service, timeline_ops, wait_for


@pytest.mark.expected_log(r"server refused ops \(ops\.(fork|gap)\)", r"journal rebased")
def test_fork_after_lost_local_writes_is_rebased_and_nothing_is_lost(sitting, tmp_path):
    data = tmp_path / "c"
    svc = started_service(sitting, data)
    svc.answer("q1", "A")
    svc.answer("q1", "B")
    wait_for(lambda: svc.sync_status().acked_seq == 4, what="ack 4")
    svc.close()
    path = journal_path(str(data))
    shutil.copy(path, str(tmp_path / "old.sqlite3"))
    again = ExamService(client_config(sitting.server.url, data))
    again.resume()
    again.answer("q1", "C")
    again.answer("q3", True)
    wait_for(lambda: again.sync_status().acked_seq == 6, what="ack 6")
    again.close()
    # the disk "forgets" the last two writes (a restored backup, a lying disk cache)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    shutil.copy(str(tmp_path / "old.sqlite3"), path)
    third = ExamService(client_config(sitting.server.url, data))
    try:
        third.resume()
        assert third.answers() == {"q1": "B"}
        third.answer("q2", ["A", "D"])           # seq 5 locally: the server's seq 5 is different
        wait_for(lambda: third.sync_status().acked_seq == 7 and third.sync_status().pending_ops == 0,
                 what="rebased delivery")
        ops = timeline_ops(sitting)
        assert [o["seq"] for o in ops] == [1, 2, 3, 4, 5, 6, 7]
        assert ops[-1]["payload"] == {"question_id": "q2", "value": ["A", "D"]}
        assert third.journal.verify() == ""
        receipt = third.submit()
        assert receipt is not None and receipt.final_seq == 7
    finally:
        third.close()


@pytest.mark.expected_log(r"server refused ops \(ops\.(fork|gap)\)", r"journal rebased", r"already submitted on the server", r"已经交卷")
def test_gap_when_the_server_holds_less_than_we_thought(sitting, tmp_path):
    svc = started_service(sitting, tmp_path / "c")
    try:
        wait_for(lambda: svc.sync_status().acked_seq == 2, what="ack 2")
        svc.worker.stop()
        for v in "ABCD":
            svc.answer("q1", v)
        sid = sitting.sitting_id
        seq, head = svc.journal.head(sid)
        svc.journal.set_acked(sid, seq - 1, svc.journal.ops(sid, seq - 2, 1)[0].hash)   # a wrong belief
        svc.worker = None
        svc._start_worker(sid)
        wait_for(lambda: svc.sync_status().acked_seq == seq, what="gap repaired")
        ops = timeline_ops(sitting)
        assert [o["seq"] for o in ops] == list(range(1, seq + 1))
        assert [o["payload"]["value"] for o in ops if o["kind"] == "answer"] == list("ABCD")
    finally:
        svc.close()


@pytest.mark.expected_log(r"already submitted on the server", r"已经交卷", r"server refused ops", r"journal rebased")
def test_submitted_from_another_pc_gives_that_receipt_and_keeps_the_rest(sitting, tmp_path):
    first = started_service(sitting, tmp_path / "pc1")
    second = started_service(sitting, tmp_path / "pc2")   # the same candidate on a second machine
    errors = []

    class L(A.EngineListener):
        def on_error(self, error): errors.append(error)

    second.add_listener(L())
    try:
        second.worker.stop()
        first.answer("q1", "B")
        receipt = first.submit()
        assert receipt is not None
        second.answer("q1", "C")                          # too late: the sitting is submitted
        second.worker = None
        second._start_worker(sitting.sitting_id)
        got = wait_for(second.receipt, timeout=60, what="the other PC's receipt")
        assert got.submission_id == receipt.submission_id and got.verified
        assert second.state() == A.SUBMITTED
        assert "sitting.submitted_elsewhere" in [e.code for e in errors]
        assert second.answers()["q1"] == "C"              # kept locally, never dropped
        values = [o["payload"]["value"] for o in timeline_ops(sitting) if o["kind"] == "answer"]
        assert values == ["B"]
    finally:
        first.close()
        second.close()


@pytest.mark.expected_log(r"set aside \(refused by the server\)", r"操作 \d+：", r"server refused ops")
def test_an_op_the_server_refuses_does_not_block_the_rest(sitting, tmp_path):
    svc = started_service(sitting, tmp_path / "c")
    errors = []

    class L(A.EngineListener):
        def on_error(self, error): errors.append(error)

    svc.add_listener(L())
    try:
        svc.worker.stop()
        sid = sitting.sitting_id
        svc.answer("q1", "B")
        # a value no valid client writes (as if damaged on disk), straight into the journal
        svc.journal.append(sid, "answer", {"question_id": "q1", "value": "Z"}, 1000, 0)
        svc.answer("q3", True)
        svc.answer("q2", ["A"])
        svc.worker = None
        svc._start_worker(sid)
        wait_for(lambda: svc.sync_status().pending_ops == 0 and svc.sync_status().acked_seq == 5, what="rest delivered")
        answers = [o["payload"] for o in timeline_ops(sitting) if o["kind"] == "answer"]
        assert answers == [{"question_id": "q1", "value": "B"}, {"question_id": "q3", "value": True},
                           {"question_id": "q2", "value": ["A"]}]
        assert errors and errors[0].status == 422 and errors[0].message_zh
        assert svc.journal._db.execute("SELECT count(*) FROM ops_archive WHERE payload LIKE '%\"Z\"%'").fetchone()[0] == 1
    finally:
        svc.close()
