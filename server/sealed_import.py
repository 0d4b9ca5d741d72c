"""Importing a sealed export (docs/protocol.md, "Sealed export"): opened, checked and hashed outside
the write lock, then written in chunks, so one large hand-in never stalls other candidates.

A journal repaired on the client continues from an op the server already held; its export says so
in `continues_from` ({seq, hash}), and the chain is checked from there. The server must hold that
op with that hash (else 409 ops.gap / ops.fork): an export may start later, never fork.
"""

import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from pydantic import ValidationError
from sqlalchemy import func, select

from examcore.chain import genesis, json_problem
from examcore.keys import raw_private
from examcore.paper import paper_from_dict
from examcore.sealed import SealedError, unseal
from server import quotas
from server.context import ServerContext
from server.db import Op, OpTiming, PaperRow, Sitting
from server.errors import ApiError
from server.ledger import (
    REASONS,
    Prepared,
    conflict,
    final_answers,
    ingest,
    issue_receipt,
    link_hash,
    owned_sitting,
    prepare,
    room_of,
)
from server.logs import event
from server.models import OpIn

log = logging.getLogger("examdesk.server.sealed")
CHUNK = 200   # ops written per transaction: the write lock is held for one chunk at a time
PAUSE_S = 0.01   # between chunks: other candidates' writes (and the GIL) get their turn


def _invalid(en: str, zh: str, **details: Any) -> ApiError:
    return ApiError("sealed.invalid", "封存文件无效：" + zh, "invalid sealed export: " + en, **details)


@dataclass
class Export:
    sitting_id: str
    base_seq: int
    base_hash: str
    ops: list[Prepared]
    final_seq: int
    chain_head: str
    reason: str


def _base(content: dict[str, Any], sid: str) -> tuple[int, str]:
    base = content.get("continues_from")
    if base is None:
        return 0, genesis(sid)
    ok = isinstance(base, dict) and type(base.get("seq")) is int and 0 <= base["seq"] <= 10_000_000 \
        and isinstance(base.get("hash"), str) and len(base["hash"]) == 64
    if not ok:
        raise _invalid("continues_from must be {seq, hash}", "continues_from 须为 {seq, hash}")
    return (0, genesis(sid)) if base["seq"] == 0 else (base["seq"], base["hash"])


def _ops(raw: list[Any]) -> list[dict[str, Any]]:
    out = []
    for i, o in enumerate(raw):
        try:
            op = OpIn.model_validate(o)   # the same bounds as an online op (seq, times, hash)
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            raise _invalid("op %d: %s %s" % (i + 1, where, first.get("msg", "")), "第 %d 条操作的 %s 无效" % (i + 1, where),
                           index=i, field=where) from None
        out.append(op.model_dump())
    return sorted(out, key=lambda o: o["seq"])


def verify_export(sealing_key_raw: bytes, sealed: Any, paper_body: str) -> Export:
    """Decrypt and check everything that needs no database: format, values, payloads, the chain.
    Pure CPU; runs in the verifier process (below)."""
    try:
        content = unseal(sealed, X25519PrivateKey.from_private_bytes(sealing_key_raw))
    except SealedError as e:
        raise _invalid(e.message_en, e.message_zh) from None
    sid = content["sitting_id"]
    problem = json_problem(content)
    if problem is not None:
        raise _invalid("%s: %s" % (problem.where(), problem.message_en), "%s：%s" % (problem.where(), problem.message_zh),
                       field=problem.where())
    paper = paper_from_dict(json.loads(paper_body))
    base_seq, base_hash = _base(content, sid)
    prepared = prepare(paper, _ops(content["ops"]))
    prev, seq = base_hash, base_seq
    for p in prepared:
        if p.op["seq"] != seq + 1 or link_hash(prev, p.body) != p.op["hash"]:
            raise ApiError("sealed.invalid", "封存文件的哈希链在第 %d 条断开" % (seq + 1),
                           "the sealed chain breaks at op %d" % (seq + 1), seq=seq + 1)
        seq, prev = p.op["seq"], p.op["hash"]
    final_seq, head = content.get("final_seq"), content.get("chain_head")
    if final_seq != seq or head != prev:
        raise ApiError("sealed.invalid", "封存文件的结束序号或链头不一致", "final_seq/chain_head do not match the ops",
                       final_seq=final_seq if type(final_seq) is int else None, ops=len(prepared))
    reason = content.get("reason")
    return Export(sid, base_seq, base_hash, prepared, seq, prev,
                  reason if isinstance(reason, str) and reason in REASONS else "time_up")


def _verify_in_child(sealing_key_raw: bytes, sealed: Any, paper_body: str) -> tuple:
    # an ApiError does not survive pickling with its details: hand back plain data instead
    try:
        return ("ok", verify_export(sealing_key_raw, sealed, paper_body))
    except ApiError as e:
        return ("error", e.code, e.message_zh, e.message_en, e.status, e.details)


# Decrypting, parsing, validating and hashing a whole exam is seconds of pure-Python CPU for a large
# export; in this process it would hold the GIL against every other request. A separate process runs
# it on another core, so other candidates' answers are not held up (see bench/sealed_import_contention.py).
_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _exit_with_parent() -> None:
    """In the verifier: end when the server process ends, even by SIGKILL (no orphan left behind)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-server", daemon=True).start()


def _verifier() -> ProcessPoolExecutor:
    """Started on the first hand-in (a server that never receives one never starts it)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_exit_with_parent)
        return _pool


def _run_verify(key: bytes, sealed: Any, paper_body: str) -> Export:
    global _pool
    try:
        outcome = _verifier().submit(_verify_in_child, key, sealed, paper_body).result()
    except BrokenProcessPool:   # the verifier died (memory?): start a new one next time, verify here now
        log.error("sealed-export verifier process died; verifying in the server process")
        with _pool_lock:
            _pool = None
        outcome = _verify_in_child(key, sealed, paper_body)
    if outcome[0] == "error":
        _, code, zh, en, status, details = outcome
        raise ApiError(code, zh, en, status, **details)
    return outcome[1]


def open_export(ctx: ServerContext, sealed: Any, ticket: str | None, path_sitting_id: str | None) -> Export:
    """Who may import it (the sitting named outside is bound to the ciphertext), then verify it."""
    sid = sealed.get("sitting_id") if isinstance(sealed, dict) else None
    if not isinstance(sid, str):
        raise _invalid("sitting_id missing", "缺少场次编号")
    if path_sitting_id is not None and sid != path_sitting_id:
        raise ApiError("sealed.invalid", "封存文件属于其他考试场次", "the sealed export is for another sitting")
    with ctx.db.read() as s:
        sitting = owned_sitting(s, sid, ticket)
        row = s.get(PaperRow, room_of(s, sitting).paper_id)
        paper_body = row.body if row is not None else "{}"
    export = _run_verify(raw_private(ctx.keys.sealing), sealed, paper_body)
    if export.sitting_id != sid:   # unseal checks this too (the AAD): never trust one check alone
        raise ApiError("sealed.invalid", "封存文件属于其他考试场次", "the sealed export is for another sitting")
    return export


def _state(s, sitting_id: str) -> tuple:
    """What the answer fold depends on: the ops held and the proctors' decisions."""
    sitting = s.get(Sitting, sitting_id)
    decided = s.scalar(select(func.count()).select_from(OpTiming).where(
        OpTiming.sitting_id == sitting_id, OpTiming.decision.is_not(None))) or 0
    last = s.scalar(select(func.max(OpTiming.decided_at_ms)).where(OpTiming.sitting_id == sitting_id))
    return sitting.acked_seq, sitting.chain_head, decided, last


def _check_base(s, sitting: Sitting, export: Export) -> None:
    if export.base_seq == 0:
        return
    if sitting.acked_seq < export.base_seq:
        raise conflict("ops.gap", sitting, seq=export.base_seq + 1, expected_seq=sitting.acked_seq + 1)
    held = s.get(Op, (sitting.sitting_id, export.base_seq))
    if held is None or held.hash != export.base_hash:
        raise conflict("ops.fork", sitting, seq=export.base_seq)


def _new_only(s, sitting: Sitting, chunk: list[Prepared]) -> list[Prepared]:
    """Drop the ops the server already holds (the same hash); a different hash is a fork."""
    held_upto = [p for p in chunk if p.op["seq"] <= sitting.acked_seq]
    if held_upto:
        held = dict(s.execute(select(Op.seq, Op.hash).where(
            Op.sitting_id == sitting.sitting_id, Op.seq >= held_upto[0].op["seq"], Op.seq <= held_upto[-1].op["seq"])).all())
        for p in held_upto:
            if held.get(p.op["seq"]) != p.op["hash"]:
                raise conflict("ops.fork", sitting, seq=p.op["seq"])
    return [p for p in chunk if p.op["seq"] > sitting.acked_seq]


def import_sealed(ctx: ServerContext, sealed: Any, ticket: str | None, path_sitting_id: str | None = None,
                  handed_in_at_ms: int | None = None) -> dict[str, Any]:
    """Open a sealed export, ingest what the server lacks and submit; the answer is the receipt.
    `handed_in_at_ms`: for staff imports, when the centre received the file (lateness is judged by it)."""
    sid = sealed.get("sitting_id") if isinstance(sealed, dict) else None
    with quotas.sealed_import_slot(str(sid)):
        export = open_export(ctx, sealed, ticket, path_sitting_id)
        chunks = [export.ops[i:i + CHUNK] for i in range(0, len(export.ops), CHUNK)] or [[]]
        for i, chunk in enumerate(chunks):
            with ctx.db.write() as s:
                sitting = owned_sitting(s, export.sitting_id, ticket, lock=True)
                if i == 0:
                    _check_base(s, sitting, export)
                fresh = _new_only(s, sitting, chunk)
                if sitting.receipt is not None:
                    continue   # submitted already: only forks matter, checked above
                ingest(ctx, s, sitting, fresh, source="sealed", delivered_ms=handed_in_at_ms)
            time.sleep(PAUSE_S)
        with ctx.db.read() as s:   # the fold of a whole exam, before the lock; used if nothing moved meanwhile
            before = _state(s, export.sitting_id)
            answers = final_answers(s, export.sitting_id)
        with ctx.db.write() as s:
            sitting = owned_sitting(s, export.sitting_id, ticket, lock=True)
            late = s.scalar(select(Op.seq).where(Op.sitting_id == sitting.sitting_id, Op.kind == "answer",
                                                 Op.late.is_(True)).limit(1)) is not None
            same = _state(s, export.sitting_id) == before
            receipt = issue_receipt(ctx, s, sitting, export.final_seq, export.chain_head, export.reason, late,
                                    answers if same else None)
    event(log, "sealed export imported", sitting_id=export.sitting_id, ops=len(export.ops), base_seq=export.base_seq,
          staff=ticket is None)
    return receipt
