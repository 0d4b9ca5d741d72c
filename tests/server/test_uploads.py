"""tus 1.0.0 uploads with the real tuspy client: resume after cuts and crashes, checks, limits."""
from __future__ import annotations

import base64
import hashlib
import os
import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests
from tusclient import client as tus_client
from tusclient.exceptions import TusCommunicationError

from tests.helpers import backends
from tests.helpers.fixtures import make_sitting
from tests.helpers.server import LiveServer
from tests.server.kit import assert_error, auth

CHUNK = 64 * 1024


def _file(tmp_path: Path, size: int, name: str = "evidence.mp4") -> Path:
    p = tmp_path / name
    p.write_bytes(os.urandom(size))
    return p


def _meta(st, path: Path, purpose: str = "evidence", **over: str) -> dict:
    meta = {"filename": path.name, "filetype": "video/mp4", "sitting_id": st.sitting_id, "purpose": purpose,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "event_seq": "7"}
    meta.update(over)
    return {k: v for k, v in meta.items() if v is not None}   # None: leave the field out


def _uploader(st, path: Path, url: str | None = None, **meta_over: str):
    c = tus_client.TusClient(st.server.api + "/files/", headers=auth(st.token))
    return c.uploader(str(path), chunk_size=CHUNK, metadata=_meta(st, path, **meta_over), url=url, retries=0)


def _uploads(st) -> list:
    r = requests.get(st.server.api + "/sittings/%s/uploads" % st.sitting_id, headers=auth(st.token), timeout=5)
    assert r.status_code == 200, r.text
    return r.json()["uploads"]


def _head(st, url: str, token: str | None = None) -> requests.Response:
    return requests.head(url, headers=dict(auth(token or st.token), **{"Tus-Resumable": "1.0.0"}), timeout=5)


def test_upload_resumes_after_server_crash_with_junk_past_the_offset(tmp_path):
    live_server = LiveServer(tmp_path / "srv", storage="local").start()  # the junk is written into its file
    try:
        _crash_with_junk_then_resume(live_server, tmp_path)
    finally:
        live_server.stop()


def _crash_with_junk_then_resume(live_server, tmp_path):
    st = make_sitting(live_server)
    path = _file(tmp_path, 10 * CHUNK + 123)
    up = _uploader(st, path)
    up.set_url(up.create_url())
    for _ in range(3):
        up.upload_chunk()
    assert int(_head(st, up.url).headers["Upload-Offset"]) == 3 * CHUNK
    live_server.stop(kill=True)
    # a crash mid-chunk can leave bytes past the committed offset: they must not survive
    upload_id = urlparse(up.url).path.rsplit("/", 1)[1]
    with open(live_server.data_dir / "uploads" / (upload_id + ".bin"), "ab") as f:
        f.write(b"JUNK" * 1000)
    live_server.start()
    resumed = _uploader(st, path, url=up.url)
    assert resumed.offset == 3 * CHUNK  # tuspy asked the server (HEAD)
    resumed.upload()
    [info] = _uploads(st)
    assert info["status"] == "verified" and info["verified"] is True and info["size"] == path.stat().st_size
    assert info["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest() and info["event_seq"] == 7
    stored_path = live_server.data_dir / "uploads" / (upload_id + ".bin")
    assert stored_path.read_bytes() == path.read_bytes()
    import stat

    assert stat.S_IMODE(stored_path.stat().st_mode) == 0o600  # personal data: owner only
    assert stat.S_IMODE(stored_path.parent.stat().st_mode) == 0o700


def test_upload_keeps_what_arrived_before_a_dropped_connection(live_server, tmp_path):
    st = make_sitting(live_server)
    path = _file(tmp_path, 4 * CHUNK)
    up = _uploader(st, path)
    up.set_url(up.create_url())
    data = path.read_bytes()
    sent = CHUNK + 5000
    u = urlparse(up.url)
    with socket.create_connection((u.hostname, u.port), timeout=5) as s:
        head = ("PATCH %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nTus-Resumable: 1.0.0\r\n"
                "Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: %d\r\n\r\n"
                % (u.path, u.netloc, st.token, len(data)))
        s.sendall(head.encode() + data[:sent])
    # the cut request is handled asynchronously: poll the offset until the server has settled it
    for _ in range(100):
        offset = int(_head(st, up.url).headers["Upload-Offset"])
        if offset == sent:
            break
        __import__("time").sleep(0.05)
    assert offset == sent
    resumed = _uploader(st, path, url=up.url)
    assert resumed.offset == sent
    resumed.upload()
    assert _uploads(st)[0]["status"] == "verified"


def test_sha256_mismatch_marks_the_upload_rejected(live_server, tmp_path):
    st = make_sitting(live_server)
    path = _file(tmp_path, 2 * CHUNK)
    _uploader(st, path, sha256="0" * 64).upload()
    [info] = _uploads(st)
    assert info["status"] == "rejected" and info["verified"] is False


def test_per_chunk_sha1_checksum_is_checked(live_server, tmp_path):
    st = make_sitting(live_server)
    path = _file(tmp_path, 3 * CHUNK)
    c = tus_client.TusClient(st.server.api + "/files/", headers=auth(st.token))
    c.uploader(str(path), chunk_size=CHUNK, metadata=_meta(st, path), upload_checksum=True, retries=0).upload()
    assert _uploads(st)[0]["status"] == "verified"
    # a wrong checksum: 460 and nothing kept
    up = _uploader(st, path)
    up.set_url(up.create_url())
    r = requests.patch(up.url, data=b"x" * 10, timeout=5, headers=dict(auth(st.token), **{
        "Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream",
        "Upload-Checksum": "sha1 " + base64.b64encode(hashlib.sha1(b"y").digest()).decode()}))
    assert_error(r, 460, "upload.checksum")
    assert _head(st, up.url).headers["Upload-Offset"] == "0"


def test_creation_checks(live_server, tmp_path):
    st = make_sitting(live_server)
    path = _file(tmp_path, 100)
    files = st.server.api + "/files/"

    def create(length: str, meta: dict, token: str | None = st.token) -> requests.Response:
        enc = ",".join("%s %s" % (k, base64.b64encode(v.encode()).decode()) for k, v in meta.items())
        headers = {"Tus-Resumable": "1.0.0", "Upload-Length": length, "Upload-Metadata": enc}
        if token:
            headers.update(auth(token))
        return requests.post(files, headers=headers, timeout=5)

    good = _meta(st, path)
    assert create("100", good).status_code == 201
    assert_error(create("100", good, token=None), 401, "auth.required")
    for missing in ("filename", "filetype", "sitting_id", "purpose", "sha256"):
        err = assert_error(create("100", {k: v for k, v in good.items() if k != missing}), 400, "upload.invalid")
        assert err["details"]["missing"] == [missing]
    assert_error(create("100", dict(good, purpose="selfie")), 400, "upload.invalid")
    assert_error(create("100", dict(good, sha256="abc")), 400, "upload.invalid")
    assert_error(create("-5", good), 400, "upload.invalid")
    assert_error(create("\u00b2", good), 400, "upload.invalid")  # "²".isdigit() is True, int("²") fails
    assert_error(create("100", dict(good, event_seq="\u00b2")), 400, "upload.invalid")
    assert_error(create(str(200 * 1024 * 1024 + 1), good), 413, "upload.too_large")  # declared size is enforced
    assert_error(create(str(20 * 1024 * 1024 + 1), dict(good, purpose="document", filetype="application/pdf")),
                 413, "upload.too_large")
    assert_error(create("100", dict(good, purpose="document", filetype="image/png")), 415, "upload.type")
    assert_error(create("100", dict(good, sitting_id="s-nope")), 404, "not_found")
    r = requests.post(files, timeout=5, headers=dict(auth(st.token), **{
        "Tus-Resumable": "1.0.0", "Upload-Length": "100", "Upload-Metadata": "filename !!notbase64"}))
    assert_error(r, 400, "upload.invalid")
    opts = requests.options(files, timeout=5)
    assert opts.status_code == 204 and "creation" in opts.headers["Tus-Extension"]


def test_patch_rules_offset_size_type_and_delete(live_server, tmp_path):
    st = make_sitting(live_server)
    path = _file(tmp_path, 3 * CHUNK)
    linked = _uploader(st, path)   # event_seq 7: evidence of an event, never deleted by the candidate
    linked.set_url(linked.create_url())
    assert_error(requests.delete(linked.url, headers=auth(st.token), timeout=5), 409, "upload.immutable")
    up = _uploader(st, path, event_seq=None)  # type: ignore[arg-type]
    up.set_url(up.create_url())
    base = dict(auth(st.token), **{"Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream"})
    assert_error(requests.patch(up.url, data=b"abc", headers=dict(base, **{"Upload-Offset": "7"}), timeout=5),
                 409, "upload.offset_mismatch")
    assert_error(requests.patch(up.url, data=b"a" * (3 * CHUNK + 1), headers=dict(base, **{"Upload-Offset": "0"}),
                                timeout=5), 413, "upload.too_large")
    assert_error(requests.patch(up.url, data=b"abc", timeout=5,
                                headers=dict(base, **{"Upload-Offset": "0", "Content-Type": "text/plain"})),
                 415, "request.unsupported_media")
    assert _head(st, up.url).headers["Upload-Offset"] == "0"  # nothing of the refused bodies was kept
    assert requests.delete(up.url, headers=auth(st.token), timeout=5).status_code == 204
    assert_error(_head_json(st, up.url), 404, "not_found")
    done = _uploader(st, path, event_seq=None)  # type: ignore[arg-type]
    done.upload()
    assert_error(requests.delete(done.url, headers=auth(st.token), timeout=5), 409, "upload.finished")
    more = requests.patch(done.url, data=b"", headers=dict(base, **{"Upload-Offset": str(3 * CHUNK)}), timeout=5)
    assert assert_error(more, 409, "upload.finished")["details"] == {"upload_status": "verified"}


def _head_json(st, url: str) -> requests.Response:
    # HEAD has no body: ask with GET-less means; a PATCH with offset 0 answers the same 404 body
    return requests.patch(url, data=b"", timeout=5, headers=dict(auth(st.token), **{
        "Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}))


def test_stale_url_after_delete_raises_in_tuspy(live_server, tmp_path):
    st = make_sitting(live_server)
    path = _file(tmp_path, CHUNK)
    up = _uploader(st, path, event_seq=None)  # type: ignore[arg-type]
    up.set_url(up.create_url())
    assert requests.delete(up.url, headers=auth(st.token), timeout=5).status_code == 204
    with pytest.raises(TusCommunicationError) as e:
        _uploader(st, path, url=up.url)
    assert e.value.status_code == 404


def test_disk_full_answers_507_and_keeps_the_committed_part(tmp_path, monkeypatch):
    """RLIMIT_FSIZE stands in for a full disk: writes past 8 MiB fail with EFBIG (Python ignores SIGXFSZ)."""
    import sys

    wrapper = tmp_path / "python-8mib"
    wrapper.write_text("#!/bin/bash\nulimit -f 8192  # bash counts 1024-byte blocks\nexec %s \"$@\"\n" % sys.executable)
    wrapper.chmod(0o755)
    monkeypatch.setenv("EXAMDESK_SERVER_PYTHON", str(wrapper))
    srv = LiveServer(tmp_path / "srv", storage="local").start()
    try:
        st = make_sitting(srv)
        path = _file(tmp_path, 10 * 1024 * 1024)
        c = tus_client.TusClient(srv.api + "/files/", headers=auth(st.token))
        up = c.uploader(str(path), chunk_size=1024 * 1024, metadata=_meta(st, path), retries=0)
        up.set_url(up.create_url())
        for _ in range(8):
            up.upload_chunk()
        r = requests.patch(up.url, data=path.read_bytes()[8 * 1024 * 1024:9 * 1024 * 1024], timeout=10,
                           headers=dict(auth(st.token), **{"Tus-Resumable": "1.0.0", "Upload-Offset": str(8 << 20),
                                                           "Content-Type": "application/offset+octet-stream"}))
        err = assert_error(r, 507, "upload.storage")
        assert "保留" in err["message_zh"]
        assert _head(st, up.url).headers["Upload-Offset"] == str(8 << 20)
        assert requests.get(srv.api + "/healthz", timeout=5).status_code == 200
        assert "Traceback" not in srv.log_tail(100_000)
    finally:
        srv.stop()


def test_tus_headers_of_any_latin1_text_never_answer_5xx(live_server):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as hs

    st = make_sitting(live_server)
    path_ok = hashlib.sha256(b"").hexdigest()
    good_meta = "filename YS5tcDQ=,filetype dmlkZW8vbXA0,purpose ZXZpZGVuY2U=,sha256 %s,sitting_id %s" % (
        base64.b64encode(path_ok.encode()).decode(), base64.b64encode(st.sitting_id.encode()).decode())
    created = requests.post(live_server.api + "/files/", timeout=5, headers=dict(auth(st.token), **{
        "Tus-Resumable": "1.0.0", "Upload-Length": "10", "Upload-Metadata": good_meta}))
    url = live_server.url + created.headers["Location"]
    anything = hs.text(hs.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=40)
    numberish = hs.text(hs.sampled_from("0123456789\u00b2\u00b3\u00b9\u00bc+-.e "), min_size=1, max_size=20)
    text = hs.one_of(anything, numberish).map(str.strip)
    seen = {"n": 0}

    @settings(max_examples=150, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(length=text, offset=text, meta=text, checksum=text, body=hs.binary(max_size=16))
    def probe(length, offset, meta, checksum, body):
        r1 = requests.post(live_server.api + "/files/", timeout=10, headers=dict(auth(st.token), **{
            "Tus-Resumable": "1.0.0", "Upload-Length": length, "Upload-Metadata": meta or good_meta}))
        r2 = requests.patch(url, data=body, timeout=10, headers=dict(auth(st.token), **{
            "Tus-Resumable": "1.0.0", "Upload-Offset": offset, "Upload-Checksum": checksum,
            "Content-Type": "application/offset+octet-stream"}))
        seen["n"] += 2
        assert r1.status_code < 500 and r2.status_code < 500, (length, offset, meta, checksum, r1.text, r2.text)

    probe()
    assert seen["n"] >= 200
    assert "Traceback" not in live_server.log_tail(1_000_000)


@pytest.mark.expected_log(r"upload offset moved back")
def test_startup_repairs_and_verifies_what_a_crash_interrupted(tmp_path):
    """In-process: the repair pass run by `serve` before it listens."""
    from server.context import ServerContext, Settings
    from server.db import Upload, UploadPart
    from server.registry import add_candidate, create_room, import_paper
    from server.upload_upkeep import repair_on_startup
    from tests.helpers.papers import sample_paper

    ctx = ServerContext(Settings(data_dir=tmp_path / "d", database_url=backends.database_url()))
    import_paper(ctx, sample_paper("crash-paper"))
    add_candidate(ctx, "C-1", "ID-1", "王五", "中级", "secret-1")
    sid = create_room(ctx, "crash-paper", "theory", "formal", ctx.now_ms(), 7200, ["C-1"], ["甲", "乙"])["sittings"][0]
    data = os.urandom(5000)
    rows = {"a" * 32: (3000, data[:3000] + b"JUNK"),  # crash mid-chunk: bytes past the offset
            "b" * 32: (5000, data),  # crash after the last byte, before the check
            "c" * 32: (4000, data[:2500])}  # power cut: counted chunks never reached the disk (no fsync)
    with ctx.db.write() as s:
        for uid, (offset, content) in rows.items():
            (ctx.upload_dir / (uid + ".bin")).write_bytes(content)
            s.add(Upload(upload_id=uid, sitting_id=sid["sitting_id"], ticket="C-1", filename="e.mp4",
                         filetype="video/mp4", purpose="evidence", size=5000, offset=offset,
                         sha256=hashlib.sha256(data).hexdigest(), status="partial", created_at_ms=0))
    with ctx.db.write() as s:  # the parts as committed: the lost chunk is the second one
        s.add(UploadPart(upload_id="c" * 32, offset=0, length=2000, key="c", created_at_ms=0))
        s.add(UploadPart(upload_id="c" * 32, offset=2000, length=2000, key="c", created_at_ms=0))
    assert repair_on_startup(ctx) == 3
    assert (ctx.upload_dir / ("a" * 32 + ".bin")).read_bytes() == data[:3000]
    with ctx.db.read() as s:
        assert s.get(Upload, "c" * 32).offset == 2000  # the client resends from the last whole chunk
        assert s.get(Upload, "a" * 32).status == "partial"
        assert s.get(Upload, "b" * 32).status == "verified"
    ctx.close()
