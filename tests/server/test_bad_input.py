"""Bad input answers 4xx with the documented error body, never 5xx, and changes nothing."""
from __future__ import annotations

import json

import pytest
import requests

from examcore.chain import genesis
from tests.helpers.fixtures import make_sitting
from tests.helpers.papers import sample_paper
from tests.server.kit import OpChain, assert_error, auth, post_ops


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    from tests.helpers.server import LiveServer

    s = LiveServer(tmp_path_factory.mktemp("bad-input")).start()
    yield s
    s.stop()


@pytest.fixture
def st(srv):
    return make_sitting(srv)


def _raw(st, data: bytes, path: str = "/ops", ctype: str = "application/json") -> requests.Response:
    return requests.post(st.server.api + "/sittings/%s%s" % (st.sitting_id, path), data=data, timeout=10,
                         headers=dict(auth(st.token), **{"Content-Type": ctype}))


def _acked(st) -> int:
    return requests.get(st.server.api + "/sittings/" + st.sitting_id, headers=auth(st.token), timeout=5).json()["acked_seq"]


def test_malformed_json_and_wrong_types(st):
    assert_error(_raw(st, b'{"ops": [ {"seq": 1,'), 422, "request.invalid")
    assert_error(_raw(st, b"\xff\xfe garbage"), 422, "request.invalid")
    assert_error(_raw(st, b"[]"), 422, "request.invalid")
    assert_error(_raw(st, b'{"ops": []}'), 422, "request.invalid")
    good = OpChain(st.sitting_id).answer("q1", "B")
    for field, bad in (("seq", "1"), ("seq", True), ("seq", 0), ("t_exam_ms", 1.5), ("payload", ["q1"]),
                       ("kind", "teleport"), ("hash", "not-hex"), ("t_client_ms", "now")):
        err = assert_error(_raw(st, json.dumps({"ops": [dict(good, **{field: bad})]}).encode()), 422,
                           "request.invalid")
        assert field in json.dumps(err["details"]), (field, err)
    assert_error(requests.post(st.server.api + "/auth/login", json={"ticket": 1, "id_number": "x", "password": "y"},
                               timeout=5), 422, "request.invalid")
    assert_error(requests.post(st.server.api + "/admin/rooms", data=b"{", timeout=5, headers={
        "Authorization": "Bearer test-admin-token", "Content-Type": "application/json"}), 422, "request.invalid")
    assert _acked(st) == 0


def test_pathological_json(st):
    deep = b'{"ops": [{"payload": ' + b"[" * 200_000 + b"]" * 200_000 + b"}]}"
    r = _raw(st, deep)
    assert 400 <= r.status_code < 500 and r.json()["error"]["code"] == "request.invalid", r.text[:200]
    def nested(levels: int) -> dict:
        report: dict = {}
        inner = report
        for _ in range(levels):
            inner["x"] = {}
            inner = inner["x"]
        return report

    c = OpChain(st.sitting_id)   # parseable, but deeper than any body needs: refused at the edge
    c.add("check_report", {"report": nested(900)})
    err = assert_error(post_ops(st, c.ops), 422, "request.invalid")
    assert "64" in err["message_en"] and len(err["message_en"]) < 300
    c = OpChain(st.sitting_id)   # within the body limit, deeper than an op payload may nest
    c.add("check_report", {"report": nested(40)})
    err = assert_error(post_ops(st, c.ops), 422, "ops.invalid")
    assert "32" in err["message_en"]
    hb = b'{"state": "x", "extra": ' + b'{"x": ' * 900 + b"1" + b"}" * 900 + b"}"
    assert_error(_raw(st, hb, path="/heartbeat"), 422, "request.invalid")
    # NaN and Infinity are no JSON numbers (RFC 8785 refuses them too): what is stored is what is shown
    c = OpChain(st.sitting_id)
    c.add("event", {"type": "camera.light", "severity": "info", "detail": {"v": float("nan")}})
    assert_error(_raw(st, json.dumps({"ops": c.ops}).encode()), 422, "request.invalid")
    assert_error(_raw(st, b'{"state": "x", "camera": "ok", "v": Infinity}', path="/heartbeat"), 422, "request.invalid")
    r = st.server.admin("GET", "/admin/sittings/%s/timeline" % st.sitting_id)
    assert r.status_code == 200 and r.json()["entries"] == []  # nothing refused was stored
    assert _raw(st, b'{"ops": [{"seq": 1e400}]}').status_code == 422
    assert _raw(st, rb'{"ops": "\ud800"}').status_code == 422  # a lone surrogate


def test_oversized_bodies(st):
    big = json.dumps({"state": "x", "pad": "x" * (16 * 1024 + 10)}).encode()
    err = assert_error(_raw(st, big, path="/heartbeat"), 413, "request.too_large")
    assert err["details"]["max_bytes"] == 16 * 1024   # a heartbeat is a few hundred bytes
    big = json.dumps({"candidates": ["x" * 100] * 12000}).encode()
    err = assert_error(st.server.admin("POST", "/admin/rooms", data=big, headers={"Content-Type": "application/json"}),
                       413, "request.too_large")
    assert err["details"]["max_bytes"] == 1024 * 1024   # the default for other bodies
    err = assert_error(_raw(st, b" " * (8 * 1024 * 1024 + 1)), 413, "request.too_large")
    assert err["details"]["max_bytes"] == 8 * 1024 * 1024  # ops batches may be larger than other bodies

    def chunks():  # no Content-Length: the limit holds while the body streams in
        for _ in range(40):
            yield b"x" * 65536

    r = requests.post(st.server.api + "/sittings/%s/heartbeat" % st.sitting_id, data=chunks(), timeout=10,
                      headers=dict(auth(st.token), **{"Content-Type": "application/json"}))
    assert assert_error(r, 413, "request.too_large")["details"]["max_bytes"] == 16 * 1024
    chain = OpChain(st.sitting_id)
    for _ in range(501):
        chain.add("nav", {"question_id": "q1"})
    assert_error(post_ops(st, chain.ops), 422, "request.invalid")  # at most 500 ops per request
    assert _acked(st) == 0


def test_a_batch_of_long_essay_snapshots_fits(srv):
    paper = sample_paper("long-essay")
    paper["questions"][4]["max_chars"] = 5000
    st = make_sitting(srv, paper=paper)
    c = OpChain(st.sitting_id)
    for i in range(200):  # 200 snapshots of a 5,000-character essay: ~3 MB of JSON
        c.answer("q5", "答" * 4990 + "%04d" % i)
    r = post_ops(st, c.ops)
    assert r.status_code == 200 and r.json()["acked_seq"] == 200


def test_unknown_questions_and_invalid_answers(st):
    chain = OpChain(st.sitting_id)
    chain.answer("q99", "A")
    err = assert_error(post_ops(st, chain.ops), 422, "ops.unknown_question")
    assert err["details"]["question_id"] == "q99"
    for qid, value in (("q1", "Z"), ("q1", ["B"]), ("q2", "A"), ("q3", "true"), ("q4", ["only one"]),
                       ("q5", "字" * 501)):
        c = OpChain(st.sitting_id)
        c.answer(qid, value)
        assert_error(post_ops(st, c.ops), 422, "ops.invalid_answer")
    for kind, payload in (("flag", {"question_id": "q1", "flagged": "yes"}), ("event", {"type": "x"}),
                          ("consent", {"version": "1", "accepted": False, "text_sha256": "x"}),
                          ("check_report", {"report": []}), ("nav", {"question_id": 5})):
        c = OpChain(st.sitting_id)
        c.add(kind, payload)
        assert_error(post_ops(st, c.ops), 422, "ops.invalid")
    assert _acked(st) == 0


def test_replayed_gapped_forked_and_bad_hash_sequences(st):
    chain = OpChain(st.sitting_id)
    for v in ("A", "B", "C"):
        chain.answer("q1", v)
    assert post_ops(st, chain.ops[:2]).json()["acked_seq"] == 2
    assert post_ops(st, chain.ops[:2]).json() == {"acked_seq": 2, "chain_head": chain.ops[1]["hash"]}  # replay

    fork = OpChain(st.sitting_id)
    fork.answer("q1", "A")
    fork.answer("q1", "D")  # same seq 2, different content
    err = assert_error(post_ops(st, fork.ops[1:]), 409, "ops.fork")
    assert err["details"] == {"acked_seq": 2, "chain_head": chain.ops[1]["hash"], "seq": 2}

    gap = OpChain(st.sitting_id)
    for v in ("A", "B", "C", "D"):
        gap.answer("q1", v)
    err = assert_error(post_ops(st, gap.ops[3:]), 409, "ops.gap")
    assert err["details"]["acked_seq"] == 2 and err["details"]["chain_head"] == chain.ops[1]["hash"]

    bad = dict(chain.ops[2], hash=genesis("forged"))
    err = assert_error(post_ops(st, [bad]), 409, "ops.bad_hash")
    assert err["details"]["acked_seq"] == 2

    # all or nothing: a good op followed by a broken one leaves the server where it was
    broken = OpChain(st.sitting_id)
    broken.seq, broken.head = 3, chain.ops[2]["hash"]
    broken.answer("q99", "A")
    assert_error(post_ops(st, [chain.ops[2]] + broken.ops), 422, "ops.unknown_question")
    assert _acked(st) == 2
    assert post_ops(st, chain.ops).json()["acked_seq"] == 3


def test_key_before_start_and_corrupt_paper(srv):
    st = make_sitting(srv, start_in_s=600)
    r = requests.get(srv.api + "/sittings/%s/paper-key" % st.sitting_id, headers=auth(st.token), timeout=5)
    assert_error(r, 425, "paper.key_not_yet")
    bad = sample_paper("corrupt-1")
    bad["questions"][0]["points"] = 25  # points no longer sum to 100
    err = assert_error(srv.admin("POST", "/admin/papers", json=bad), 422, "paper.invalid")
    assert "100" in err["message_en"] and "100" in err["message_zh"]
    for broken in ({"format": "examdesk-paper/1"}, {"format": "other"}, dict(sample_paper("x"), questions="none"),
                   dict(sample_paper("y"), level="专家")):
        assert_error(srv.admin("POST", "/admin/papers", json=broken), 422, "paper.invalid")
    no_answers = sample_paper("no-answers")
    del no_answers["questions"][0]["answer"]
    assert_error(srv.admin("POST", "/admin/papers", json=no_answers), 422, "paper.invalid")
    assert_error(srv.admin("POST", "/admin/papers", data=b"\x00\x01", headers={"Content-Type": "application/json"}),
                 422, "request.invalid")
    # a paper in use by a room cannot change under it; the same content again is fine
    used = sample_paper("in-use")
    srv.add_paper(used)
    srv.add_room("in-use", [st.ticket])
    assert srv.admin_json("POST", "/admin/papers", json=used)["changed"] is False
    used["questions"][0]["answer"] = "A"
    assert_error(srv.admin("POST", "/admin/papers", json=used), 409, "paper.invalid")


def test_sealed_garbage_unknown_paths_and_methods(st):
    assert_error(_raw(st, json.dumps({"format": "examdesk-sealed/1", "sitting_id": st.sitting_id,
                                      "ephemeral_public_key": "AAAA", "nonce": "AAAA", "ciphertext": "AAAA"}).encode(),
                      path="/sealed"), 422, "sealed.invalid")
    assert_error(requests.get(st.server.api + "/nope", timeout=5), 404, "not_found")
    assert_error(requests.delete(st.server.api + "/me", headers=auth(st.token), timeout=5), 405, "request.method")
    assert_error(requests.post(st.server.api + "/sittings/%s/heartbeat" % st.sitting_id, headers=auth(st.token),
                               json={"pending_ops": -1}, timeout=5), 422, "request.invalid")
    r = requests.post(st.server.api + "/sittings/%s/heartbeat" % st.sitting_id, headers=auth(st.token),
                      json={"acked_commands": ["c-\u00b2", "c-", "x-1", "c-99999999999999999999"]}, timeout=5)
    assert r.status_code == 200 and r.json()["commands"] == []
    assert_error(requests.post(st.server.api + "/admin/sittings/%s/commands" % st.sitting_id, timeout=5,
                               headers=auth("test-admin-token"), json={"type": "extend", "seconds": "600"}),
                 422, "request.invalid")


def test_speedtest_counts_bytes_and_caps_at_8_mib(srv):
    r = requests.post(srv.api + "/speedtest", data=b"z" * 300_000, timeout=10)
    assert r.status_code == 200 and r.json()["bytes"] == 300_000 and r.json()["ms"] >= 0
    assert_error(requests.post(srv.api + "/speedtest", data=b"z" * (8 * 1024 * 1024 + 1), timeout=10),
                 413, "request.too_large")


def test_speedtest_is_rate_limited_per_address(srv):
    codes = [requests.post(srv.api + "/speedtest", data=b"z" * 10, timeout=10).status_code for _ in range(25)]
    assert 200 in codes and codes[-1] == 429
    r = requests.post(srv.api + "/speedtest", data=b"z", timeout=10)
    err = assert_error(r, 429, "rate.limited")
    assert 1 <= err["details"]["retry_after_s"] <= 61 and r.headers["Retry-After"] == str(err["details"]["retry_after_s"])


def test_a_self_check_days_before_the_start_is_accepted(srv):
    st = make_sitting(srv, start_in_s=3 * 86400)
    c = OpChain(st.sitting_id)
    c.add("check_report", {"report": {"camera": {"status": "pass"}}}, t_exam_ms=-3 * 86_400_000 + 5000)
    assert post_ops(st, c.ops).status_code == 200


def test_repeats_and_forks_inside_one_batch(srv):
    st = make_sitting(srv)
    chain = OpChain(st.sitting_id)
    chain.answer("q1", "A")
    chain.answer("q1", "B")
    assert post_ops(st, [chain.ops[0], chain.ops[0], chain.ops[1], chain.ops[1]]).json()["acked_seq"] == 2
    other = OpChain(st.sitting_id)
    other.seq, other.head = 2, chain.head
    other.answer("q1", "C")
    twin = OpChain(st.sitting_id)
    twin.seq, twin.head = 2, chain.head
    twin.answer("q1", "D")  # seq 3 again, different content, in the same batch
    err = assert_error(post_ops(st, other.ops + twin.ops), 409, "ops.fork")
    assert err["details"]["acked_seq"] == 2  # the batch was all or nothing
    assert _acked(st) == 2
