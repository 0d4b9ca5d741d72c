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


def session_from(address: str) -> requests.Session:
    """A session whose connections leave from `address` (127.0.0.0/8 is all loopback on Linux): a
    second client machine, as far as the server's per-address accounting can tell."""
    from requests.adapters import HTTPAdapter

    class SourceAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kw: Any) -> None:
            kw["source_address"] = (address, 0)
            super().init_poolmanager(*args, **kw)

    s = requests.Session()
    s.mount("http://", SourceAdapter())
    return s


def tus_meta(**fields: str) -> str:
    return ",".join("%s %s" % (k, base64.b64encode(v.encode("utf-8")).decode()) for k, v in fields.items())


def create_upload(sitting, size: int, token: Optional[str] = None, **meta: str) -> requests.Response:
    fields = {"filename": "e.mp4", "filetype": "video/mp4", "sitting_id": sitting.sitting_id, "purpose": "evidence",
              "sha256": "0" * 64}
    fields.update(meta)
    return requests.post(sitting.server.api + "/files/", timeout=10, headers=dict(auth(token or sitting.token), **{
        "Tus-Resumable": "1.0.0", "Upload-Length": str(size), "Upload-Metadata": tus_meta(**fields)}))


def patch_upload(sitting, location: str, data: bytes, offset: int = 0) -> requests.Response:
    url = location if location.startswith("http") else sitting.server.url + location
    return requests.patch(url, data=data, timeout=30, headers=dict(auth(sitting.token), **{
        "Tus-Resumable": "1.0.0", "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}))


def timeline(sitting) -> List[Dict[str, Any]]:
    return sitting.server.admin_json("GET", "/admin/sittings/%s/timeline" % sitting.sitting_id)["entries"]


def heartbeat(sitting, body: Optional[Dict[str, Any]] = None, **kw: Any) -> requests.Response:
    return requests.post("%s/sittings/%s/heartbeat" % (sitting.server.api, sitting.sitting_id), timeout=10,
                         json={"state": "in_exam", "pending_ops": 0} if body is None else body,
                         headers=auth(sitting.token), **kw)


def result(sitting) -> Dict[str, Any]:
    r = requests.get("%s/sittings/%s/result" % (sitting.server.api, sitting.sitting_id), headers=auth(sitting.token),
                     timeout=10)
    assert r.status_code == 200, r.text
    return r.json()
