"""The upload store contract, against local disk and the S3 API (moto's emulator on loopback)."""
from __future__ import annotations

import hashlib
import os

import pytest

from server.storage import Part, StorageError, UploadStore, open_store
from server.storage.local import LocalStore
from tests.helpers import backends


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path) -> UploadStore:
    if request.param == "local":
        s = open_store(None, tmp_path)
    else:
        m = backends.moto()
        s = open_store(m.storage_url(m.new_bucket(), "exam-1"), tmp_path)
    s.check()
    return s


def _put(store: UploadStore, upload_id: str, offset: int, data: bytes, pieces: int = 3) -> Part:
    w = store.chunk(upload_id, offset)
    step = max(1, len(data) // pieces)
    for i in range(0, len(data), step):
        w.write(data[i:i + step])
    return Part(offset, len(data), w.commit())


def _read(store: UploadStore, upload_id: str) -> bytes:
    f = store.open(upload_id)
    try:
        return f.read()
    finally:
        f.close()


@pytest.mark.parametrize("sizes", [[1000, 70_000, 5], [9 << 20, 9 << 20, 1 << 20]], ids=["small", "multipart"])
def test_chunks_assemble_into_the_object_with_its_sha256(store, sizes):
    data = os.urandom(sum(sizes))
    store.create("u1")
    parts, offset = [], 0
    for n in sizes:
        parts.append(_put(store, "u1", offset, data[offset:offset + n]))
        offset += n
    assert store.complete("u1", parts, len(data)) == hashlib.sha256(data).hexdigest()
    assert _read(store, "u1") == data
    store.delete_parts([p.key for p in parts])  # what tus does once the database has recorded the upload
    if store.kind == "s3":
        keys = [o["Key"] for o in store.client.list_objects_v2(Bucket=store.bucket).get("Contents", [])]  # type: ignore[attr-defined]
        assert keys == ["exam-1/u1.bin"]
    assert _read(store, "u1") == data
    store.delete("u1", [])
    with pytest.raises((StorageError, OSError)):
        _read(store, "u1")


def test_an_empty_upload_and_a_missing_part(store):
    store.create("u0")
    assert store.complete("u0", [], 0) == hashlib.sha256(b"").hexdigest()
    store.create("u2")
    p = _put(store, "u2", 0, b"x" * 100)
    if store.kind == "s3":  # the parts do not add up: refused, never a short object
        with pytest.raises(StorageError):
            store.complete("u2", [p], 200)


def test_abort_and_lost_races_leave_nothing_counted(store):
    store.create("u3")
    w = store.chunk("u3", 0)
    w.write(b"never committed")
    w.abort()
    won = _put(store, "u3", 0, b"A" * 50)
    lost = _put(store, "u3", 0, b"A" * 50)  # the same chunk from a racing request
    store.delete_parts([lost.key])
    assert store.complete("u3", [won], 50) == hashlib.sha256(b"A" * 50).hexdigest()


def test_sweep_deletes_only_unreferenced_parts(store):
    store.create("u4")
    live = _put(store, "u4", 0, b"live")
    orphan = _put(store, "u4", 4, b"orphan")
    assert store.sweep({live.key}, older_than_s=3600) == 0  # young: maybe another worker's request
    removed = store.sweep({live.key}, older_than_s=-1)
    if store.kind == "s3":
        assert removed == 1
        keys = {o["Key"] for o in store.client.list_objects_v2(Bucket=store.bucket).get("Contents", [])}  # type: ignore[attr-defined]
        assert live.key in keys and orphan.key not in keys
    else:
        assert removed == 0  # local chunks live in the upload's own file


def test_local_repair_cuts_junk_and_reports_chunks_a_power_cut_took(tmp_path):
    store = LocalStore(tmp_path / "up")
    store.check()
    assert oct(os.stat(tmp_path / "up").st_mode & 0o777) == "0o700"
    store.create("u5")
    assert oct(os.stat(store.path("u5")).st_mode & 0o777) == "0o600"
    _put(store, "u5", 0, b"a" * 100)
    with open(store.path("u5"), "ab") as f:
        f.write(b"JUNK")
    assert store.repair("u5", [], 100) == (100, True)
    assert store.path("u5").read_bytes() == b"a" * 100
    assert store.repair("u5", [], 300) == (100, False)  # the database counts more than the disk holds
