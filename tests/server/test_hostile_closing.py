"""A dishonest candidate against the closing rules, with real tokens on loopback: nothing changes a
score after the exam closes on the server's clock, and no result can be probed while it matters."""
from __future__ import annotations

import pytest
import requests

from tests.helpers.fixtures import Sitting, make_sitting
from tests.helpers.papers import sample_paper
from tests.helpers.server import LiveServer
from tests.server.kit import OpChain, assert_error, auth, heartbeat, post_ops, result, timeline

MIN = 60_000
GRACE = 15 * MIN   # the offline grace after the close


@pytest.fixture
def srv(tmp_path):
    s = LiveServer(tmp_path / "srv").start()
    yield s
    s.stop()


def _ops(st) -> list:
    return [e for e in timeline(st) if e["type"] == "op"]


def _submit(st, chain: OpChain) -> requests.Response:
    return requests.post(st.server.api + "/sittings/%s/submit" % st.sitting_id, headers=auth(st.token), timeout=10,
                         json={"final_seq": chain.seq, "chain_head": chain.head, "reason": "candidate"})


def test_answer_then_the_deadline_passes_then_answer_again_changes_nothing(srv):
    st = make_sitting(srv, duration_s=600)
    chain = OpChain(st.sitting_id)
    chain.answer("q1", "A", t_exam_ms=10_000)   # wrong, in time
    assert post_ops(st, chain.ops).status_code == 200
    assert result(st)["objective_score"] is None   # while open: nothing to learn
    srv.set_clock_offset(600_000 + 2 * 3600_000)   # the room ended two hours ago; never submitted
    for qid, value in (("q1", "B"), ("q3", True), ("q2", ["A", "B", "D"])):   # try answers one by one
        chain.answer(qid, value, t_exam_ms=20_000)   # claims a time inside the exam
        r = post_ops(st, chain.ops[-1:])
        assert r.status_code == 200 and r.json()["acked_seq"] == chain.seq   # kept, as evidence
        res = result(st)
        assert (res["status"], res["objective_score"], res["total"]) == ("provisional", 0, None)   # never moves
    ops = _ops(st)
    assert [o["late"] for o in ops] == [False, True, True, True]
    assert {o.get("late_reason") for o in ops[1:]} == {"arrived_after_grace"}
    r = _submit(st, chain)
    assert r.status_code == 200 and r.json()["receipt"]["late"] is True
    chain.answer("q1", "B")
    assert_error(post_ops(st, chain.ops[-1:]), 409, "sitting.sealed")
    assert result(st)["objective_score"] == 0


def room_of(srv, n: int, duration_s: int = 600, prefix: str = "ROOM") -> list:
    """`n` candidates in one formal room, each logged in."""
    paper_id = srv.add_paper(sample_paper("%s-paper" % prefix))
    people = [("%s-%d" % (prefix, i), "ID-%s-%d" % (prefix, i), "secret-%s-%d" % (prefix, i)) for i in range(n)]
    for ticket, id_number, password in people:
        srv.add_candidate(ticket, id_number, password)
    room = srv.add_room(paper_id, [p[0] for p in people], duration_s=duration_s)
    out = []
    for (ticket, id_number, password), s in zip(people, room["sittings"]):
        token = requests.post(srv.api + "/auth/login", json={"ticket": ticket, "id_number": id_number,
                                                             "password": password}, timeout=10).json()["token"]
        out.append(Sitting(srv, ticket, id_number, password, s["sitting_id"], room, token))
    return out


def test_no_result_while_the_room_is_open_even_after_an_early_submission(srv):
    # the early finisher must not learn a score while anyone of the room may still answer
    early, other = room_of(srv, 2)
    srv.command(other.sitting_id, type="extend", seconds=1200)   # the other has 20 more minutes
    chain = OpChain(early.sitting_id)
    chain.answer("q1", "B")
    assert post_ops(early, chain.ops).status_code == 200
    assert _submit(early, chain).status_code == 200
    res = result(early)
    assert (res["status"], res["objective_score"], res["waiting_for"]) == ("pending", None, "release")
    release = early.room["start_at_ms"] + (600 + 1200) * 1000 + GRACE
    assert res["available_at_ms"] == release
    srv.set_clock_offset(600_000 + 60_000)   # the early finisher's own close has passed: still hidden
    assert result(early)["objective_score"] is None
    srv.set_clock_offset(release - early.room["start_at_ms"] + 1000)
    assert result(early)["objective_score"] == 20
    assert result(other)["objective_score"] == 0   # closed, never submitted: shown once released


def test_a_mock_result_shows_once_submitted(srv):
    st = make_sitting(srv, kind="mock")
    chain = OpChain(st.sitting_id)
    chain.answer("q1", "B")
    assert post_ops(st, chain.ops).status_code == 200
    assert result(st)["waiting_for"] == "submission"
    assert _submit(st, chain).status_code == 200
    assert result(st)["objective_score"] == 20


def test_after_a_proctors_end_only_what_was_made_before_it_counts(srv):
    st = make_sitting(srv)
    chain = OpChain(st.sitting_id)
    chain.answer("q1", "A", t_exam_ms=5_000)
    assert post_ops(st, chain.ops).status_code == 200
    srv.set_clock_offset(50_000)
    assert heartbeat(st).status_code == 200   # the client says: nothing pending at 50 s
    srv.set_clock_offset(60_000)
    srv.command(st.sitting_id, type="end", reason="违规")
    srv.set_clock_offset(120_000)   # a minute after the end the candidate posts more
    chain.answer("q1", "B", t_exam_ms=30_000)   # before the heartbeat that said it did not exist
    chain.answer("q3", True, t_exam_ms=90_000)   # after the end
    assert post_ops(st, chain.ops[1:]).status_code == 200
    assert [(o["late"], o.get("late_reason")) for o in _ops(st)] == \
        [(False, None), (True, "contradicts_heartbeat"), (True, "made_after_close")]
    srv.set_clock_offset(60_000 + GRACE + 1000)
    assert result(st)["objective_score"] == 0


@pytest.mark.parametrize("flush_s", ["0", "3600"])   # the last contact written at once, or still queued
def test_offline_answers_count_within_limits_and_a_proctor_decides_the_rest(tmp_path, flush_s):
    srv = LiveServer(tmp_path / "srv", extra_args=["--heartbeat-flush-s", flush_s]).start()
    try:
        _offline_answers_count_within_limits(srv)
    finally:
        srv.stop()


def _offline_answers_count_within_limits(srv):
    st = make_sitting(srv, duration_s=600)
    chain = OpChain(st.sitting_id)
    chain.answer("q1", "A", t_exam_ms=10_000)
    assert post_ops(st, chain.ops).status_code == 200
    srv.set_clock_offset(300_000)
    assert heartbeat(st).status_code == 200   # last contact: 300 s, one op held, none pending
    srv.set_clock_offset(660_000)   # the network came back a minute after the close
    # a heartbeat now (claiming all four offline ops) must not loosen what the last one before the close bounds
    assert heartbeat(st, {"state": "sealed", "pending_ops": 4}).status_code == 200
    chain.answer("q1", "B", t_exam_ms=250_000)   # 2: before the last contact: contradicts it
    chain.answer("q3", True, t_exam_ms=400_000)   # 3: offline, before the close: counts
    chain.answer("q4", ["CSAT", "NPS"], t_exam_ms=380_000)   # 4: the clock ran backwards
    chain.answer("q2", ["A", "B", "D"], t_exam_ms=700_000)   # 5: made after the close
    assert post_ops(st, chain.ops[1:]).status_code == 200
    srv.set_clock_offset(600_000 + GRACE + 60_000)
    chain.answer("q4", ["CSAT", "NPS"], t_exam_ms=500_000)   # 6: arrives after the grace
    assert post_ops(st, chain.ops[-1:]).status_code == 200
    listed = srv.admin_json("GET", "/admin/sittings/%s/late-ops" % st.sitting_id)["ops"]
    assert [(o["seq"], o["basis"], o["reason"], o["counts"]) for o in listed] == [
        (2, "late", "contradicts_heartbeat", False), (3, "client_clock", "offline", True),
        (4, "late", "clock_ran_backwards", False), (5, "late", "made_after_close", False),
        (6, "late", "arrived_after_grace", False)]
    assert result(st)["objective_score"] == 20   # q3 only (q1 "A" is wrong)

    url = "/admin/sittings/%s/late-ops" % st.sitting_id
    out = srv.admin_json("POST", url, json={"seqs": [2], "decision": "accept", "by": "监考甲", "note": "断网，已核实"})
    assert out["decided"][0]["counts"] is True and out["result"]["objective_score"] == 40
    out = srv.admin_json("POST", url, json={"seqs": [3], "decision": "reject", "by": "监考乙"})
    assert out["result"]["objective_score"] == 20 and result(st)["objective_score"] == 20
    err = assert_error(srv.admin("POST", url, json={"seqs": [1], "decision": "accept", "by": "监考甲"}),
                       409, "ops.not_late")
    assert err["details"]["seqs"] == [1]
    assert_error(srv.admin("POST", url, json={"seqs": [2], "decision": "maybe", "by": "x"}), 422, "request.invalid")
    assert_error(srv.admin("POST", url, json={"seqs": [2], "decision": "accept", "by": "\u202e甲"}), 422,
                 "request.invalid")
    audit = [e for e in timeline(st) if e["type"] == "audit"]
    assert [(a["actor"], a["action"], a["details"]["seqs"]) for a in audit] == [
        ("监考甲", "late_ops.accept", [2]), ("监考乙", "late_ops.reject", [3])]
    ops = {o["seq"]: o for o in _ops(st)}
    assert ops[2]["decision"] == "accepted" and ops[2]["decided_by"] == "监考甲"
    assert_error(requests.get(srv.api + url.replace("/admin", "/admin"), headers=auth(st.token), timeout=5), 403,
                 "auth.forbidden")   # candidates cannot decide, nor look


def test_a_staff_import_is_judged_by_when_the_file_was_handed_in(srv):
    from tests.server.test_hostile_sealed import sealed_for

    st, other = make_sitting(srv, duration_s=600), make_sitting(srv, duration_s=600)
    chain = OpChain(st.sitting_id)
    chain.answer("q1", "B", t_exam_ms=100_000)
    chain.answer("q3", True, t_exam_ms=500_000)
    srv.set_clock_offset(600_000 + 3 * 3600_000)   # imported three hours after the exam
    handed_in = st.room["start_at_ms"] + 590_000    # but handed to the proctor before the end
    r = srv.admin("POST", "/admin/sealed", params={"handed_in_at_ms": handed_in}, json=sealed_for(srv, chain))
    assert r.status_code == 200, r.text
    assert [o["late"] for o in _ops(st)] == [False, False]
    [vouched] = [e for e in timeline(st) if e["type"] == "audit"]
    assert (vouched["action"], vouched["details"]) == ("sealed.handed_in", {"handed_in_at_ms": handed_in})
    assert_error(srv.admin("POST", "/admin/sealed", params={"handed_in_at_ms": 10 ** 13}, json=sealed_for(srv, chain)),
                 422, "request.invalid")   # not in the future
    late = OpChain(other.sitting_id)
    late.answer("q1", "B", t_exam_ms=100_000)
    r = srv.admin("POST", "/admin/sealed", json=sealed_for(srv, late))   # no hand-in time: now, hours late
    assert r.status_code == 200 and r.json()["receipt"]["late"] is True
    assert [o.get("late_reason") for o in _ops(other)] == ["arrived_after_grace"]
