"""Canonical JSON and the operation hash chain (docs/protocol.md, "Operations").

One definition shared by the client (journal, outbox, sealed export) and the server (ops
ingestion, receipts), so both sides compute byte-identical hashes. No Qt, no I/O.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any, Iterable, List, Mapping, NamedTuple, Optional, Tuple, Union

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


# -- what canonical() may be given -------------------------------------------------------------
# canonical() itself stays as it always was (journals written before hold such values and must keep
# verifying); the checks below keep new values inside the part of JSON that every reader agrees on
# (RFC 8785 / I-JSON): no NaN or Infinity, integers within +-(2**53 - 1), text of Unicode scalar values.
SAFE_INT = 2 ** 53 - 1
MAX_JSON_DEPTH = 64
_SURROGATE = re.compile("[\ud800-\udfff]")


class JsonProblem(NamedTuple):
    path: Tuple[Union[str, int], ...]   # where: keys and list indexes from the root
    message_en: str
    message_zh: str

    def where(self) -> str:
        parts = ["[%d]" % p if isinstance(p, int) else ("." if i else "") + str(p)[:40] for i, p in enumerate(self.path)]
        if len(parts) > 8:   # a hostile nesting must not make the message as deep as itself
            parts = parts[:4] + ["…"] + parts[-3:]
        return "".join(parts) or "(root)"


def has_lone_surrogate(text: str) -> bool:
    return not text.isascii() and _SURROGATE.search(text) is not None


def json_problem(obj: Any, max_depth: int = MAX_JSON_DEPTH) -> Optional[JsonProblem]:
    """The first value in `obj` that interoperable JSON cannot carry, or None. Iterative: no
    recursion to exhaust on hostile nesting."""
    stack: List[Tuple[Any, Tuple[Union[str, int], ...], int]] = [(obj, (), 1)]
    while stack:
        item, path, depth = stack.pop()
        if item is None or isinstance(item, bool):
            continue
        if isinstance(item, str):
            if has_lone_surrogate(item):
                return JsonProblem(path, "text is not valid Unicode (a lone surrogate)", "文本含有无效的 Unicode 字符（孤立代理项）")
        elif isinstance(item, int):
            if not -SAFE_INT <= item <= SAFE_INT:
                return JsonProblem(path, "integer outside +-(2^53 - 1)", "整数超出 ±(2^53 - 1) 范围")
        elif isinstance(item, float):
            if not math.isfinite(item):
                return JsonProblem(path, "NaN and Infinity are not JSON numbers", "NaN 与 Infinity 不是有效的 JSON 数值")
        elif isinstance(item, (dict, list, tuple)):
            if depth > max_depth:
                return JsonProblem(path, "nested deeper than %d levels" % max_depth, "嵌套超过 %d 层" % max_depth)
            if isinstance(item, dict):
                for k, v in item.items():
                    if not isinstance(k, str) or has_lone_surrogate(k):
                        return JsonProblem(path, "object key is not valid Unicode text", "对象的键不是有效的 Unicode 文本")
                    stack.append((v, path + (k,), depth + 1))
            else:
                stack.extend((v, path + (i,), depth + 1) for i, v in enumerate(item))
        else:
            return JsonProblem(path, "not a JSON value (%s)" % type(item).__name__, "不是 JSON 值")
    return None


def json_safe(obj: Any, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """A copy of `obj` that json_problem() accepts: NaN/Infinity become null, lone surrogates
    U+FFFD, out-of-range integers text, anything deeper than `max_depth` null. For values a
    client measures (camera, microphone, self-check) before they are journaled and hashed."""
    def clean(x: Any, depth: int) -> Any:
        if x is None or isinstance(x, bool):
            return x
        if isinstance(x, str):
            return _SURROGATE.sub("\ufffd", x) if has_lone_surrogate(x) else x
        if isinstance(x, int):
            return x if -SAFE_INT <= x <= SAFE_INT else str(x)
        if isinstance(x, float):
            return x if math.isfinite(x) else None
        if depth >= max_depth:
            return None
        if isinstance(x, dict):
            return {clean(str(k), depth): clean(v, depth + 1) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [clean(v, depth + 1) for v in x]
        return str(x)
    return clean(obj, 1)
