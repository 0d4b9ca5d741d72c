"""The signed, encrypted paper bundle and the signed receipt (docs/protocol.md).

The bundle is downloaded as soon as the candidate picks a sitting, its Ed25519 signature is
checked against the pinned server key, and it is stored still encrypted; at the start only the
32-byte key is needed. Anything that does not verify is refused with a message in both languages.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any, Dict

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from client.exam.api import EngineError
from client.exam.chain import canonical
from client.exam.paper import Paper, PaperError, paper_from_json

BUNDLE_FORMAT = "examdesk-paper-bundle/1"
RECEIPT_FORMAT = "examdesk-receipt/1"


def _b64(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise paper_error("paper.invalid", "%s 缺失" % what, "%s missing" % what)
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise paper_error("paper.invalid", "%s 不是有效的 base64" % what, "%s is not valid base64" % what) from None


def paper_error(code: str, zh: str, en: str) -> EngineError:
    return EngineError(code, zh, en)


def public_key(b64: str) -> Ed25519PublicKey:
    raw = _b64(b64, "signing_public_key")
    if len(raw) != 32:
        raise paper_error("server.bad_key", "服务器签名公钥长度错误", "the server signing key has the wrong length")
    return Ed25519PublicKey.from_public_bytes(raw)


def verify_signed(obj: Dict[str, Any], signature_b64: Any, key_b64: str) -> bool:
    try:
        public_key(key_b64).verify(_b64(signature_b64, "signature"), canonical(obj))
        return True
    except (InvalidSignature, EngineError):
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
        zh = getattr(e, "message_zh", "试卷内容无效")
        raise paper_error("paper.invalid", "试卷内容无效：%s" % zh, "the paper content is invalid: %s" % e) from None
    if paper.paper_id != bundle["paper_id"]:
        raise paper_error("paper.invalid", "试卷编号不一致", "the paper id does not match its bundle")
    return paper


def verify_receipt(body: Any, key_b64: str) -> bool:
    if not isinstance(body, dict) or not isinstance(body.get("receipt"), dict):
        return False
    return body["receipt"].get("format") == RECEIPT_FORMAT and verify_signed(body["receipt"], body.get("signature"), key_b64)
