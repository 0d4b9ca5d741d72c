"""An upload that comes whole in one PATCH (every camera snapshot): on local disk it is verified before the
one transaction that counts it. In-process, up to tus's own count step, on SQLite or PostgreSQL."""
from __future__ import annotations

import hashlib
import os

import pytest
from sqlalchemy import event, func, select

from server import tus
from server.context import ServerContext, Settings
from server.db import StaffAudit, Upload, UploadPart
from server.registry import add_candidate, create_room, import_paper
from server.storage import Part
from server.upload_upkeep import repair_on_startup
from server.upload_verdict import declared_of
from tests.helpers import backends
from tests.helpers.papers import sample_paper


@pytest.fixture
def ctx(tmp_path):
    c = ServerContext(Settings(data_dir=tmp_path / "d", database_url=backends.database_url()))
    import_paper(c, sample_paper("whole-paper"))
    add_candidate(c, "C-1", "ID-1", "王五", "中级", "secret-1")
    c.sitting_id = create_room(c, "whole-paper", "theory", "formal", c.now_ms(), 7200, ["C-1"],
                               ["甲", "乙"])["sittings"][0]["sitting_id"]
    try:
        yield c
    finally:
        c.close()


def new_upload(ctx, data: bytes, sha256: str | None = None, purpose="snapshot", filetype="image/jpeg") -> str:
    uid = os.urandom(16).hex()
    ctx.store.create(uid)
    with ctx.db.write() as s:
        s.add(Upload(upload_id=uid, sitting_id=ctx.sitting_id, ticket="C-1", filename="s.jpg", filetype=filetype,
                     purpose=purpose, size=len(data), offset=0, sha256=sha256 or hashlib.sha256(data).hexdigest(),
                     status="partial", created_at_ms=0))
    return uid


def patch_start(ctx, uid: str) -> tus.PatchStart:
    state = tus._patch_state(ctx, uid, "C-1", True)
    return tus.PatchStart("C-1", state.offset, None, state.declared)


def received(ctx, uid: str, data: bytes) -> tus.Received:
    writer = ctx.store.chunk(uid, 0)
    writer.write(data)
    return tus.Received(writer, len(data))


def commits_during(ctx, fn):
    seen = []
    listener = lambda conn: seen.append(1)   # noqa: E731
    event.listen(ctx.db.write_engine, "commit", listener)
    try:
        return fn(), len(seen)
    finally:
        event.remove(ctx.db.write_engine, "commit", listener)


def row(ctx, uid):
    with ctx.db.read() as s:
        up = s.get(Upload, uid)
        parts = s.scalar(select(func.count()).select_from(UploadPart).where(UploadPart.upload_id == uid))
        return up.status, up.offset, up.completed_at_ms, parts


def test_a_whole_snapshot_is_counted_and_verified_in_one_transaction(ctx):
    data = os.urandom(24 * 1024)
    uid = new_upload(ctx, data)
    start = patch_start(ctx, uid)
    result, commits = commits_during(ctx, lambda: tus._count(ctx, uid, start, received(ctx, uid, data)))
    assert result == (len(data), None)
    assert commits == 1
    status, offset, done_at, parts = row(ctx, uid)
    assert (status, offset, parts) == ("verified", len(data), 0) and done_at is not None
    with ctx.store.open(uid) as f:
        assert f.read() == data


def test_a_chunked_upload_still_counts_its_parts_then_verifies(ctx):
    data = os.urandom(10_000)
    uid = new_upload(ctx, data)
    first = received(ctx, uid, data[:4000])
    assert tus._count(ctx, uid, patch_start(ctx, uid), first) == (4000, None)
    assert row(ctx, uid)[:2] == ("partial", 4000) and row(ctx, uid)[3] == 1
    start = patch_start(ctx, uid)
    writer = ctx.store.chunk(uid, 4000)
    writer.write(data[4000:])
    assert tus._count(ctx, uid, start, tus.Received(writer, 6000)) == (6000, None)
    assert row(ctx, uid)[0] == "verified" and row(ctx, uid)[3] == 0


def test_two_racing_whole_patches_count_once(ctx):
    data = os.urandom(8000)
    uid = new_upload(ctx, data)
    a, b = patch_start(ctx, uid), patch_start(ctx, uid)     # both read offset 0
    chunk_a, chunk_b = received(ctx, uid, data), received(ctx, uid, data)
    assert tus._count(ctx, uid, a, chunk_a) == (len(data), None)
    assert tus._count(ctx, uid, b, chunk_b) == (None, None)  # the caller answers 409 with the offset that won
    assert row(ctx, uid)[:2] == ("verified", len(data))


def test_a_whole_patch_with_the_wrong_sha256_is_rejected(ctx):
    data = os.urandom(5000)
    uid = new_upload(ctx, data, sha256="0" * 64)
    assert tus._count(ctx, uid, patch_start(ctx, uid), received(ctx, uid, data)) == (len(data), "sha256")
    assert row(ctx, uid)[:2] == ("rejected", len(data))


def test_a_whole_document_whose_bytes_are_not_its_type_is_rejected_and_audited(ctx):
    data = b"this is not a PDF at all" * 10
    uid = new_upload(ctx, data, purpose="document", filetype="application/pdf")
    assert tus._count(ctx, uid, patch_start(ctx, uid), received(ctx, uid, data)) == (len(data), "type")
    assert row(ctx, uid)[0] == "rejected"
    with ctx.db.read() as s:
        kinds = [a.action for a in s.scalars(select(StaffAudit).where(StaffAudit.target == uid))]
    assert kinds == ["upload.rejected"]


def test_a_crash_after_the_file_is_whole_but_before_it_is_counted_is_resent(ctx):
    """The file was assembled and synced, the process died before its transaction: the database still says
    offset 0, start-up repair cuts the file back and the client's resend is counted."""
    data = os.urandom(6000)
    uid = new_upload(ctx, data)
    start = patch_start(ctx, uid)
    chunk = received(ctx, uid, data)
    key = chunk.writer.commit()
    ctx.store.complete(uid, [Part(0, len(data), key)], len(data))     # what finish_whole does first
    assert row(ctx, uid)[:2] == ("partial", 0)
    assert repair_on_startup(ctx) == 1
    assert os.path.getsize(ctx.store.path(uid)) == 0
    assert tus._count(ctx, uid, patch_start(ctx, uid), received(ctx, uid, data)) == (len(data), None)
    assert row(ctx, uid)[:2] == ("verified", len(data))
    assert declared_of_row(ctx, uid).sha256 == hashlib.sha256(data).hexdigest() == start.declared.sha256


def declared_of_row(ctx, uid):
    with ctx.db.read() as s:
        return declared_of(s.get(Upload, uid))


def test_a_refused_reservation_leaves_no_file(ctx):
    import base64

    from server.errors import ApiError
    from server.security import new_token

    with ctx.db.write() as s:
        token = new_token(s, "C-1", ctx.now_ms(), 3600)[0]
    meta = ",".join("%s %s" % (k, base64.b64encode(v.encode()).decode()) for k, v in {
        "filename": "s.jpg", "filetype": "image/jpeg", "sitting_id": ctx.sitting_id, "purpose": "snapshot",
        "sha256": "0" * 64}.items())
    ctx.policy["max_uploads_per_sitting"] = 0
    with pytest.raises(ApiError) as refused:
        tus._create(ctx, token, "10", meta)
    assert refused.value.code == "upload.quota"
    assert list(ctx.upload_dir.glob("*.bin")) == []
