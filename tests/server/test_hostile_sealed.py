"""Sealed exports from a hostile or a repaired client: crypto and range errors are documented 4xx,
an export may continue from an op the server holds (never fork), and large ones arrive whole."""
from __future__ import annotations

import base64
import json
import os
from typing import Any, Dict, Optional

import pytest
import requests
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from examcore.chain import genesis
from examcore.sealed import seal
from tests.helpers.fixtures import make_sitting
from tests.helpers.server import LiveServer
from tests.server.kit import OpChain, assert_error, auth, post_ops, timeline


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = LiveServer(tmp_path_factory.mktemp("hostile-sealed")).start()
    yield s
    s.stop()


def sealing_key(srv) -> str:
    return requests.get(srv.api + "/server-info", timeout=5).json()["sealing_public_key"]


def sealed_for(srv, chain: OpChain, reason: str = "time_up", continues_from: Optional[Dict[str, Any]] = None,
               ops: Optional[list] = None) -> Dict[str, Any]:
    content: Dict[str, Any] = {"sitting_id": chain.sitting_id, "ops": chain.ops if ops is None else ops,
                               "final_seq": chain.seq, "chain_head": chain.head, "sealed_at_ms": 1, "reason": reason}
    if continues_from is not None:
        content["continues_from"] = continues_from
    return seal(content, sealing_key(srv))


def seal_text(srv, sitting_id: str, plaintext: bytes) -> Dict[str, Any]:
    """A correctly encrypted export around any bytes at all (as a hostile client could make)."""
    eph = X25519PrivateKey.generate()
    server_key = X25519PublicKey.from_public_bytes(base64.b64decode(sealing_key(srv)))
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"examdesk-sealed/1").derive(eph.exchange(server_key))
    nonce = os.urandom(12)
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return {"format": "examdesk-sealed/1", "sitting_id": sitting_id, "nonce": b64(nonce),
            "ephemeral_public_key": b64(eph.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)),
            "ciphertext": b64(AESGCM(key).encrypt(nonce, plaintext, sitting_id.encode()))}


def _post(st, box) -> requests.Response:
    return requests.post(st.server.api + "/sittings/%s/sealed" % st.sitting_id, json=box, headers=auth(st.token),
                         timeout=60)


def test_crypto_and_range_errors_are_documented_4xx(srv):
    st = make_sitting(srv)
    chain = OpChain(st.sitting_id)
    chain.answer("q1", "B")
    zero = dict(sealed_for(srv, chain), ephemeral_public_key=base64.b64encode(bytes(32)).decode())
    err = assert_error(_post(st, zero), 422, "sealed.invalid")   # a low-order point: no shared secret
    assert "X25519" in err["message_en"]
    assert_error(srv.admin("POST", "/admin/sealed", json=zero), 422, "sealed.invalid")
    sid = st.sitting_id
    huge = {"sitting_id": sid, "final_seq": 1, "chain_head": "0" * 64, "sealed_at_ms": 1, "reason": "time_up",
            "ops": [{"seq": 1, "kind": "answer", "payload": {"question_id": "q1", "value": "B"},
                     "t_exam_ms": 2 ** 64, "hash": "0" * 64}]}
    err = assert_error(_post(st, seal_text(srv, sid, json.dumps(huge).encode())), 422, "sealed.invalid")
    assert "t_exam_ms" in err["message_en"]   # not a database overflow
    nan = json.dumps(huge).replace(str(2 ** 64), "NaN").encode()
    assert_error(_post(st, seal_text(srv, sid, nan)), 422, "sealed.invalid")
    surrogate = json.dumps(huge).replace(str(2 ** 64), "1").replace('"B"', '"\\ud800"').encode()
    err = assert_error(_post(st, seal_text(srv, sid, surrogate)), 422, "sealed.invalid")
    assert "Unicode" in err["message_en"]
    for bad in ({"seq": "1"}, {"kind": "teleport"}, {"payload": []}, {"hash": 5}):
        op = dict(huge["ops"][0], t_exam_ms=1, **bad)
        assert_error(_post(st, seal_text(srv, sid, json.dumps(dict(huge, ops=[op])).encode())), 422, "sealed.invalid")
    assert_error(_post(st, seal_text(srv, sid, b"\xff not json")), 422, "sealed.invalid")
    assert_error(_post(st, sealed_for(srv, chain, continues_from={"seq": "x"})), 422, "sealed.invalid")
    bad_json = requests.post(srv.api + "/sittings/%s/sealed" % sid, data=b'{"format": ', timeout=10,
                             headers=dict(auth(st.token), **{"Content-Type": "application/json"}))
    assert_error(bad_json, 422, "request.invalid")
    assert [e for e in timeline(st) if e["type"] == "op"] == []   # nothing of it was stored


def test_an_export_may_continue_from_a_held_op_but_never_fork(srv):
    st = make_sitting(srv)
    chain = OpChain(st.sitting_id)
    for v in ("A", "B", "C"):
        chain.answer("q1", v)
    assert post_ops(st, chain.ops).status_code == 200   # the server holds 1..3
    chain.answer("q3", True)
    chain.answer("q1", "B")
    held = chain.ops[2]
    # the repaired journal's export: only 4..5, continuing from op 3
    box = sealed_for(srv, chain, continues_from={"seq": 3, "hash": held["hash"]}, ops=chain.ops[3:])
    inconsistent = sealed_for(srv, chain, continues_from={"seq": 3, "hash": genesis("elsewhere")}, ops=chain.ops[3:])
    assert_error(_post(st, inconsistent), 422, "sealed.invalid")   # its first op does not follow that hash
    alt = OpChain(st.sitting_id)   # another history: the same ops 1-2, another op 3, then 4-5
    alt.ops, alt.seq, alt.head = chain.ops[:2], 2, chain.ops[1]["hash"]
    for qid, value in (("q1", "D"), ("q3", True), ("q1", "B")):
        alt.answer(qid, value)
    forked = sealed_for(srv, alt, continues_from={"seq": 3, "hash": alt.ops[2]["hash"]}, ops=alt.ops[3:])
    assert_error(_post(st, forked), 409, "ops.fork")   # the server holds another op 3
    beyond = OpChain(st.sitting_id)
    beyond.seq, beyond.head = 7, chain.head
    beyond.answer("q1", "D")
    err = assert_error(_post(st, sealed_for(srv, beyond, continues_from={"seq": 7, "hash": chain.head},
                                            ops=beyond.ops)), 409, "ops.gap")
    assert err["details"]["acked_seq"] == 3
    r = _post(st, box)
    assert r.status_code == 200, r.text
    assert r.json()["receipt"]["final_seq"] == 5
    ops = [e for e in timeline(st) if e["type"] == "op"]
    assert [o["seq"] for o in ops] == [1, 2, 3, 4, 5] and [o["source"] for o in ops] == ["online"] * 3 + ["sealed"] * 2
    assert _post(st, box).json() == r.json()   # again: the same receipt


def test_a_fork_inside_a_continued_export_is_refused(srv):
    st = make_sitting(srv)
    chain = OpChain(st.sitting_id)
    for v in ("A", "B", "C", "D"):
        chain.answer("q1", v)
    assert post_ops(st, chain.ops).status_code == 200
    other = OpChain(st.sitting_id)   # the same first two ops, then a different third
    other.ops, other.seq, other.head = chain.ops[:2], 2, chain.ops[1]["hash"]
    other.answer("q1", "A")   # the server's op 3 is "C"
    other.answer("q3", False)
    box = sealed_for(srv, other, continues_from={"seq": 1, "hash": chain.ops[0]["hash"]}, ops=other.ops[1:])
    assert_error(_post(st, box), 409, "ops.fork")


def test_a_large_export_arrives_whole(srv):
    st = make_sitting(srv)
    chain = OpChain(st.sitting_id)
    for i in range(1800):   # more than three write chunks
        chain.answer("q5", "答" * 20 + str(i))
    assert post_ops(st, chain.ops[:500]).status_code == 200   # part of it went out online
    r = _post(st, sealed_for(srv, chain))
    assert r.status_code == 200, r.text
    ops = [e for e in timeline(st) if e["type"] == "op"]
    assert [o["seq"] for o in ops] == list(range(1, 1801))
    assert ops[-1]["payload"]["value"] == "答" * 20 + "1799"
    held = requests.get(srv.api + "/sittings/" + st.sitting_id, headers=auth(st.token), timeout=5).json()
    assert (held["acked_seq"], held["chain_head"], held["status"]) == (1800, chain.head, "submitted")
