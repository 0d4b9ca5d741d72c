"""The whole candidate flow against the real server process on loopback."""
from __future__ import annotations

import hashlib
import os

import pytest
import requests
from cryptography.exceptions import InvalidSignature
from tusclient import client as tus_client

from examcore.chain import canonical, genesis
from tests.helpers.fixtures import make_sitting
from tests.helpers.papers import FULL_MARKS
from tests.server.kit import OpChain, assert_error, auth, decrypt_bundle, post_ops, verify_signature


def test_login_bundle_key_ops_heartbeat_upload_submit_result(live_server, tmp_path):
    srv = live_server
    st = make_sitting(srv, start_in_s=3600)
    info = requests.get(srv.api + "/server-info", timeout=5).json()
    api, h = srv.api + "/sittings/" + st.sitting_id, auth(st.token)

    me = requests.get(srv.api + "/me", headers=h, timeout=5).json()
    assert me["candidate"]["ticket"] == st.ticket
    [summary] = me["sittings"]
    assert summary["status"] == "scheduled" and summary["attempt"] == 1 and summary["retake"] is False
    assert summary["deadline_ms"] == summary["start_at_ms"] + 7200 * 1000

    # the paper can be fetched before the start, signed; the key cannot
    bundle = requests.get(api + "/paper", headers=h, timeout=5).json()
    signed = {k: v for k, v in bundle.items() if k != "signature"}
    verify_signature(info["signing_public_key"], signed, bundle["signature"])
    with pytest.raises(InvalidSignature):
        verify_signature(info["signing_public_key"], dict(signed, paper_id="other"), bundle["signature"])
    assert bundle["sitting_id"] == st.sitting_id
    err = assert_error(requests.get(api + "/paper-key", headers=h, timeout=5), 425, "paper.key_not_yet")
    assert err["details"]["available_at_ms"] == summary["start_at_ms"]
    # answers before the start are refused, events are fine
    chain = OpChain(st.sitting_id)
    chain.add("consent", {"version": "1", "accepted": True, "text_sha256": "0" * 64})
    assert post_ops(st, chain.ops).json()["acked_seq"] == 1
    early = OpChain(st.sitting_id)
    early.seq, early.head = chain.seq, chain.head
    early.answer("q1", "B")
    assert_error(post_ops(st, early.ops[-1:]), 409, "sitting.not_started")

    srv.set_clock_offset(3601 * 1000)  # the start time has come
    key = requests.get(api + "/paper-key", headers=h, timeout=5).json()
    paper = decrypt_bundle(bundle, key["key"])
    assert hashlib.sha256(__import__("base64").b64decode(bundle["ciphertext"])).hexdigest() == bundle["ciphertext_sha256"]
    assert paper["paper_id"] == bundle["paper_id"] and len(paper["questions"]) == 5
    assert all("answer" not in q for q in paper["questions"])  # formal papers travel without answers

    for qid, value in FULL_MARKS.items():
        chain.answer(qid, value, t_exam_ms=60_000)
    chain.add("flag", {"question_id": "q2", "flagged": True})
    r = post_ops(st, chain.ops[1:])
    assert r.status_code == 200, r.text
    assert r.json() == {"acked_seq": chain.seq, "chain_head": chain.head}
    assert post_ops(st, chain.ops).json()["acked_seq"] == chain.seq  # resending everything is harmless

    # proctor commands come down with heartbeats until acknowledged; extension moves the deadline
    c1 = srv.command(st.sitting_id, type="message", text="请调整摄像头角度")
    c2 = srv.command(st.sitting_id, type="extend", seconds=600)
    hb = {"state": "in_exam", "camera": "ok", "microphone": "ok", "network": "online", "pending_ops": 0,
          "pending_uploads": 0, "acked_commands": []}
    down = requests.post(api + "/heartbeat", json=hb, headers=h, timeout=5).json()
    assert [c["id"] for c in down["commands"]] == [c1["id"], c2["id"]]
    assert down["commands"][0]["text"] == "请调整摄像头角度" and down["commands"][1]["seconds"] == 600
    assert down["extension_s"] == 600 and down["deadline_ms"] == summary["deadline_ms"] + 600_000
    again = requests.post(api + "/heartbeat", json=hb, headers=h, timeout=5).json()
    assert [c["id"] for c in again["commands"]] == [c1["id"], c2["id"]]  # repeated: not acked yet
    hb["acked_commands"] = [c1["id"]]
    assert [c["id"] for c in requests.post(api + "/heartbeat", json=hb, headers=h, timeout=5).json()["commands"]] \
        == [c2["id"]]
    sitting = requests.get(api, headers=h, timeout=5).json()
    assert sitting["extension_s"] == 600 and sitting["status"] == "in_progress"
    assert sitting["acked_seq"] == chain.seq and sitting["chain_head"] == chain.head

    # an evidence snippet linked to an event, uploaded with tuspy across a cut
    chain.add("event", {"type": "face.missing", "severity": "alert", "detail": {"seconds": 6}, "upload_id": None})
    assert post_ops(st, chain.ops[-1:]).status_code == 200
    clip = tmp_path / "evidence.mp4"
    clip.write_bytes(os.urandom(300_000))
    meta = {"filename": clip.name, "filetype": "video/mp4", "sitting_id": st.sitting_id, "purpose": "evidence",
            "sha256": hashlib.sha256(clip.read_bytes()).hexdigest(), "event_seq": str(chain.seq)}
    tus = tus_client.TusClient(srv.api + "/files/", headers=h)
    first = tus.uploader(str(clip), chunk_size=100_000, metadata=meta, retries=0)
    first.set_url(first.create_url())
    first.upload_chunk()  # ...and the connection is gone
    second = tus.uploader(str(clip), chunk_size=100_000, metadata=meta, retries=0, url=first.url)
    assert second.offset == 100_000
    second.upload()
    [up] = requests.get(api + "/uploads", headers=h, timeout=5).json()["uploads"]
    assert (up["verified"], up["event_seq"], up["sha256"]) == (True, chain.seq, meta["sha256"])

    assert requests.get(api + "/result", headers=h, timeout=5).json()["status"] == "pending"
    # submit: the server needs every op first
    assert_error(requests.post(api + "/submit", json={"final_seq": chain.seq + 1, "chain_head": chain.head},
                               headers=h, timeout=5), 409, "submit.missing_ops")
    assert_error(requests.post(api + "/submit", json={"final_seq": chain.seq, "chain_head": genesis("x")},
                               headers=h, timeout=5), 409, "submit.chain_mismatch")
    body = {"final_seq": chain.seq, "chain_head": chain.head, "reason": "candidate"}
    r = requests.post(api + "/submit", json=body, headers=h, timeout=5)
    assert r.status_code == 200, r.text
    receipt = r.json()
    verify_signature(info["signing_public_key"], receipt["receipt"], receipt["signature"])
    rc = receipt["receipt"]
    assert (rc["sitting_id"], rc["ticket"], rc["final_seq"], rc["chain_head"], rc["late"]) == \
        (st.sitting_id, st.ticket, chain.seq, chain.head, False)
    expected_answers = {"q1": "B", "q2": ["A", "B", "D"], "q3": True, "q4": ["csat", "NPS"], "q5": FULL_MARKS["q5"]}
    assert rc["answers_sha256"] == hashlib.sha256(canonical(expected_answers)).hexdigest()
    assert requests.post(api + "/submit", json=body, headers=h, timeout=5).json() == receipt  # idempotent

    # after submission: answers are sealed, events still flow
    chain.answer("q1", "A")
    assert_error(post_ops(st, chain.ops[-1:]), 409, "sitting.sealed")
    chain.ops.pop()
    chain.seq -= 1
    chain.head = chain.ops[-1]["hash"]
    chain.add("event", {"type": "network", "severity": "info", "detail": {"state": "online"}})
    assert post_ops(st, chain.ops[-1:]).status_code == 200
    assert post_ops(st, chain.ops).json()["acked_seq"] == chain.seq  # a full resend after submission is harmless

    # a formal result is shown once no answer of the room can count any more: close + offline grace
    res = requests.get(api + "/result", headers=h, timeout=5).json()
    release = summary["deadline_ms"] + 600_000 + 15 * 60_000
    assert (res["status"], res["objective_score"], res["total"], res["waiting_for"], res["available_at_ms"]) == \
        ("pending", None, None, "release", release)
    srv.set_clock_offset(release - summary["start_at_ms"] + 3600 * 1000 + 1000)
    res = requests.get(api + "/result", headers=h, timeout=5).json()
    assert res["status"] == "provisional" and res["objective_score"] == 80 and res["objective_max"] == 80
    assert res["essay_max"] == 20 and res["total"] is None and res["passed"] is None
    marked = srv.admin_json("POST", "/admin/sittings/%s/marks" % st.sitting_id, json={"question_id": "q5", "points": 15})
    assert marked["status"] == "final"
    res = requests.get(api + "/result", headers=h, timeout=5).json()
    assert (res["status"], res["total"], res["passed"], res["essay_score"]) == ("final", 95, True, 15)

    timeline = srv.admin_json("GET", "/admin/sittings/%s/timeline" % st.sitting_id)
    kinds = [e["type"] for e in timeline["entries"]]
    assert kinds.count("op") == chain.seq and kinds.count("heartbeat") == 3 and "submit" in kinds
    assert kinds.count("upload") == 1 and kinds.count("command") == 2
    results = srv.admin_json("GET", "/admin/rooms/%s/results" % st.room["room_id"])
    assert results["results"][0]["total"] == 95 and results["results"][0]["ticket"] == st.ticket


def test_mock_sitting_key_at_once_with_answers(live_server):
    st = make_sitting(live_server, start_in_s=86400, kind="mock")
    h = auth(st.token)
    api = live_server.api + "/sittings/" + st.sitting_id
    key = requests.get(api + "/paper-key", headers=h, timeout=5)
    assert key.status_code == 200
    paper = decrypt_bundle(requests.get(api + "/paper", headers=h, timeout=5).json(), key.json()["key"])
    assert paper["questions"][0]["answer"] == "B"  # mock papers keep answers for local practice scoring


def test_late_answers_are_stored_but_not_scored(live_server):
    st = make_sitting(live_server, duration_s=600)
    chain = OpChain(st.sitting_id)
    chain.answer("q1", "B", t_exam_ms=599_000)  # received in time: counts, whatever it claims
    assert post_ops(st, chain.ops).status_code == 200
    live_server.set_clock_offset(700 * 1000)  # the exam is over (on the server's clock)
    chain.answer("q3", True, t_exam_ms=606_000)  # claims a time beyond the close + 5 s
    assert post_ops(st, chain.ops[-1:]).status_code == 200  # kept
    r = requests.post(live_server.api + "/sittings/%s/submit" % st.sitting_id, headers=auth(st.token), timeout=5,
                      json={"final_seq": 2, "chain_head": chain.head, "reason": "time_up"})
    assert r.status_code == 200 and r.json()["receipt"]["late"] is True
    live_server.set_clock_offset((600 + 15 * 60 + 10) * 1000)  # results are released
    res = requests.get(live_server.api + "/sittings/%s/result" % st.sitting_id, headers=auth(st.token), timeout=5)
    assert res.json()["objective_score"] == 20  # q1 only
    entries = live_server.admin_json("GET", "/admin/sittings/%s/timeline" % st.sitting_id)["entries"]
    ops = [e for e in entries if e["type"] == "op"]
    assert [e["late"] for e in ops] == [False, True] and ops[1]["late_reason"] == "made_after_close"


def test_ended_by_proctor_and_logout(live_server):
    st = make_sitting(live_server)
    live_server.set_clock_offset(60_000)  # one minute into the exam
    live_server.command(st.sitting_id, type="end", reason="违规：离开座位")
    s = requests.get(live_server.api + "/sittings/" + st.sitting_id, headers=auth(st.token), timeout=5).json()
    assert s["status"] == "ended" and s["ended_reason"] == "违规：离开座位"
    chain = OpChain(st.sitting_id)
    chain.answer("q1", "B", t_exam_ms=30_000)  # made before the end, delivered after: counts
    chain.answer("q3", True, t_exam_ms=300_000)  # made after the end: stored, flagged late
    assert post_ops(st, chain.ops).status_code == 200
    entries = live_server.admin_json("GET", "/admin/sittings/%s/timeline" % st.sitting_id)["entries"]
    assert [e["late"] for e in entries if e["type"] == "op"] == [False, True]
    live_server.set_clock_offset((60 + 15 * 60 + 10) * 1000)  # the end + the offline grace: released
    res = requests.get(live_server.api + "/sittings/%s/result" % st.sitting_id, headers=auth(st.token), timeout=5)
    assert res.json()["objective_score"] == 20  # an ended sitting is scored on what it holds
    assert requests.post(live_server.api + "/auth/logout", headers=auth(st.token), timeout=5).status_code == 200
    assert_error(requests.get(live_server.api + "/me", headers=auth(st.token), timeout=5), 401, "auth.required")


def test_an_extension_after_the_deadline_reopens_the_sitting(live_server):
    st = make_sitting(live_server, duration_s=600)
    live_server.set_clock_offset(700 * 1000)  # the deadline (+ grace) has passed: an outage, say
    url = live_server.api + "/sittings/" + st.sitting_id
    assert requests.get(url, headers=auth(st.token), timeout=5).json()["status"] == "ended"
    out = live_server.command(st.sitting_id, type="extend", seconds=600)
    assert out["extension_s"] == 600 and out["deadline_ms"] == st.room["start_at_ms"] + 1_200_000
    s = requests.get(url, headers=auth(st.token), timeout=5).json()
    assert s["status"] == "in_progress" and s["deadline_ms"] == out["deadline_ms"]
    chain = OpChain(st.sitting_id)
    chain.answer("q1", "B", t_exam_ms=650_000)  # inside the extended time: counts
    assert post_ops(st, chain.ops).status_code == 200
    entries = live_server.admin_json("GET", "/admin/sittings/%s/timeline" % st.sitting_id)["entries"]
    assert [e["late"] for e in entries if e["type"] == "op"] == [False]


def test_marking_rules(live_server):
    st = make_sitting(live_server)
    url = "/admin/sittings/%s/marks" % st.sitting_id
    assert_error(live_server.admin("POST", url, json={"question_id": "q1", "points": 5}), 422, "ops.unknown_question")
    assert_error(live_server.admin("POST", url, json={"question_id": "q9", "points": 5}), 422, "ops.unknown_question")
    err = assert_error(live_server.admin("POST", url, json={"question_id": "q5", "points": 21}), 422,
                       "request.invalid")
    assert "20" in err["message_en"]
    assert_error(live_server.admin("POST", url, json={"question_id": "q5", "points": -1}), 422, "request.invalid")
    assert_error(live_server.admin("POST", "/admin/sittings/s-none/marks", json={"question_id": "q5", "points": 1}),
                 404, "not_found")
    # marks before submission are kept; the result stays pending until the sitting is over
    assert live_server.admin_json("POST", url, json={"question_id": "q5", "points": 20})["status"] == "pending"
