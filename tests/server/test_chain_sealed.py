"""The shared chain and sealed-file formats (client/exam/chain.py, client/exam/sealed.py)."""
from __future__ import annotations

import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from examcore import chain, sealed


def test_canonical_is_sorted_compact_utf8():
    assert chain.canonical({"b": 1, "a": "考试"}) == '{"a":"考试","b":1}'.encode()


def test_genesis_and_op_hash_follow_the_protocol_formula():
    g = chain.genesis("s-1")
    assert g == hashlib.sha256(b"examdesk-genesis:s-1").hexdigest()
    body = json.dumps({"seq": 1, "kind": "answer", "payload": {"question_id": "q1", "value": "B"},
                       "t_exam_ms": 5}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256((g + body).encode("utf-8")).hexdigest()
    assert chain.op_hash(g, 1, "answer", {"question_id": "q1", "value": "B"}, 5) == expected


def _ops(sid, n):
    prev, out = chain.genesis(sid), []
    for i in range(1, n + 1):
        op = {"seq": i, "kind": "flag", "payload": {"question_id": "q1", "flagged": i % 2 == 0}, "t_exam_ms": i}
        op["hash"] = prev = chain.op_hash_of(prev, op)
        out.append(op)
    return out


def test_verify_chain_finds_the_first_bad_link():
    ops = _ops("s", 4)
    assert chain.verify_chain("s", ops) == (True, 4, ops[3]["hash"])
    ops[2]["payload"]["flagged"] = True  # tampered: hash no longer matches
    ok, seq, head = chain.verify_chain("s", ops)
    assert (ok, seq, head) == (False, 2, ops[1]["hash"])
    assert chain.verify_chain("s", [ops[0], ops[2]])[:2] == (False, 1)  # gap
    assert chain.verify_chain("other", ops[:1])[0] is False  # another sitting's genesis


def _keypair():
    priv = X25519PrivateKey.generate()
    pub = priv.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return priv, sealed.b64e(pub)


def test_seal_roundtrip_and_tamper_detection():
    priv, pub = _keypair()
    content = {"sitting_id": "s-9", "ops": _ops("s-9", 3), "final_seq": 3, "chain_head": "x",
               "sealed_at_ms": 1, "reason": "time_up"}
    box = sealed.seal(content, pub)
    assert box["format"] == "examdesk-sealed/1"
    assert sealed.unseal(box, priv) == content
    with pytest.raises(sealed.SealedError):  # someone else's key
        sealed.unseal(box, X25519PrivateKey.generate())
    with pytest.raises(sealed.SealedError):  # relabelled to another sitting: AAD mismatch
        sealed.unseal(dict(box, sitting_id="s-10"), priv)
    with pytest.raises(sealed.SealedError) as e:
        sealed.unseal(dict(box, nonce="***"), priv)
    assert "base64" in e.value.message_zh
    with pytest.raises(sealed.SealedError):
        sealed.unseal({"format": "nope"}, priv)


def test_unseal_refuses_content_too_deep_to_parse():
    import base64
    import os

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    priv, pub = _keypair()
    eph = X25519PrivateKey.generate()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"examdesk-sealed/1").derive(
        eph.exchange(X25519PublicKey.from_public_bytes(base64.b64decode(pub))))
    nonce = os.urandom(12)
    deep = b"[" * 100000 + b"]" * 100000
    box = {"format": "examdesk-sealed/1", "sitting_id": "s", "nonce": sealed.b64e(nonce),
           "ephemeral_public_key": sealed.b64e(eph.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)),
           "ciphertext": sealed.b64e(AESGCM(key).encrypt(nonce, deep, b"s"))}
    with pytest.raises(sealed.SealedError):
        sealed.unseal(box, priv)
