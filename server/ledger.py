"""A sitting's append-only operation ledger: ops, heartbeats, proctor commands, submission, sealed import."""

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from examcore.bundle import make_receipt
from examcore.chain import genesis, op_hash_of
from examcore.ops import ANSWER, OP_KINDS, SEAL_REASONS, SEVERITIES, fold
from examcore.paper import AnswerError, Paper, normalise_answer
from examcore.sealed import SealedError, unseal
from server.context import ServerContext
from server.db import Candidate, Command, Op, PaperRow, Room, Sitting, retrying
from server.errors import ApiError
from server.registry import load_paper

GRACE_MS = 5000
REASONS = SEAL_REASONS
# an op received this long after it was made (by the exam clock) waited in the client's offline queue
QUEUED_AFTER_MS = 20_000


def deadline_ms(room: Room, sitting: Sitting) -> int:
    return room.start_at_ms + (room.duration_s + sitting.extension_s) * 1000


def status_of(room: Room, sitting: Sitting, now_ms: int) -> str:
    if sitting.submitted_at_ms is not None:
        return "submitted"
    if sitting.ended_at_ms is not None or now_ms > deadline_ms(room, sitting) + GRACE_MS:
        return "ended"
    return "scheduled" if now_ms < room.start_at_ms else "in_progress"


def summary(session, sitting: Sitting, now_ms: int) -> dict[str, Any]:
    room = session.get(Room, sitting.room_id)
    paper = session.get(PaperRow, room.paper_id)
    return {"sitting_id": sitting.sitting_id, "room_id": room.room_id, "part": sitting.part,
            "kind": sitting.kind, "title": paper.title, "level": paper.level, "start_at_ms": room.start_at_ms,
            "duration_s": room.duration_s, "extension_s": sitting.extension_s,
            "deadline_ms": deadline_ms(room, sitting), "attempt": sitting.attempt, "retake": sitting.attempt > 1,
            "status": status_of(room, sitting, now_ms)}


def detail(session, sitting: Sitting, now_ms: int) -> dict[str, Any]:
    out = summary(session, sitting, now_ms)
    out.update({"acked_seq": sitting.acked_seq, "chain_head": sitting.chain_head,
                "submitted_at_ms": sitting.submitted_at_ms, "ended_reason": sitting.ended_reason,
                "server_time_ms": now_ms})
    return out


def _conflict(code: str, sitting: Sitting, **more: Any) -> ApiError:
    return ApiError(code, acked_seq=sitting.acked_seq, chain_head=sitting.chain_head, **more)


def _need(cond: bool, seq: int, en: str, zh: str) -> None:
    if not cond:
        raise ApiError("ops.invalid", "操作 %d：%s" % (seq, zh), "op %d: %s" % (seq, en), seq=seq)


def _question(paper: Paper, payload: dict, seq: int):
    qid = payload.get("question_id")
    _need(isinstance(qid, str), seq, "question_id must be a string", "question_id 必须是字符串")
    for q in paper.questions:
        if q.id == qid:
            return q
    raise ApiError("ops.unknown_question", "操作 %d：试卷中没有题目 %r" % (seq, qid),
                   "op %d: unknown question %r" % (seq, qid), seq=seq, question_id=qid)


MAX_DEPTH = 32  # nesting allowed in client JSON: ample for reports, far below any recursion limit


def json_problem(obj: Any, limit: int = MAX_DEPTH) -> tuple[str, str] | None:
    """(en, zh) if `obj` nests deeper than `limit`; iterative, so there is no recursion to exhaust.
    NaN/Infinity pass on purpose: a refused op stalls every later op of the chain, and both sides
    hash them alike with the shared canonical()."""
    stack = [(obj, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return "nested deeper than %d levels" % limit, "嵌套超过 %d 层" % limit
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))
    return None


def validate_payload(paper: Paper, kind: str, payload: Any, seq: int) -> None:
    """Check one op's payload against the protocol and the paper (raises ApiError)."""
    _need(kind in OP_KINDS, seq, "unknown kind %r" % kind, "未知操作类型 %r" % kind)
    _need(isinstance(payload, dict), seq, "payload must be an object", "payload 必须是对象")
    problem = json_problem(payload)
    _need(problem is None, seq, "payload " + (problem or ("", ""))[0], "payload " + (problem or ("", ""))[1])
    if kind == "answer":
        q = _question(paper, payload, seq)
        _need("value" in payload, seq, "value missing", "缺少 value")
        try:
            normalise_answer(q, payload["value"])
        except AnswerError as e:
            raise ApiError("ops.invalid_answer", "操作 %d：%s" % (seq, e.message_zh), "op %d: %s" % (seq, e.message_en),
                           seq=seq, question_id=q.id) from None
    elif kind == "flag":
        _question(paper, payload, seq)
        _need(isinstance(payload.get("flagged"), bool), seq, "flagged must be true/false", "flagged 必须是布尔值")
    elif kind == "nav":
        _question(paper, payload, seq)
    elif kind == "event":
        _need(isinstance(payload.get("type"), str) and payload["type"] != "", seq, "event type missing", "缺少事件类型")
        _need(payload.get("severity") in SEVERITIES, seq, "severity must be info/warn/alert",
              "severity 须为 info/warn/alert")
        _need(isinstance(payload.get("detail", {}), dict), seq, "detail must be an object", "detail 必须是对象")
        _need(payload.get("upload_id") is None or isinstance(payload.get("upload_id"), str), seq,
              "upload_id must be a string", "upload_id 必须是字符串")
    elif kind == "consent":
        _need(payload.get("accepted") is True, seq, "consent needs accepted: true", "须 accepted: true")
        _need(isinstance(payload.get("version"), (str, int)), seq, "consent version missing", "缺少版本")
        _need(isinstance(payload.get("text_sha256"), str), seq, "text_sha256 missing", "缺少 text_sha256")
    elif kind == "check_report":
        _need(isinstance(payload.get("report"), dict), seq, "report must be an object", "report 必须是对象")


def ingest(ctx: ServerContext, session, sitting: Sitting, ops: list[dict[str, Any]], source: str = "online") -> None:
    """Append `ops` to the sitting inside the caller's transaction (the caller rolls back on error)."""
    room = session.get(Room, sitting.room_id)
    paper = load_paper(session, room.paper_id)
    now = ctx.now_ms()
    seq, head = sitting.acked_seq, sitting.chain_head
    limit_ms = (room.duration_s + sitting.extension_s) * 1000 + GRACE_MS
    if sitting.ended_at_ms is not None:  # a proctor's "end": answers made after it do not count
        limit_ms = min(limit_ms, sitting.ended_at_ms - room.start_at_ms + GRACE_MS)
    for op in ops:
        n = op["seq"]
        if n <= seq:
            old = session.get(Op, (sitting.sitting_id, n))
            if old is not None and old.hash == op["hash"]:
                continue  # a resend: already held
            raise _conflict("ops.fork", sitting, seq=n)
        if n != seq + 1:
            raise _conflict("ops.gap", sitting, seq=n, expected_seq=seq + 1)
        if op_hash_of(head, op) != op["hash"]:
            raise _conflict("ops.bad_hash", sitting, seq=n)
        validate_payload(paper, op["kind"], op["payload"], n)
        if sitting.submitted_at_ms is not None and op["kind"] != "event":
            raise _conflict("sitting.sealed", sitting, seq=n)
        if op["kind"] == "answer" and sitting.kind == "formal" and now < room.start_at_ms:
            raise _conflict("sitting.not_started", sitting, seq=n, start_at_ms=room.start_at_ms)
        late = op["kind"] == "answer" and (op["t_exam_ms"] > limit_ms or sitting.submitted_at_ms is not None)
        # the server's clock decides, not a flag from the client: now - (start + t_exam) is how long it waited
        queued = source == "online" and now - room.start_at_ms - op["t_exam_ms"] > QUEUED_AFTER_MS
        session.add(Op(sitting_id=sitting.sitting_id, seq=n, kind=op["kind"], payload=op["payload"],
                       t_exam_ms=op["t_exam_ms"], t_client_ms=op.get("t_client_ms"), hash=op["hash"],
                       received_at_ms=now, late=late, source="queued" if queued else source))
        seq, head = n, op["hash"]
    sitting.acked_seq, sitting.chain_head = seq, head


@retrying
def post_ops(ctx: ServerContext, sitting_id: str, ticket: str | None, ops: list[dict[str, Any]]) -> dict[str, Any]:
    try:
        with ctx.db.write() as s:
            sitting = owned_sitting(s, sitting_id, ticket, lock=True)
            ingest(ctx, s, sitting, ops)
            return {"acked_seq": sitting.acked_seq, "chain_head": sitting.chain_head}
    except IntegrityError:
        # another process appended the same seq first: answer like a gap, with the state that won
        with ctx.db.read() as s:
            raise _conflict("ops.gap", owned_sitting(s, sitting_id, ticket)) from None


def owned_sitting(session, sitting_id: str, ticket: str | None, lock: bool = False) -> Sitting:
    """The sitting, if `ticket` owns it (ticket None: staff). Others' sittings answer 403.
    `lock`: SELECT ... FOR NO KEY UPDATE, so workers on PostgreSQL serialise per sitting (NO KEY: inserts
    that only reference the sitting, like heartbeat history, do not wait for it)."""
    sitting = session.get(Sitting, sitting_id, with_for_update={"key_share": True} if lock else None)
    if sitting is None:
        raise ApiError("not_found", "考试场次不存在", "no such sitting", sitting_id=sitting_id)
    if ticket is not None and sitting.ticket != ticket:
        raise ApiError("auth.forbidden", "这不是您的考试场次", "this sitting belongs to another candidate")
    return sitting


def room_of(session, sitting: Sitting) -> Room:
    """The sitting's room; one that is gone answers the documented not_found (it used to crash into 'internal')."""
    room = session.get(Room, sitting.room_id)
    if room is None:
        raise ApiError("not_found", "考场不存在", "no such room", room_id=sitting.room_id)
    return room


def final_answers(session, sitting_id: str) -> dict[str, Any]:
    """The last on-time value per question (null clears): the shared fold over the on-time answer ops."""
    rows = session.scalars(select(Op).where(Op.sitting_id == sitting_id, Op.kind == ANSWER,
                                            Op.late.is_(False)).order_by(Op.seq))
    return fold((op.kind, op.payload) for op in rows).answers


def _submit(ctx: ServerContext, s, sitting: Sitting, final_seq: int, chain_head: str, reason: str,
            late: bool) -> dict[str, Any]:
    if sitting.receipt is not None:
        return sitting.receipt
    room = s.get(Room, sitting.room_id)
    now = ctx.now_ms()
    if sitting.kind == "formal" and now < room.start_at_ms:
        raise _conflict("sitting.not_started", sitting, start_at_ms=room.start_at_ms)
    if final_seq > sitting.acked_seq:
        raise _conflict("submit.missing_ops", sitting, final_seq=final_seq)
    if final_seq != sitting.acked_seq or chain_head != sitting.chain_head:
        raise _conflict("submit.chain_mismatch", sitting, final_seq=final_seq)
    cand = s.get(Candidate, sitting.ticket)
    sitting.receipt = make_receipt("sub-" + uuid.uuid4().hex[:16], sitting.sitting_id, cand.ticket, final_seq,
                                   chain_head, final_answers(s, sitting.sitting_id), now, reason, late, ctx.keys.sign)
    sitting.submitted_at_ms = now
    return sitting.receipt


@retrying
def submit(ctx: ServerContext, sitting_id: str, ticket: str | None, final_seq: int, chain_head: str,
           reason: str) -> dict[str, Any]:
    with ctx.db.write() as s:
        sitting = owned_sitting(s, sitting_id, ticket, lock=True)
        room = room_of(s, sitting)
        late = ctx.now_ms() > deadline_ms(room, sitting) + GRACE_MS
        return _submit(ctx, s, sitting, final_seq, chain_head, reason, late)


@retrying
def import_sealed(ctx: ServerContext, sealed: Any, ticket: str | None, path_sitting_id: str | None = None
                  ) -> dict[str, Any]:
    """Open a sealed export, check its whole chain, ingest what is missing and submit."""
    try:
        content = unseal(sealed, ctx.keys.sealing)
    except SealedError as e:
        raise ApiError("sealed.invalid", "封存文件无效：" + e.message_zh, "invalid sealed export: " + e.message_en) from None
    sid = content["sitting_id"]
    if path_sitting_id is not None and sid != path_sitting_id:
        raise ApiError("sealed.invalid", "封存文件属于其他考试场次", "the sealed export is for another sitting")
    ops = content["ops"]
    try:
        ops = sorted((_op_from_sealed(o) for o in ops), key=lambda o: o["seq"])
    except (KeyError, TypeError, ValueError):
        raise ApiError("sealed.invalid", "封存文件中的操作格式错误", "malformed operations in the sealed export") from None
    prev = genesis(sid)
    for i, op in enumerate(ops, 1):
        if op["seq"] != i or op_hash_of(prev, op) != op["hash"]:
            raise ApiError("sealed.invalid", "封存文件的哈希链在第 %d 条断开" % i, "the sealed chain breaks at op %d" % i,
                           seq=i)
        prev = op["hash"]
    final_seq, head = content.get("final_seq"), content.get("chain_head")
    if final_seq != len(ops) or head != prev:
        raise ApiError("sealed.invalid", "封存文件的结束序号或链头不一致", "final_seq/chain_head do not match the ops",
                       final_seq=final_seq, ops=len(ops))
    sealed_reason = content.get("reason")
    reason = sealed_reason if isinstance(sealed_reason, str) and sealed_reason in REASONS else "time_up"
    with ctx.db.write() as s:
        sitting = owned_sitting(s, sid, ticket, lock=True)
        if sitting.receipt is None:
            ingest(ctx, s, sitting, ops, source="sealed")
        else:
            held = {o.seq: o.hash for o in s.scalars(select(Op).where(Op.sitting_id == sid))}
            if any(held.get(o["seq"], o["hash"]) != o["hash"] for o in ops):
                raise _conflict("ops.fork", sitting)
        late = any(o.late for o in s.scalars(select(Op).where(Op.sitting_id == sid, Op.kind == "answer")))
        return _submit(ctx, s, sitting, final_seq, head, reason, late)


def _op_from_sealed(o: dict[str, Any]) -> dict[str, Any]:
    op = {"seq": o["seq"], "kind": o["kind"], "payload": o["payload"], "t_exam_ms": o["t_exam_ms"],
          "t_client_ms": o.get("t_client_ms"), "hash": o["hash"]}
    if type(op["seq"]) is not int or type(op["t_exam_ms"]) is not int or not isinstance(op["hash"], str):
        raise ValueError("bad op")
    if op["t_client_ms"] is not None and type(op["t_client_ms"]) is not int:
        raise ValueError("bad op")
    return op


# -- heartbeats and proctor commands ------------------------------------------------------------
def heartbeat(ctx: ServerContext, sitting_id: str, ticket: str, body: dict[str, Any]) -> dict[str, Any]:
    """The hot path (every candidate, every 10 s): two Core reads, no ORM objects, no write unless it
    acknowledges commands; the history is queued for ctx.heartbeats."""
    problem = json_problem(body)
    if problem:
        raise ApiError("request.invalid", "心跳内容：" + problem[1], "heartbeat: " + problem[0])
    acked = {int(c[2:]) for c in body.get("acked_commands", []) if c.startswith("c-") and c[2:].isascii() and c[2:].isdigit()}
    with ctx.db.read() as s:
        row = s.execute(select(Sitting.ticket, Sitting.extension_s, Sitting.acked_seq, Sitting.ended_at_ms,
                               Sitting.submitted_at_ms, Room.start_at_ms, Room.duration_s)
                        .join(Room, Room.room_id == Sitting.room_id).where(Sitting.sitting_id == sitting_id)).first()
        if row is None:
            raise ApiError("not_found", "考试场次不存在", "no such sitting", sitting_id=sitting_id)
        if row.ticket != ticket:
            raise ApiError("auth.forbidden", "这不是您的考试场次", "this sitting belongs to another candidate")
        pending = s.execute(select(Command.id, Command.type, Command.body).where(
            Command.sitting_id == sitting_id, Command.acked_at_ms.is_(None)).order_by(Command.id)).all()
    now = ctx.now_ms()
    both: Any = row  # the row carries the sitting's and the room's columns the two rules read
    deadline, status = deadline_ms(both, both), status_of(both, both, now)
    done = [c.id for c in pending if c.id in acked]
    if done:
        with ctx.db.write() as s:
            s.execute(update(Command).where(Command.id.in_(done), Command.acked_at_ms.is_(None))
                      .values(acked_at_ms=now))
    ctx.heartbeats.add(sitting_id, now, body)
    return {"commands": [dict(c.body, id="c-%d" % c.id, type=c.type) for c in pending if c.id not in acked],
            "extension_s": row.extension_s, "deadline_ms": deadline, "status": status, "acked_seq": row.acked_seq}


@retrying
def command(ctx: ServerContext, sitting_id: str, body: dict[str, Any]) -> dict[str, Any]:
    kind = body["type"]
    with ctx.db.write() as s:
        sitting = owned_sitting(s, sitting_id, None, lock=True)  # extend adds to what another worker wrote
        now = ctx.now_ms()
        stored: dict[str, Any]
        if kind == "extend":
            if sitting.receipt is not None:
                raise _conflict("sitting.sealed", sitting)
            sitting.extension_s += int(body["seconds"])
            stored = {"seconds": int(body["seconds"])}
        elif kind == "end":
            sitting.ended_at_ms = sitting.ended_at_ms or now
            sitting.ended_reason = body.get("reason") or "proctor"
            stored = {"reason": sitting.ended_reason}
        else:
            stored = {"text": body["text"]}
        cmd = Command(sitting_id=sitting_id, type=kind, body=stored, created_at_ms=now)
        s.add(cmd)
        s.flush()
        room = room_of(s, sitting)
        return {"id": "c-%d" % cmd.id, "type": kind, "extension_s": sitting.extension_s,
                "deadline_ms": deadline_ms(room, sitting)}
