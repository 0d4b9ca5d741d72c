"""Canonical JSON and the operation hash chain (docs/protocol.md, "Operations").

One definition shared by the client (journal, outbox, sealed export) and the server (ops
ingestion, receipts), so both sides compute byte-identical hashes. No Qt, no I/O.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable, Mapping, Tuple

GENESIS_PREFIX = "examdesk-genesis:"
# The op fields that the hash covers; t_client_ms is deliberately outside (local wall clock).
HASHED_FIELDS = ("seq", "kind", "payload", "t_exam_ms")


def canonical(obj: Any) -> bytes:
    """The one byte encoding that is hashed and signed: sorted keys, no spaces, raw UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def genesis(sitting_id: str) -> str:
    """The `prev_hash` of a sitting's first op."""
    return sha256_hex((GENESIS_PREFIX + sitting_id).encode("utf-8"))


def op_hash(prev: str, seq: int, kind: str, payload: Any, t_exam_ms: int) -> str:
    """sha256_hex(prev_hash_hex + canonical({seq, kind, payload, t_exam_ms}))."""
    body = canonical({"seq": seq, "kind": kind, "payload": payload, "t_exam_ms": t_exam_ms})
    return sha256_hex(prev.encode("ascii") + body)


def op_hash_of(prev: str, op: Mapping[str, Any]) -> str:
    """op_hash for a dict op as sent on the wire."""
    return op_hash(prev, op["seq"], op["kind"], op["payload"], op["t_exam_ms"])


def verify_chain(sitting_id: str, ops: Iterable[Mapping[str, Any]],
                 start_prev: str = "", start_seq: int = 0) -> Tuple[bool, int, str]:
    """Walk `ops` (sorted by seq) from `start_seq`/`start_prev` (empty prev: genesis).

    Returns (ok, last_good_seq, last_good_hash); stops at the first gap or wrong hash.
    """
    prev = start_prev or genesis(sitting_id)
    seq = start_seq
    for op in ops:
        if op.get("seq") != seq + 1:
            return False, seq, prev
        if op.get("hash") != op_hash_of(prev, op):
            return False, seq, prev
        seq, prev = op["seq"], op["hash"]
    return True, seq, prev
