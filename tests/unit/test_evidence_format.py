"""examcore.evidence: sealed evidence files open only with the server's key, and every kind of damage
(truncation, a dropped, swapped or flipped chunk, a changed header, the wrong key) is refused."""
from __future__ import annotations

import io
import os
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from examcore.evidence import (
    EvidenceError,
    EvidenceSealer,
    check_structure,
    open_chunks,
    open_package,
    pack,
    read_header,
    seal_bytes,
    unpack,
    unseal_bytes,
)
from examcore.keys import b64e, raw_public

HEADER = {"kind": "snippet", "sitting_id": "s-1", "event_seq": 7, "event_type": "camera.face_absent"}


@pytest.fixture(scope="module")
def key():
    return X25519PrivateKey.generate()


def pub(k):
    return b64e(raw_public(k.public_key()))


def chunk_offsets(data):
    f = io.BytesIO(data)
    read_header(f)
    out = []
    while True:
        at = f.tell()
        n, last = struct.unpack(">IB", f.read(5))
        out.append((at, 5 + n, last))
        f.seek(n, io.SEEK_CUR)
        if last:
            return out


@pytest.mark.parametrize("size", [0, 1, 64 * 1024, 64 * 1024 + 1, 300_000])
def test_round_trip_and_structure(tmp_path, key, size):
    plain = os.urandom(size)
    data = seal_bytes(plain, pub(key), HEADER)
    header, opened = unseal_bytes(data, key)
    assert opened == plain and header["event_seq"] == 7 and header["format"] == "examdesk-evidence/1"
    assert plain[:64] not in data or size < 16            # only ciphertext on disk
    path = tmp_path / "e.evd"
    path.write_bytes(data)
    assert check_structure(str(path))["kind"] == "snippet"


def test_streaming_writes_equal_one_write(key):
    out = io.BytesIO()
    sealer = EvidenceSealer(out, pub(key), HEADER)
    parts = [os.urandom(n) for n in (10, 70_000, 3, 65_536, 0, 5)]
    for p in parts:
        sealer.write(p)
    sealer.close()
    assert unseal_bytes(out.getvalue(), key)[1] == b"".join(parts)


def test_unreadable_without_the_servers_key(key):
    data = seal_bytes(b"the candidate's face", pub(key), HEADER)
    with pytest.raises(EvidenceError, match="damaged or not for this server"):
        unseal_bytes(data, X25519PrivateKey.generate())


def test_every_kind_of_damage_is_refused(tmp_path, key):
    data = seal_bytes(os.urandom(200_000), pub(key), HEADER)
    chunks = chunk_offsets(data)
    assert len(chunks) == 4 and [c[2] for c in chunks] == [0, 0, 0, 1]
    (a, an, _), (b, bn, _) = chunks[0], chunks[1]
    body_end = chunks[-1][0]
    cases = {
        "truncated inside a chunk": data[:len(data) - 10],
        "last chunk dropped": data[:body_end],
        "chunks swapped": data[:a] + data[b:b + bn] + data[a:a + an] + data[b + bn:],
        "a bit flipped": data[:a + 40] + bytes([data[a + 40] ^ 1]) + data[a + 41:],
        "junk appended": data + b"x",
        "header changed": data.replace(b'"event_seq": 7', b'"event_seq": 8'),
    }
    for what, bad in cases.items():
        with pytest.raises(EvidenceError):
            header, chunks_iter = open_chunks(io.BytesIO(bad), key)
            b"".join(chunks_iter)
        path = tmp_path / "bad.evd"
        path.write_bytes(bad)
        if what in ("truncated inside a chunk", "last chunk dropped", "junk appended"):
            with pytest.raises(EvidenceError):   # seen without the key: what a crash leaves is never uploaded
                check_structure(str(path))


def test_not_evidence_at_all(tmp_path, key):
    for junk in (b"", b"EXDEVID1", b"hello world", b"EXDEVID1\x00\x00\x00\x05{bad}"):
        with pytest.raises(EvidenceError):
            unseal_bytes(junk, key)


def test_bad_key_and_header_refused():
    with pytest.raises(EvidenceError):
        seal_bytes(b"x", b64e(b"short"), HEADER)
    with pytest.raises(EvidenceError):
        seal_bytes(b"x", b64e(os.urandom(32)), {"kind": "movie", "sitting_id": "s"})


def test_package_round_trip_and_refusals(key):
    data = seal_bytes(pack({"kind": "snippet", "event_at_s": 5.0}, {"video.mp4": b"\x00" * 100, "audio.wav": b"RIFF"}),
                      pub(key), HEADER)
    header, meta, members = open_package(data, key)
    assert meta["event_at_s"] == 5.0 and set(members) == {"video.mp4", "audio.wav"}
    with pytest.raises(ValueError):
        pack({}, {"evil.exe": b"MZ"})
    with pytest.raises(EvidenceError):
        unpack(b"not a zip")
