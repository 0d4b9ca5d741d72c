"""Sealed evidence files `examdesk-evidence/1`: snippets and snapshots encrypted on the candidate's PC
to the server's X25519 sealing key (the key of the sealed export), so nothing readable stays on disk.
Both sides use this module; no Qt, no numpy.

Layout (all integers big-endian):

    b"EXDEVID1" | u32 header length | header JSON (UTF-8, sorted keys)
    then chunks: u32 ciphertext length | u8 last (0/1) | AES-256-GCM ciphertext of <= chunk_bytes

Key: X25519(ephemeral, server key) -> HKDF-SHA256(salt none, info b"examdesk-evidence/1", 32 bytes),
the construction of examcore.sealed with its own label. Each chunk: nonce = 7-byte prefix | u32
counter | last flag, associated data = SHA-256 of everything before the first chunk (the STREAM
construction: a reordered, dropped, truncated or extended chunk, or a changed header, fails).
The header names the sitting, the kind (snippet | snapshot), the event's journal seq and type and
when it was taken, so the server can file it before opening it.

The plaintext is an evidence package: a stored (uncompressed) ZIP with `meta.json` and the media
(`video.mp4`, `audio.wav`, `snapshot.jpg`); `pack()` / `unpack()`.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import zipfile
from typing import IO, Any, Dict, Iterator, List, Mapping, Optional, Tuple

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from examcore.errors import ExamError
from examcore.keys import b64e, raw_public
from examcore.sealed import b64d

FORMAT = "examdesk-evidence/1"
MAGIC = b"EXDEVID1"
HKDF_INFO = b"examdesk-evidence/1"
CHUNK_BYTES = 64 * 1024
MAX_HEADER = 16 * 1024
KINDS = ("snippet", "snapshot")
PACKAGE_MEMBERS = {"meta.json": "application/json", "video.mp4": "video/mp4", "video.avi": "video/x-msvideo",
                   "audio.wav": "audio/wav", "snapshot.jpg": "image/jpeg"}
SUFFIX = ".evd"


class EvidenceError(ExamError, ValueError):
    """An evidence file that is damaged, truncated, not for this server, or not of this format."""

    def __init__(self, message_en: str, message_zh: str) -> None:
        super().__init__("evidence.invalid", message_zh, message_en)
        self.args = (message_en,)


def _derive(shared: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(shared)


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


class EvidenceSealer:
    """Streams plaintext into a sealed file object: `write()` any number of times, then `close()`.
    Only ciphertext reaches `out`; a chunk is written once it is full, the last one at close()."""

    def __init__(self, out: IO[bytes], sealing_public_key_b64: str, header: Mapping[str, Any],
                 chunk_bytes: int = CHUNK_BYTES) -> None:
        raw = b64d(sealing_public_key_b64, "sealing_public_key")
        if len(raw) != 32:
            raise EvidenceError("the sealing key must be 32 bytes", "封存公钥长度必须为 32 字节")
        if header.get("kind") not in KINDS or not isinstance(header.get("sitting_id"), str):
            raise EvidenceError("evidence header needs kind (snippet|snapshot) and sitting_id",
                                "证据文件头缺少类型或场次编号")
        ephemeral = X25519PrivateKey.generate()
        self._aead = AESGCM(_derive(ephemeral.exchange(X25519PublicKey.from_public_bytes(raw))))
        self._prefix = os.urandom(7)
        full = dict(header, format=FORMAT, chunk_bytes=int(chunk_bytes),
                    ephemeral_public_key=b64e(raw_public(ephemeral.public_key())), nonce_prefix=b64e(self._prefix))
        head = json.dumps(full, ensure_ascii=False, sort_keys=True).encode("utf-8")
        if len(head) > MAX_HEADER:
            raise EvidenceError("evidence header too large", "证据文件头过大")
        preamble = MAGIC + struct.pack(">I", len(head)) + head
        self._ad = hashlib.sha256(preamble).digest()
        self._out = out
        self._out.write(preamble)
        self._chunk = int(chunk_bytes)
        self._buf = bytearray()
        self._counter = 0
        self.closed = False

    def write(self, data: bytes) -> None:
        self._buf += data
        while len(self._buf) > self._chunk:   # keep one chunk back: the last one is marked at close()
            self._emit(bytes(self._buf[:self._chunk]), False)
            del self._buf[:self._chunk]

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buf), True)
            self._buf = bytearray()
            self.closed = True

    def _emit(self, plain: bytes, last: bool) -> None:
        ct = self._aead.encrypt(_nonce(self._prefix, self._counter, last), plain, self._ad)
        self._out.write(struct.pack(">IB", len(ct), 1 if last else 0) + ct)
        self._counter += 1


def seal_bytes(plaintext: bytes, sealing_public_key_b64: str, header: Mapping[str, Any]) -> bytes:
    out = io.BytesIO()
    sealer = EvidenceSealer(out, sealing_public_key_b64, header)
    sealer.write(plaintext)
    sealer.close()
    return out.getvalue()


def _read_exact(f: IO[bytes], n: int, what: str) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise EvidenceError("the evidence file ends inside its %s" % what, "证据文件在%s处中断（文件不完整）" % what)
    return data


def read_header(f: IO[bytes]) -> Tuple[Dict[str, Any], bytes]:
    """(header, associated data) of a sealed evidence file, without any key; leaves `f` at the first chunk."""
    if f.read(len(MAGIC)) != MAGIC:
        raise EvidenceError("not an %s file" % FORMAT, "不是 %s 证据文件" % FORMAT)
    (n,) = struct.unpack(">I", _read_exact(f, 4, "header"))
    if n > MAX_HEADER:
        raise EvidenceError("evidence header too large", "证据文件头过大")
    head = _read_exact(f, n, "header")
    try:
        header = json.loads(head.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise EvidenceError("the evidence header is not JSON", "证据文件头不是有效的 JSON") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("kind") not in KINDS:
        raise EvidenceError("not an %s file" % FORMAT, "不是 %s 证据文件" % FORMAT)
    return header, hashlib.sha256(MAGIC + struct.pack(">I", n) + head).digest()


def check_structure(path: str) -> Dict[str, Any]:
    """The header of a whole sealed file: every chunk present, the last one marked, nothing after it.
    Needs no key (the client checks what a crash left behind); EvidenceError otherwise."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        header, _ = read_header(f)
        while True:
            n, last = struct.unpack(">IB", _read_exact(f, 5, "chunk"))
            if n > int(header.get("chunk_bytes", CHUNK_BYTES)) + 16:
                raise EvidenceError("an evidence chunk is too large", "证据数据块过大")
            f.seek(n, io.SEEK_CUR)
            if f.tell() > size:
                raise EvidenceError("the evidence file ends inside a chunk", "证据文件在数据块处中断（文件不完整）")
            if last:
                if f.tell() != size:
                    raise EvidenceError("data after the last evidence chunk", "证据文件末尾有多余数据")
                return header


def open_chunks(f: IO[bytes], sealing_private_key: X25519PrivateKey) -> Tuple[Dict[str, Any], Iterator[bytes]]:
    """(header, plaintext chunks) of a sealed file; the iterator raises EvidenceError on any damage."""
    header, ad = read_header(f)
    eph = b64d(header.get("ephemeral_public_key"), "ephemeral_public_key")
    prefix = b64d(header.get("nonce_prefix"), "nonce_prefix")
    if len(eph) != 32 or len(prefix) != 7:
        raise EvidenceError("bad key or nonce length", "密钥或随机数长度错误")
    aead = AESGCM(_derive(sealing_private_key.exchange(X25519PublicKey.from_public_bytes(eph))))
    limit = int(header.get("chunk_bytes", CHUNK_BYTES)) + 16

    def chunks() -> Iterator[bytes]:
        counter = 0
        while True:
            n, last = struct.unpack(">IB", _read_exact(f, 5, "chunk"))
            if n > limit or last not in (0, 1):
                raise EvidenceError("an evidence chunk is malformed", "证据数据块格式错误")
            ct = _read_exact(f, n, "chunk")
            try:
                yield aead.decrypt(_nonce(prefix, counter, bool(last)), ct, ad)
            except InvalidTag:
                raise EvidenceError("the evidence file is damaged or not for this server",
                                    "证据文件已损坏，或不是发给本服务器的") from None
            counter += 1
            if last:
                if f.read(1):
                    raise EvidenceError("data after the last evidence chunk", "证据文件末尾有多余数据")
                return
    return header, chunks()


def unseal_bytes(data: bytes, sealing_private_key: X25519PrivateKey) -> Tuple[Dict[str, Any], bytes]:
    """(header, plaintext) of a whole sealed file given as bytes."""
    header, chunks = open_chunks(io.BytesIO(data), sealing_private_key)
    return header, b"".join(chunks)


# -- the package inside -------------------------------------------------------------------------------
def pack(meta: Mapping[str, Any], members: Mapping[str, bytes]) -> bytes:
    """A stored ZIP (media is compressed already) with meta.json first, then the media members."""
    unknown = [m for m in members if m not in PACKAGE_MEMBERS or m == "meta.json"]
    if unknown:
        raise ValueError("unknown package members: %s" % unknown)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("meta.json", json.dumps(dict(meta), ensure_ascii=False, sort_keys=True))
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def unpack(plaintext: bytes) -> Tuple[Dict[str, Any], Dict[str, bytes]]:
    """(meta, {member: bytes}) of an evidence package; EvidenceError for anything else."""
    try:
        with zipfile.ZipFile(io.BytesIO(plaintext)) as z:
            names: List[str] = z.namelist()
            if "meta.json" not in names or any(n not in PACKAGE_MEMBERS for n in names):
                raise EvidenceError("the evidence package has unexpected members", "证据包内容不符合格式")
            if sum(i.file_size for i in z.infolist()) > 64 * 1024 * 1024:
                raise EvidenceError("the evidence package is too large", "证据包过大")
            meta = json.loads(z.read("meta.json").decode("utf-8"))
            members = {n: z.read(n) for n in names if n != "meta.json"}
    except (zipfile.BadZipFile, ValueError, UnicodeDecodeError, KeyError) as e:
        if isinstance(e, EvidenceError):
            raise
        raise EvidenceError("the evidence package is damaged", "证据包已损坏") from None
    if not isinstance(meta, dict):
        raise EvidenceError("the evidence meta is not an object", "证据包说明格式错误")
    return meta, members


def open_package(data: bytes, sealing_private_key: X25519PrivateKey
                 ) -> Tuple[Dict[str, Any], Dict[str, Any], Dict[str, bytes]]:
    """(header, meta, members) of a sealed evidence file given as bytes."""
    header, plain = unseal_bytes(data, sealing_private_key)
    meta, members = unpack(plain)
    return header, meta, members


def media_type(member: str) -> str:
    return PACKAGE_MEMBERS.get(member, "application/octet-stream")


def kind_and_seq(header: Mapping[str, Any]) -> Tuple[str, Optional[int]]:
    seq = header.get("event_seq")
    return str(header.get("kind")), (int(seq) if isinstance(seq, int) and not isinstance(seq, bool) else None)
