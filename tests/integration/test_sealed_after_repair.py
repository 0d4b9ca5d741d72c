"""A hand-in file is never refused for being honest: a journal repaired against the server's head,
then offline to the end, exports only what follows that head; the server accepts it, and every
answer arrives exactly once."""
from __future__ import annotations

import json
import sqlite3

import pytest
import requests

from client.exam.service import ExamService
from client.sync.repair import journal_path
from examcore.ops import fold
from tests.helpers.exam_client import client_config, started_service, timeline_ops, wait_for


@pytest.mark.expected_log(r"journal damaged, rebuilding", r"答题记录文件损坏")
def test_repair_then_offline_to_the_end_then_the_export_is_accepted(sitting, tmp_path):
    data = tmp_path / "c"
    svc = started_service(sitting, data)   # consent and check report: ops 1-2
    svc.answer("q1", "B")
    svc.answer("q2", ["A", "B", "D"])
    wait_for(lambda: svc.sync_status().acked_seq == 4, what="ack 4")
    svc.close()
    db = sqlite3.connect(journal_path(str(data)))   # an acknowledged op is damaged on disk
    db.execute("UPDATE ops SET hash = (CASE WHEN substr(hash, 1, 1) = '0' THEN '1' ELSE '0' END) || substr(hash, 2) "
               "WHERE seq = 2")
    db.commit()
    db.close()
    again = ExamService(client_config(sitting.server.url, data))   # rebuilt from the server's head (4)
    try:
        assert again.repair_report is not None and again.repair_report.server_heads == {sitting.sitting_id: 4}
        assert again.resume()
        sid = sitting.sitting_id
        assert again.journal.base(sid)[0] == 4 and [o.seq for o in again.journal.ops(sid)] == []
        again.worker.stop()   # and then the network is gone until the end
        again.answer("q3", True)
        again.answer("q4", ["CSAT", "NPS"])
        again.answer("q5", "先倾听，再致歉，后解决。")
        again.answer("q1", "A")   # a change of mind, offline
        path = again.export_sealed(str(tmp_path / "hand-in.json"))
        sealed = json.loads(open(path, encoding="utf-8").read())
        r = requests.post(sitting.server.api + "/sittings/%s/sealed" % sid, json=sealed, headers=sitting.headers(),
                          timeout=30)
        assert r.status_code == 200, r.text
        seal = again.journal.seal(sid)
        assert r.json()["receipt"]["final_seq"] == seal["final_seq"] == 8
        assert r.json()["receipt"]["chain_head"] == seal["chain_head"]
        ops = timeline_ops(sitting)
        assert [o["seq"] for o in ops] == list(range(1, 9))   # every op once, in order
        assert [o["source"] for o in ops] == ["online"] * 4 + ["sealed"] * 4
        answers = [(o["payload"]["question_id"], o["payload"]["value"]) for o in ops if o["kind"] == "answer"]
        assert answers == [("q1", "B"), ("q2", ["A", "B", "D"]), ("q3", True), ("q4", ["CSAT", "NPS"]),
                           ("q5", "先倾听，再致歉，后解决。"), ("q1", "A")]
        assert fold(("answer", o["payload"]) for o in ops if o["kind"] == "answer").answers == again.answers()
        # the same file again: the same receipt, nothing twice
        assert requests.post(sitting.server.api + "/sittings/%s/sealed" % sid, json=sealed, headers=sitting.headers(),
                             timeout=30).json() == r.json()
        assert len(timeline_ops(sitting)) == 8
    finally:
        again.close()
