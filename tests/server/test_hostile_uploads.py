"""Uploads against a hostile candidate: quotas per sitting, names safe to show, documents checked by
their bytes, evidence that cannot be erased (staff delete it with an audit entry)."""
from __future__ import annotations

import hashlib
import os

import pytest
import requests

from tests.helpers.documents import minimal_docx, minimal_pdf
from tests.helpers.fixtures import make_sitting
from tests.helpers.server import LiveServer
from tests.server.kit import (
    OpChain,
    assert_error,
    auth,
    create_upload,
    patch_upload,
    post_ops,
    timeline,
)

MIB = 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = LiveServer(tmp_path_factory.mktemp("hostile-uploads")).start()
    yield s
    s.stop()


def _uploads(st) -> list:
    r = requests.get(st.server.api + "/sittings/%s/uploads" % st.sitting_id, headers=auth(st.token), timeout=5)
    return r.json()["uploads"]


def _send(st, data: bytes, **meta: str) -> tuple:
    created = create_upload(st, len(data), sha256=hashlib.sha256(data).hexdigest(), **meta)
    assert created.status_code == 201, created.text
    return created.headers["Location"], patch_upload(st, created.headers["Location"], data)


def test_reservations_are_bounded_per_sitting(srv):
    st = make_sitting(srv)
    made = [create_upload(st, 200 * MIB) for _ in range(10)]   # 10 x 200 MiB = 2000 MiB of 2048
    assert [r.status_code for r in made] == [201] * 10
    err = assert_error(create_upload(st, 200 * MIB), 413, "upload.quota")
    assert (err["details"]["max_bytes"], err["details"]["uploads"]) == (2048 * MIB, 10)
    assert requests.delete(st.server.url + made[0].headers["Location"], headers=dict(
        auth(st.token), **{"Tus-Resumable": "1.0.0"}), timeout=5).status_code == 204   # unlinked, unfinished
    assert create_upload(st, 200 * MIB).status_code == 201   # its room is free again
    docs = [create_upload(st, 10, purpose="document", filetype=PDF, filename="d.pdf") for _ in range(10)]
    assert [r.status_code for r in docs] == [201] * 10
    err = assert_error(create_upload(st, 10, purpose="document", filetype=PDF), 413, "upload.quota")
    assert err["details"]["max_uploads"] == 10
    other = make_sitting(srv)   # another sitting has its own quota
    assert create_upload(other, 200 * MIB).status_code == 201


def test_file_names_and_types_are_safe_to_store_and_show(srv):
    st = make_sitting(srv)
    cases = (("../../etc/passwd\x00.mp4", "passwd.mp4"), ("C:\\Users\\x\\clip.mp4", "clip.mp4"),
             ("\u202e4pm.exe", "4pm.exe"), ("CON.mp4", "_CON.mp4"), ("...", "upload"),
             ("a<b>:c|d?.mp4", "a_b__c_d_.mp4"), ("录像 1.mp4", "录像 1.mp4"))
    for given, _ in cases:
        assert create_upload(st, 5, filename=given).status_code == 201
    assert [u["filename"] for u in _uploads(st)] == [shown for _, shown in cases]
    for bad in ("video", "video/mp4; codecs=x", "../x", "text/\u00e9"):
        assert_error(create_upload(st, 5, filetype=bad), 400, "upload.invalid")


def test_documents_are_checked_by_their_bytes(srv):
    st = make_sitting(srv)   # 中级: a practical window for documents
    _, r = _send(st, minimal_pdf(), purpose="document", filetype=PDF, filename="报告.pdf")
    assert r.status_code == 204
    _, r = _send(st, minimal_docx(), purpose="document", filetype=DOCX, filename="报告.docx")
    assert r.status_code == 204
    _, r = _send(st, os.urandom(3000), purpose="document", filetype=PDF, filename="fake.pdf")
    assert_error(r, 415, "upload.type")   # declared a PDF; the bytes say otherwise
    _, r = _send(st, minimal_pdf(), purpose="document", filetype=DOCX, filename="mislabelled.docx")
    assert_error(r, 415, "upload.type")
    _, r = _send(st, b"%PDF-1.4 truncated, no trailer", purpose="document", filetype=PDF, filename="cut.pdf")
    assert_error(r, 415, "upload.type")
    assert_error(create_upload(st, 0, purpose="document", filetype=PDF), 400, "upload.invalid")
    [w] = requests.get(st.server.api + "/documents", headers=auth(st.token), timeout=5).json()["windows"]
    assert [(d["filename"], d["status"]) for d in w["documents"]] == [
        ("报告.pdf", "verified"), ("报告.docx", "verified"), ("fake.pdf", "rejected"),
        ("mislabelled.docx", "rejected"), ("cut.pdf", "rejected")]
    assert [e["details"]["reason"] for e in timeline(st) if e["type"] == "audit"] == [
        "the bytes are not a %s" % t for t in (PDF, DOCX, PDF)]


def test_evidence_linked_to_an_event_cannot_be_erased_by_the_candidate(srv):
    st = make_sitting(srv)
    chain = OpChain(st.sitting_id)
    chain.add("event", {"type": "face.missing", "severity": "alert", "detail": {"seconds": 6}})
    assert post_ops(st, chain.ops).status_code == 200
    clip = os.urandom(5000)
    linked = create_upload(st, len(clip), sha256=hashlib.sha256(clip).hexdigest(), event_seq="1")
    url = st.server.url + linked.headers["Location"]
    delete = lambda u: requests.delete(u, headers=dict(auth(st.token), **{"Tus-Resumable": "1.0.0"}), timeout=5)  # noqa: E731
    assert_error(delete(url), 409, "upload.immutable")   # unfinished, but an event points at it
    assert patch_upload(st, url, clip).status_code == 204
    assert_error(delete(url), 409, "upload.immutable")
    # linked the other way: an event op naming the upload
    loose = create_upload(st, 10)
    loose_id = loose.headers["Location"].rsplit("/", 1)[1]
    chain.add("event", {"type": "phone.seen", "severity": "alert", "detail": {}, "upload_id": loose_id})
    assert post_ops(st, chain.ops[-1:]).status_code == 200
    assert_error(delete(st.server.url + loose.headers["Location"]), 409, "upload.immutable")
    assert [u["status"] for u in _uploads(st)] == ["verified", "partial"]

    upload_id = url.rsplit("/", 1)[1]
    bad = st.server.admin("POST", "/admin/uploads/%s/delete" % upload_id, json={"by": "管理员", "reason": ""})
    assert_error(bad, 422, "request.invalid")   # a reason is required
    out = st.server.admin_json("POST", "/admin/uploads/%s/delete" % upload_id,
                               json={"by": "管理员", "reason": "考生申诉：误拍家人"})
    assert out["status"] == "deleted"
    assert not (st.server.data_dir / "uploads" / (upload_id + ".bin")).exists()   # the bytes are gone
    assert [u["upload_id"] for u in _uploads(st)] == [loose_id]   # the candidate no longer sees it
    entries = timeline(st)
    assert [e["status"] for e in entries if e["type"] == "upload"] == ["deleted", "partial"]   # staff still do
    [a] = [e for e in entries if e["type"] == "audit"]
    assert (a["actor"], a["action"], a["target"], a["details"]["reason"]) == (
        "管理员", "upload.delete", upload_id, "考生申诉：误拍家人")
    assert a["details"]["sha256"] == hashlib.sha256(clip).hexdigest()
    assert_error(st.server.admin("POST", "/admin/uploads/%s/delete" % upload_id, json={"by": "x", "reason": "y"}),
                 404, "not_found")
    head = requests.head(url, headers=dict(auth(st.token), **{"Tus-Resumable": "1.0.0"}), timeout=5)
    assert head.status_code == 404


def test_a_document_may_be_withdrawn_until_its_deadline(tmp_path):
    srv = LiveServer(tmp_path / "srv", extra_args=["--document-working-days", "1"]).start()
    try:
        st = make_sitting(srv)
        first, r = _send(st, minimal_pdf("v1"), purpose="document", filetype=PDF, filename="v1.pdf")
        assert r.status_code == 204
        delete = requests.delete(srv.url + first, headers=dict(auth(st.token), **{"Tus-Resumable": "1.0.0"}), timeout=5)
        assert delete.status_code == 204   # replaced by a better version
        second, r = _send(st, minimal_pdf("v2"), purpose="document", filetype=PDF, filename="v2.pdf")
        assert r.status_code == 204
        [w] = requests.get(srv.api + "/documents", headers=auth(st.token), timeout=5).json()["windows"]
        assert [d["filename"] for d in w["documents"]] == ["v2.pdf"]
        assert [(e["actor"], e["action"]) for e in timeline(st) if e["type"] == "audit"] == [
            ("candidate:" + st.ticket, "upload.delete")]
        later = minimal_pdf("v3")   # reserved before the deadline, its bytes held back
        reserved, slow = (create_upload(st, len(later), purpose="document", filetype=PDF, filename="v3.pdf",
                                        sha256=hashlib.sha256(later).hexdigest()).headers["Location"] for _ in range(2))
        after = w["deadline_ms"] - srv.server_time_ms() + 60_000
        srv.set_clock_offset(after)   # a minute past the deadline
        token = requests.post(srv.api + "/auth/login", timeout=10, json={
            "ticket": st.ticket, "id_number": st.id_number, "password": st.password}).json()["token"]
        late = requests.delete(srv.url + second, headers=dict(auth(token), **{"Tus-Resumable": "1.0.0"}), timeout=5)
        assert_error(late, 409, "documents.closed")
        st.token = token
        assert patch_upload(st, slow, later).status_code == 204   # a slow line finishing just after: fine
        srv.set_clock_offset(after + 15 * 60_000)   # sixteen minutes past
        assert_error(patch_upload(st, reserved, later), 409, "documents.closed")   # no handing in later work
    finally:
        srv.stop()
