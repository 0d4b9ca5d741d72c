"""The signed, encrypted paper bundle and the signed receipt (docs/protocol.md): made by the server,
verified by the client, both here so the formats have one definition.

The bundle is downloaded as soon as the candidate picks a sitting, its Ed25519 signature is
checked against the pinned server key, and it is stored still encrypted; at the start only the
32-byte key is needed. Anything that does not verify is refused with a message in both languages.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import os
from typing import Any, Callable, Dict, Mapping, Tuple

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from examcore.chain import canonical, sha256_hex
from examcore.errors import ExamError
from examcore.keys import b64e
from examcore.paper import Paper, PaperError, paper_from_json

Signer = Callable[[Mapping[str, Any]], str]   # b64 Ed25519 signature over canonical(obj)

BUNDLE_FORMAT = "examdesk-paper-bundle/1"
RECEIPT_FORMAT = "examdesk-receipt/1"


def _b64(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise paper_error("paper.invalid", "%s 缺失" % what, "%s missing" % what)
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise paper_error("paper.invalid", "%s 不是有效的 base64" % what, "%s is not valid base64" % what) from None


def paper_error(code: str, zh: str, en: str) -> ExamError:
    return ExamError(code, zh, en)


def public_key(b64: str) -> Ed25519PublicKey:
    raw = _b64(b64, "signing_public_key")
    if len(raw) != 32:
        raise paper_error("server.bad_key", "服务器签名公钥长度错误", "the server signing key has the wrong length")
    return Ed25519PublicKey.from_public_bytes(raw)


def verify_signed(obj: Dict[str, Any], signature_b64: Any, key_b64: str) -> bool:
    try:
        public_key(key_b64).verify(_b64(signature_b64, "signature"), canonical(obj))
        return True
    except (InvalidSignature, ExamError):
        return False


def verify_bundle(bundle: Any, key_b64: str, sitting_id: str) -> Dict[str, Any]:
    """Check the bundle's form, sitting and signature; return it. Raises EngineError('paper.tampered'...)."""
    if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
        raise paper_error("paper.invalid", "试卷包格式不正确", "the paper bundle is not %s" % BUNDLE_FORMAT)
    for k in ("paper_id", "nonce", "ciphertext", "ciphertext_sha256", "signature", "sitting_id"):
        if not isinstance(bundle.get(k), str):
            raise paper_error("paper.invalid", "试卷包缺少字段 %s" % k, "the paper bundle lacks %s" % k)
    if bundle["sitting_id"] != sitting_id:
        raise paper_error("paper.wrong_sitting", "试卷包不属于本场考试", "the paper bundle is for another sitting")
    unsigned = {k: v for k, v in bundle.items() if k != "signature"}
    if not verify_signed(unsigned, bundle["signature"], key_b64):
        raise paper_error("paper.tampered", "试卷签名校验失败：试卷可能被篡改，已拒绝。请联系考点。",
                          "the paper's signature does not verify: it may have been tampered with and was refused. "
                          "Contact the exam centre.")
    if hashlib.sha256(_b64(bundle["ciphertext"], "ciphertext")).hexdigest() != bundle["ciphertext_sha256"]:
        raise paper_error("paper.tampered", "试卷内容校验失败，已拒绝。", "the paper's checksum does not match; refused")
    return bundle


def open_bundle(bundle: Dict[str, Any], key_b64: Any) -> Paper:
    """Decrypt with the released key (AES-256-GCM, associated data = paper_id)."""
    key = _b64(key_b64, "key")
    if len(key) != 32:
        raise paper_error("paper.wrong_key", "试卷密钥长度错误", "the paper key has the wrong length")
    try:
        plain = AESGCM(key).decrypt(_b64(bundle["nonce"], "nonce"), _b64(bundle["ciphertext"], "ciphertext"),
                                    bundle["paper_id"].encode("utf-8"))
    except (InvalidTag, ValueError):
        raise paper_error("paper.wrong_key", "试卷密钥不正确，无法解密试卷。请联系监考老师。",
                          "the paper key is wrong: the paper cannot be decrypted. Ask the proctor.") from None
    try:
        paper = paper_from_json(plain.decode("utf-8"))
    except (PaperError, UnicodeDecodeError) as e:
        zh = e.message_zh if isinstance(e, PaperError) else "编码错误"
        raise paper_error("paper.invalid", "试卷内容无效：%s" % zh, "the paper content is invalid: %s" % e) from None
    if paper.paper_id != bundle["paper_id"]:
        raise paper_error("paper.invalid", "试卷编号不一致", "the paper id does not match its bundle")
    return paper


def verify_receipt(body: Any, key_b64: str) -> bool:
    if not isinstance(body, dict) or not isinstance(body.get("receipt"), dict):
        return False
    return body["receipt"].get("format") == RECEIPT_FORMAT and verify_signed(body["receipt"], body.get("signature"), key_b64)


# -- made by the server ---------------------------------------------------------------------------
def sign_with(private_key: Ed25519PrivateKey) -> Signer:
    return lambda obj: b64e(private_key.sign(canonical(dict(obj))))


def encrypt_paper(paper: Paper) -> Tuple[bytes, bytes, bytes]:
    """(key, nonce, ciphertext): AES-256-GCM over the paper's JSON, associated data = paper_id."""
    key, nonce = AESGCM.generate_key(bit_length=256), os.urandom(12)
    return key, nonce, AESGCM(key).encrypt(nonce, paper.to_json().encode("utf-8"), paper.paper_id.encode("utf-8"))


def make_bundle(sitting_id: str, room_id: str, paper_id: str, nonce: bytes, ciphertext: bytes, key_id: str,
                sign: Signer) -> Dict[str, Any]:
    bundle: Dict[str, Any] = {
        "format": BUNDLE_FORMAT, "sitting_id": sitting_id, "room_id": room_id, "paper_id": paper_id,
        "alg": "AES-256-GCM", "nonce": b64e(nonce), "ciphertext": b64e(ciphertext),
        "ciphertext_sha256": hashlib.sha256(ciphertext).hexdigest(), "key_id": key_id}
    bundle["signature"] = sign(bundle)   # over canonical(bundle without "signature")
    return bundle


def make_receipt(submission_id: str, sitting_id: str, ticket: str, final_seq: int, chain_head: str,
                 answers: Mapping[str, Any], submitted_at_ms: int, reason: str, late: bool,
                 sign: Signer) -> Dict[str, Any]:
    """{"receipt": ..., "signature": ...}; `answers` is the fold of the on-time answers (ops.fold)."""
    receipt = {"format": RECEIPT_FORMAT, "submission_id": submission_id, "sitting_id": sitting_id,
               "ticket": ticket, "final_seq": final_seq, "chain_head": chain_head,
               "answers_sha256": sha256_hex(canonical(dict(answers))), "submitted_at_ms": submitted_at_ms,
               "reason": reason, "late": late}
    return {"receipt": receipt, "signature": sign(receipt)}
