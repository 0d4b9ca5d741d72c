"""Small client-side helpers for the server tests: chained ops, bundle decryption, signature checks."""
from __future__ import annotations

import base64
import json
from typing import Any, Dict, List, Optional

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from examcore.chain import canonical, genesis, op_hash


class OpChain:
    """Builds a sitting's op sequence exactly as a client would."""

    def __init__(self, sitting_id: str) -> None:
        self.sitting_id = sitting_id
        self.head = genesis(sitting_id)
        self.seq = 0
        self.ops: List[Dict[str, Any]] = []

    def add(self, kind: str, payload: Dict[str, Any], t_exam_ms: Optional[int] = None) -> Dict[str, Any]:
        self.seq += 1
        t = self.seq * 1000 if t_exam_ms is None else t_exam_ms
        op = {"seq": self.seq, "kind": kind, "payload": payload, "t_exam_ms": t, "t_client_ms": 1_700_000_000_000 + t}
        op["hash"] = self.head = op_hash(self.head, self.seq, kind, payload, t)
        self.ops.append(op)
        return op

    def answer(self, qid: str, value: Any, t_exam_ms: Optional[int] = None) -> Dict[str, Any]:
        return self.add("answer", {"question_id": qid, "value": value}, t_exam_ms)


def auth(token: str) -> Dict[str, str]:
    return {"Authorization": "Bearer " + token}


def post_ops(sitting, ops: List[Dict[str, Any]], token: Optional[str] = None) -> requests.Response:
    return requests.post("%s/sittings/%s/ops" % (sitting.server.api, sitting.sitting_id), json={"ops": ops},
                         headers=auth(token or sitting.token), timeout=10)


def assert_error(r: requests.Response, status: int, code: str) -> Dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    err = body["error"]
    assert err["code"] == code, body
    assert err["message_zh"] and err["message_en"], body
    assert "X-Server-Time-Ms" in r.headers
    return err


def verify_signature(public_b64: str, obj: Dict[str, Any], signature_b64: str) -> None:
    """Raises cryptography.exceptions.InvalidSignature when it does not match."""
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64))
    key.verify(base64.b64decode(signature_b64), canonical(obj))


def decrypt_bundle(bundle: Dict[str, Any], key_b64: str) -> Dict[str, Any]:
    plain = AESGCM(base64.b64decode(key_b64)).decrypt(base64.b64decode(bundle["nonce"]),
                                                       base64.b64decode(bundle["ciphertext"]),
                                                       bundle["paper_id"].encode("utf-8"))
    return json.loads(plain.decode("utf-8"))
