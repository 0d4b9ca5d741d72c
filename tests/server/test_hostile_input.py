"""Every input path checked at the edge: what the server stores is what it shows, and no input
answers 500 (lone surrogates, NaN, overflowing numbers, repeated keys, control characters, wrong
types in papers, bodies before authentication)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.helpers.fixtures import make_sitting
from tests.helpers.papers import sample_paper
from tests.helpers.server import ADMIN_TOKEN, ROOT, LiveServer
from tests.server.kit import OpChain, assert_error, auth, heartbeat, post_ops, timeline


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = LiveServer(tmp_path_factory.mktemp("hostile-input")).start()
    yield s
    s.stop()


@pytest.fixture
def st(srv):
    return make_sitting(srv)


def _raw(st, path: str, data: bytes, token: str | None = None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if token != "":
        headers.update(auth(token or st.token))
    return requests.post(st.server.api + path, data=data, headers=headers, timeout=10)


def _ops_raw(st, text: str) -> requests.Response:
    return _raw(st, "/sittings/%s/ops" % st.sitting_id, text.encode("utf-8"))


def _op_text(st, payload_json: str, kind: str = "answer") -> str:
    """An op whose payload is given as JSON text (escapes and all), with a hash a client could compute
    only if its canonical JSON encoded the value, which for these values it cannot."""
    return '{"ops": [{"seq": 1, "kind": "%s", "payload": %s, "t_exam_ms": 1000, "hash": "%s"}]}' % (
        kind, payload_json, "0" * 64)


def test_lone_surrogates_are_refused_everywhere_and_nothing_is_stored(st):
    for kind, payload in (("answer", r'{"question_id": "q5", "value": "\ud800"}'),
                          ("answer", r'{"question_id": "q4", "value": ["\udc00", "x"]}'),
                          ("event", r'{"type": "\ud800", "severity": "info", "detail": {}}'),
                          ("event", r'{"type": "x", "severity": "info", "detail": {"\ud800": 1}}')):
        err = assert_error(_ops_raw(st, _op_text(st, payload, kind)), 422, "request.invalid")
        assert "Unicode" in err["message_en"] and err["details"]["errors"][0]["loc"][:3] == ["body", "ops", "0"]
    for body in (rb'{"state": "\ud800"}', rb'{"state": "in_exam", "extra": "\udfff"}'):
        assert_error(_raw(st, "/sittings/%s/heartbeat" % st.sitting_id, body), 422, "request.invalid")
    assert_error(st.server.admin("POST", "/admin/papers", data=json.dumps(sample_paper("p-sur"), ensure_ascii=False).replace(
        "测试试卷", "\\ud800").encode(), headers={"Content-Type": "application/json"}), 422, "request.invalid")
    assert_error(st.server.admin("POST", "/admin/candidates", data=rb'{"ticket": "X", "id_number": "1", "name": "\ud800",'
                                 rb' "level": "\u4e2d\u7ea7", "password": "secret1"}',
                                 headers={"Content-Type": "application/json"}), 422, "request.invalid")
    r = st.server.admin("GET", "/admin/sittings/%s/timeline" % st.sitting_id)
    assert r.status_code == 200 and r.json()["entries"] == []   # the proctor still sees the sitting


def test_numbers_nan_repeated_keys_and_bad_encodings(st):
    sid = st.sitting_id
    for payload in ('{"question_id": "q5", "value": NaN}', '{"question_id": "q5", "value": -Infinity}',
                    '{"question_id": "q5", "value": 1e400}', '{"question_id": "q5", "value": 18446744073709551616}',
                    '{"question_id": "q5", "value": "a", "value": "b"}'):
        assert_error(_ops_raw(st, _op_text(st, payload)), 422, "request.invalid")
    big = OpChain(sid)
    big.answer("q1", "B", t_exam_ms=2 ** 64)
    assert_error(post_ops(st, big.ops), 422, "request.invalid")   # a bounded field
    assert_error(heartbeat(st, {"pending_ops": 10 ** 12}), 422, "request.invalid")
    for path in ("/sittings/%s/ops" % sid, "/sittings/%s/heartbeat" % sid, "/sittings/%s/submit" % sid,
                 "/sittings/%s/sealed" % sid, "/auth/login"):
        for data in (b'{"ops": [', b"\xff\xfe{}", b"\xef\xbb\xbf{}", b"{} trailing"):
            assert_error(_raw(st, path, data), 422, "request.invalid")   # 422, never 400
    for data in (b"{", b"\x00\x01"):
        assert_error(st.server.admin("POST", "/admin/papers", data=data, headers={"Content-Type": "application/json"}),
                     422, "request.invalid")
    assert timeline(st) == []


def test_authentication_comes_before_the_body(st):
    sid = st.sitting_id
    for path in ("/sittings/%s/ops" % sid, "/sittings/%s/heartbeat" % sid, "/sittings/%s/sealed" % sid,
                 "/auth/logout"):
        assert_error(_raw(st, path, b"{not json", token=""), 401, "auth.required")
        assert_error(_raw(st, path, b"{not json", token="forged-token"), 401, "auth.required")
    assert_error(_raw(st, "/admin/papers", b"{not json", token=st.token), 403, "auth.forbidden")
    assert_error(_raw(st, "/admin/sealed", b"{not json", token=""), 401, "auth.required")


def _headers_only(st, path: str, length: int, token: str | None, end: bytes = b"}}") -> bytes:
    """A POST that declares `length` bytes and sends none: what answers comes from the headers alone
    (read up to `end`, the close of the error body)."""
    import socket

    auth_line = "" if token is None else "Authorization: Bearer %s\r\n" % token
    with socket.create_connection(("127.0.0.1", st.server.port), timeout=10) as sock:
        sock.sendall(("POST /api/v1%s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "%sContent-Length: %d\r\n\r\n" % (path, auth_line, length)).encode())
        answer = b""
        while end not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer


def test_body_limits_per_route_answer_before_the_body_is_sent(st):
    sid = st.sitting_id
    for path, limit in (("/sittings/%s/sealed" % sid, 64 * 1024 * 1024), ("/admin/sealed", 64 * 1024 * 1024),
                        ("/sittings/%s/ops" % sid, 8 * 1024 * 1024), ("/sittings/%s/heartbeat" % sid, 16 * 1024),
                        ("/auth/login", 4 * 1024), ("/admin/papers", 1024 * 1024)):
        answer = _headers_only(st, path, limit + 1, None, end=b"}}}")
        assert answer.startswith(b"HTTP/1.1 413") and b'"request.too_large"' in answer, (path, answer[:200])
        assert b'"max_bytes":%d' % limit in answer.replace(b" ", b"")


def test_heartbeat_fields_are_an_allow_list(st):
    hb = {"state": "in_exam", "camera": "live", "microphone": "ok", "monitor": "ok", "phone": "none",
          "lockdown": "on", "network": "online", "pending_ops": 2, "pending_uploads": 1, "acked_commands": [],
          "extra": "x" * 10_000, "nested": {"a": [1, 2, 3]}}
    assert heartbeat(st, hb).status_code == 200
    [stored] = [e["status"] for e in timeline(st) if e["type"] == "heartbeat"]
    assert stored == {k: v for k, v in hb.items() if k not in ("extra", "nested")}   # unknown fields dropped
    for bad in ({"camera": "x" * 33}, {"state": "in\x00exam"}, {"monitor": "ok\u202e"}, {"phone": 1},
                {"acked_commands": ["c-1"] * 201}, {"pending_uploads": -1}):
        assert_error(heartbeat(st, bad), 422, "request.invalid")


def test_heartbeat_answers_in_the_order_every_route_does(st, srv):
    """The heartbeat authenticates, parses and reads in one transaction (server/heartbeat.py): the token
    still answers before the body and before the sitting, the admin token is not a candidate, and a
    body that is not JSON is refused by its content type."""
    missing = "/sittings/s-does-not-exist/heartbeat"
    assert_error(_raw(st, missing, b"{not json", token="forged-token"), 401, "auth.required")
    assert_error(_raw(st, missing, b"{not json"), 422, "request.invalid")          # a known token: then the body
    assert_error(_raw(st, missing, b'{"state": "in_exam"}'), 404, "not_found")      # then the sitting
    path = "/sittings/%s/heartbeat" % st.sitting_id
    assert_error(_raw(st, path, b'{"state": "in_exam"}', token=ADMIN_TOKEN), 403, "auth.forbidden")
    other = make_sitting(srv)
    assert_error(_raw(other, path, b'{"state": "in_exam"}'), 403, "auth.forbidden")
    plain = requests.post(st.server.api + path, data=b'{"state": "in_exam"}', timeout=10,
                          headers=dict(auth(st.token), **{"Content-Type": "text/plain"}))
    assert_error(plain, 422, "request.invalid")
    none = requests.post(st.server.api + path, data=b'{"state": "in_exam", "v": NaN}', headers=auth(st.token),
                         timeout=10)
    assert_error(none, 422, "request.invalid")   # no content type: parsed as strictly as JSON
    ok = heartbeat(st, {"state": "in_exam", "camera": "live"})
    assert ok.status_code == 200
    body = ok.json()
    assert body["commands"] == [] and body["status"] in ("scheduled", "in_progress")
    assert body["phone"]["state"] == "unpaired" and body["deadline_ms"] > 0
    assert [e["status"]["state"] for e in timeline(st) if e["type"] == "heartbeat"] == ["in_exam"]


def test_ops_answer_in_the_order_every_route_does_small_or_large(st, srv):
    """An ops batch is authenticated, parsed and appended in one worker thread (server/ops_intake.py): a
    small body is read before its token is looked up, a large one only after; the order of the answers
    (401, 422, 404, 403, then the payload's own checks) is the same either way."""
    missing = "/sittings/s-does-not-exist/ops"
    path = "/sittings/%s/ops" % st.sitting_id
    assert_error(_raw(st, missing, b"{not json", token="forged-token"), 401, "auth.required")
    assert_error(_raw(st, missing, b"{not json"), 422, "request.invalid")
    good = OpChain(st.sitting_id)
    good.answer("q1", "B")
    body = json.dumps({"ops": good.ops}).encode()
    assert_error(_raw(st, missing, body), 404, "not_found")
    assert_error(_raw(st, path, body, token=ADMIN_TOKEN), 403, "auth.forbidden")
    other = make_sitting(srv)
    assert_error(_raw(other, path, body), 403, "auth.forbidden")
    plain = requests.post(st.server.api + path, data=body, timeout=10,
                          headers=dict(auth(st.token), **{"Content-Type": "text/plain"}))
    assert_error(plain, 422, "request.invalid")
    nan = body.replace(b'"t_client_ms": ', b'"t_client_ms": NaN, "x": ')
    assert_error(requests.post(st.server.api + path, data=nan, headers=auth(st.token), timeout=10), 422,
                 "request.invalid")   # no content type: parsed as strictly as JSON
    # a large batch: a forged token is refused before a byte of the body arrives, a real one is read whole
    answer = _headers_only(st, path, 1024 * 1024, "forged-token")
    assert answer.startswith(b"HTTP/1.1 401") and b'"auth.required"' in answer, answer[:300]
    answer = _headers_only(st, path, 1024 * 1024, ADMIN_TOKEN)
    assert answer.startswith(b"HTTP/1.1 403") and b'"auth.forbidden"' in answer, answer[:300]
    for _ in range(6):
        good.add("event", {"type": "camera.face_missing", "severity": "warn", "detail": {"note": "x" * 20_000}})
    large = json.dumps({"ops": good.ops}).encode()
    assert len(large) > 64 * 1024
    r = requests.post(st.server.api + path, data=large, timeout=10,
                      headers=dict(auth(st.token), **{"Content-Type": "application/json"}))
    assert r.status_code == 200 and r.json()["acked_seq"] == 7, r.text[:300]
    good.answer("q1", "C")
    chunked = requests.post(st.server.api + path, data=iter([json.dumps({"ops": good.ops}).encode()]), timeout=10,
                            headers=dict(auth(st.token), **{"Content-Type": "application/json"}))
    assert chunked.status_code == 200 and chunked.json()["acked_seq"] == 8, chunked.text[:300]   # no length: large
    assert_error(_raw(st, path, body, token="forged-token"), 401, "auth.required")
    assert [e["seq"] for e in timeline(st) if "seq" in e] == list(range(1, 9))   # each op once, in order


def test_payload_fields_sizes_and_labels(st):
    cases = [("answer", {"question_id": "q1", "value": "B", "note": "x"}),
             ("flag", {"question_id": "q1", "flagged": True, "extra": 1}),
             ("event", {"type": "camera.\u202eevil", "severity": "info", "detail": {}}),
             ("event", {"type": "x" * 65, "severity": "info", "detail": {}}),
             ("event", {"type": "x", "severity": "info", "detail": {"blob": "x" * 70_000}}),
             ("event", {"type": "x", "severity": "info", "detail": {}, "upload_id": "u" * 65}),
             ("consent", {"version": "1", "accepted": True, "text_sha256": "not-hex"}),
             ("check_report", {"report": {"blob": "x" * 300_000}})]
    for kind, payload in cases:
        c = OpChain(st.sitting_id)
        c.add(kind, payload)
        assert_error(post_ops(st, c.ops), 422, "ops.invalid")
    c = OpChain(st.sitting_id)
    c.add("event", {"type": "camera.face_missing", "severity": "alert", "detail": {"seconds": 6.5}, "evidence": {}})
    assert post_ops(st, c.ops).status_code == 200   # events may carry more fields (newer clients)


@pytest.mark.parametrize("mutate, field", [
    (lambda p: p.update(extra=[1, 2]), "extra"),
    (lambda p: p["questions"][3].update(answer=[5, ["NPS"]]), "questions[3].answer[0]"),
    (lambda p: p.update(instructions=5), "instructions"),
    (lambda p: p.update(pass_mark=True), "pass_mark"),
    (lambda p: p["questions"][0]["options"][0].update(key=7), "questions[0].options[0]"),
    (lambda p: p["questions"][4].update(max_chars="500"), "questions[4].max_chars"),
    (lambda p: p["questions"][0].update(explanation=["x"]), "questions[0].explanation"),
])
def test_paper_type_errors_are_paper_invalid_naming_the_field(srv, mutate, field):
    paper = sample_paper("typed-%s" % field.replace("[", "-").replace("]", "").replace(".", "-"))
    mutate(paper)
    err = assert_error(srv.admin("POST", "/admin/papers", json=paper), 422, "paper.invalid")
    assert err["details"]["field"] == field


def _cli(srv, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server", *args, *srv.cli_args()], cwd=str(ROOT),
                          capture_output=True, timeout=120, env=dict(
                              {k: v for k, v in os.environ.items() if k.startswith("AWS_")},   # the lane's S3 store
                              PYTHONIOENCODING="ascii", PATH="/usr/bin:/bin", PYTHONPATH=str(ROOT)))


def test_values_stored_before_the_edge_checks_existed_still_show(tmp_path):
    srv = LiveServer(tmp_path / "legacy").start()
    try:
        st = make_sitting(srv)
        assert heartbeat(st).status_code == 200
        srv.stop()
        # a database written by an older server: a lone surrogate and a NaN inside stored rows
        engine = create_engine(srv.database_url())
        with engine.begin() as conn:   # (the history is written in batches: it is there once the server stopped)
            conn.execute(text("UPDATE heartbeats SET body = :b"), {"b": '{"state": "\\ud800", "v": NaN}'})
        engine.dispose()
        out = _cli(srv, "timeline", st.sitting_id)   # and a console that cannot print every character
        assert out.returncode == 0 and b"Traceback" not in out.stderr, out.stderr[-2000:]
        assert json.loads(out.stdout)["entries"][0]["status"] == {"state": "\ufffd", "v": None}
        paper = tmp_path / "bad.json"
        paper.write_text(json.dumps(sample_paper("cli-sur"), ensure_ascii=False).replace("测试试卷", "\\ud800"))
        bad = _cli(srv, "import-paper", str(paper))
        assert bad.returncode == 2 and b"paper.invalid" in bad.stderr and b"Traceback" not in bad.stderr
        srv.start()
        r = srv.admin("GET", "/admin/sittings/%s/timeline" % st.sitting_id)
        assert r.status_code == 200 and r.json()["entries"][0]["status"]["state"] == "\ufffd"
    finally:
        srv.stop()


@pytest.mark.expected_log(r"unhandled error", r"response held values")
@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")  # newer Starlette wants httpx2
def test_an_unexpected_exception_is_the_documented_500_without_a_trace(tmp_path, caplog):
    from starlette.testclient import TestClient

    from server.api import create_app
    from server.context import ServerContext, Settings
    from server.middleware import ServerTimeAndLimits

    ctx = ServerContext(Settings(data_dir=tmp_path / "d", admin_token="adm"))
    app = create_app(ctx)

    @app.get("/api/v1/boom")
    def boom() -> dict:
        raise RuntimeError("secret internals")

    try:
        client = TestClient(ServerTimeAndLimits(app, ctx), raise_server_exceptions=False)
        r = client.get("/api/v1/boom")
        assert r.status_code == 500 and "x-server-time-ms" in r.headers
        assert r.json() == {"error": {"code": "internal", "message_zh": "服务器内部错误，请稍后重试",
                                      "message_en": "internal server error; please retry", "details": {}}}
        assert "secret" not in r.text and "Traceback" not in r.text
        assert any("secret internals" in (rec.exc_text or "") or rec.exc_info for rec in caplog.records
                   if rec.levelname == "ERROR")   # logged for the operator, with its trace
    finally:
        ctx.close()


def test_references_into_another_candidates_sitting_do_nothing(srv):
    from tests.server.kit import create_upload

    a, b = make_sitting(srv), make_sitting(srv)
    cmd = srv.command(a.sitting_id, type="message", text="请坐好")
    # B acknowledges A's command from B's own sitting: A still gets it
    assert heartbeat(b, {"state": "in_exam", "acked_commands": [cmd["id"]]}).status_code == 200
    assert [c["id"] for c in heartbeat(a).json()["commands"]] == [cmd["id"]]
    # B names A's unfinished upload in an event: that does not make A's upload B's evidence
    up = create_upload(a, 10)
    chain = OpChain(b.sitting_id)
    chain.add("event", {"type": "phone.seen", "severity": "alert", "detail": {},
                        "upload_id": up.headers["Location"].rsplit("/", 1)[1]})
    assert post_ops(b, chain.ops).status_code == 200
    r = requests.delete(srv.url + up.headers["Location"], headers=dict(auth(a.token), **{"Tus-Resumable": "1.0.0"}),
                        timeout=5)
    assert r.status_code == 204
    # and B cannot touch A's sitting at all
    assert_error(post_ops(a, [OpChain(a.sitting_id).answer("q1", "B")], token=b.token), 403, "auth.forbidden")
