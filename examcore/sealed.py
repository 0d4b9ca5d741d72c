"""The sealed export `examdesk-sealed/1` (docs/protocol.md, "Sealed export").

When the exam ends without network the client seals its operations to the server's X25519
sealing key; the candidate hands the file in and the server opens it. Both sides use this
module, so the format has exactly one definition. No Qt, no I/O beyond bytes.

X25519(ephemeral, server key) -> HKDF-SHA256(salt none, info b"examdesk-sealed/1", 32 bytes)
-> AES-256-GCM(nonce 12 bytes, associated data = sitting_id UTF-8).
"""
from __future__ import annotations

import base64
import json
import os
from typing import Any, Dict, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from examcore.errors import ExamError
from examcore.keys import b64e, raw_public

FORMAT = "examdesk-sealed/1"
HKDF_INFO = b"examdesk-sealed/1"


class SealedError(ExamError, ValueError):
    """A sealed file that cannot be opened or does not follow the format (code `sealed.invalid`)."""

    def __init__(self, message_en: str, message_zh: str) -> None:
        super().__init__("sealed.invalid", message_zh, message_en)
        self.args = (message_en,)


def b64d(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise SealedError(f"{what} is not base64 text", f"{what} 不是 base64 文本")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise SealedError(f"{what} is not valid base64", f"{what} 不是有效的 base64") from None


def _derive(shared: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(shared)


def seal(content: Mapping[str, Any], sealing_public_key_b64: str) -> Dict[str, Any]:
    """Encrypt `content` ({sitting_id, ops, final_seq, chain_head, sealed_at_ms, reason}) for the server."""
    sitting_id = content.get("sitting_id")
    if not isinstance(sitting_id, str) or not sitting_id:
        raise SealedError("sitting_id missing", "缺少场次编号")
    raw = b64d(sealing_public_key_b64, "sealing_public_key")
    if len(raw) != 32:
        raise SealedError("the sealing key must be 32 bytes", "封存公钥长度必须为 32 字节")
    server_key = X25519PublicKey.from_public_bytes(raw)
    ephemeral = X25519PrivateKey.generate()
    key = _derive(ephemeral.exchange(server_key))
    nonce = os.urandom(12)
    plaintext = json.dumps(dict(content), ensure_ascii=False, sort_keys=True).encode("utf-8")
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, sitting_id.encode("utf-8"))
    return {"format": FORMAT, "sitting_id": sitting_id,
            "ephemeral_public_key": b64e(raw_public(ephemeral.public_key())),
            "nonce": b64e(nonce), "ciphertext": b64e(ciphertext)}


def unseal(sealed: Any, sealing_private_key: X25519PrivateKey) -> Dict[str, Any]:
    """Open a sealed export with the server's private key; raises SealedError on anything wrong."""
    if not isinstance(sealed, dict) or sealed.get("format") != FORMAT:
        raise SealedError(f"not an {FORMAT} file", f"不是 {FORMAT} 封存文件")
    sitting_id = sealed.get("sitting_id")
    if not isinstance(sitting_id, str) or not sitting_id:
        raise SealedError("sitting_id missing", "缺少场次编号")
    eph = b64d(sealed.get("ephemeral_public_key"), "ephemeral_public_key")
    nonce = b64d(sealed.get("nonce"), "nonce")
    ciphertext = b64d(sealed.get("ciphertext"), "ciphertext")
    if len(eph) != 32 or len(nonce) != 12:
        raise SealedError("bad key or nonce length", "密钥或随机数长度错误")
    try:
        shared = sealing_private_key.exchange(X25519PublicKey.from_public_bytes(eph))
    except ValueError:   # a low-order point (e.g. all zeros) gives no shared secret
        raise SealedError("the ephemeral key is not a usable X25519 key", "封存文件的临时公钥无效") from None
    key = _derive(shared)
    try:
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, sitting_id.encode("utf-8"))
    except InvalidTag:
        raise SealedError("the sealed file is damaged or not for this server",
                          "封存文件已损坏，或不是发给本服务器的") from None
    try:
        content = json.loads(plaintext.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise SealedError("the sealed content is not JSON", "封存内容不是有效的 JSON") from None
    if not isinstance(content, dict) or content.get("sitting_id") != sitting_id:
        raise SealedError("the sealed content names another sitting", "封存内容与场次编号不一致")
    ops = content.get("ops")
    if not isinstance(ops, list) or not all(isinstance(o, dict) for o in ops):
        raise SealedError("the sealed content has no operation list", "封存内容缺少操作列表")
    return content

