"""A sitting's append-only operation ledger: ops, heartbeats, proctor commands, submission."""

import hashlib
import uuid
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, insert, select

from examcore.bundle import make_receipt
from examcore.chain import canonical
from examcore.ops import ANSWER, OP_KINDS, QUEUED_AFTER_MS, SEAL_REASONS, SEVERITIES, fold
from examcore.paper import AnswerError, Paper, normalise_answer
from server import closing
from server.closing import NETWORK_GRACE_MS, Contact, close_ms, deadline_ms, judge
from server.context import ServerContext
from server.db import (
    Candidate,
    Command,
    Op,
    OpTiming,
    PaperRow,
    Room,
    Sitting,
    SittingEdge,
    json_text,
    retrying,
)
from server.errors import ApiError
from server.registry import load_paper
from server.validation import label_ok

GRACE_MS = NETWORK_GRACE_MS
REASONS = SEAL_REASONS


def status_of(room: Room, sitting: Sitting, now_ms: int) -> str:
    if sitting.submitted_at_ms is not None:
        return "submitted"
    if closing.is_closed(room, sitting, now_ms):
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


def conflict(code: str, sitting: Any, **more: Any) -> ApiError:
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


MAX_DEPTH = 32  # nesting allowed in an op payload: ample for reports, far below any recursion limit
# canonical bytes a payload may take, by kind (answers are bounded by the paper instead)
MAX_PAYLOAD = {"event": 64 * 1024, "check_report": 256 * 1024, "consent": 1024, "flag": 1024, "nav": 1024}
# the fields each kind may carry: an answer, flag or nav op means exactly what the fold reads
FIELDS = {"answer": {"question_id", "value"}, "flag": {"question_id", "flagged"}, "nav": {"question_id"},
          "consent": {"version", "accepted", "text_sha256"}, "check_report": {"report"}}


def _depth_problem(obj: Any, limit: int = MAX_DEPTH) -> bool:
    stack = [(obj, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))
    return False


def _short_text(value: Any, longest: int) -> bool:
    return isinstance(value, str) and value != "" and label_ok(value, longest)


def validate_payload(paper: Paper, kind: str, payload: Any, seq: int) -> None:
    """Check one op's payload against the protocol and the paper (raises ApiError). The edge
    (server.validation) has already refused what interoperable JSON cannot carry."""
    _need(kind in OP_KINDS, seq, "unknown kind %r" % kind, "未知操作类型 %r" % kind)
    _need(isinstance(payload, dict), seq, "payload must be an object", "payload 必须是对象")
    _need(not _depth_problem(payload), seq, "payload nested deeper than %d levels" % MAX_DEPTH,
          "payload 嵌套超过 %d 层" % MAX_DEPTH)
    extra = set(payload) - FIELDS.get(kind, set(payload))
    _need(not extra, seq, "unknown payload fields %s" % sorted(extra)[:5], "payload 含有未知字段 %s" % sorted(extra)[:5])
    if kind in MAX_PAYLOAD:
        _need(len(canonical(payload)) <= MAX_PAYLOAD[kind], seq, "payload larger than %d bytes" % MAX_PAYLOAD[kind],
              "payload 超过 %d 字节" % MAX_PAYLOAD[kind])
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
        _need(_short_text(payload.get("type"), 64), seq, "event type missing or not a short label (64)",
              "缺少事件类型，或不是 64 字以内的标签")
        _need(payload.get("severity") in SEVERITIES, seq, "severity must be info/warn/alert",
              "severity 须为 info/warn/alert")
        _need(isinstance(payload.get("detail", {}), dict), seq, "detail must be an object", "detail 必须是对象")
        _need(payload.get("upload_id") is None or _short_text(payload.get("upload_id"), 64), seq,
              "upload_id must be a short string", "upload_id 必须是短字符串")
    elif kind == "consent":
        _need(payload.get("accepted") is True, seq, "consent needs accepted: true", "须 accepted: true")
        version = payload.get("version")
        _need(_short_text(version, 32) or (type(version) is int and 0 <= version < 10 ** 9), seq,
              "consent version missing", "缺少版本")
        _need(isinstance(payload.get("text_sha256"), str) and len(payload["text_sha256"]) == 64
              and all(c in "0123456789abcdef" for c in payload["text_sha256"]), seq,
              "text_sha256 must be 64 hex digits", "text_sha256 须为 64 位十六进制")
    elif kind == "check_report":
        _need(isinstance(payload.get("report"), dict), seq, "report must be an object", "report 必须是对象")


class Prepared(NamedTuple):
    """An op whose payload was validated outside the write lock, with its canonical hash body."""
    op: dict[str, Any]
    body: bytes


def prepare(paper: Paper, ops: list[dict[str, Any]]) -> list[Prepared]:
    """Validate every payload and build each hash body: the slow part, done before taking the lock."""
    out = []
    for op in ops:
        validate_payload(paper, op["kind"], op["payload"], op["seq"])
        out.append(Prepared(op, canonical({"seq": op["seq"], "kind": op["kind"], "payload": op["payload"],
                                           "t_exam_ms": op["t_exam_ms"]})))
    return out


def link_hash(prev: str, body: bytes) -> str:
    return hashlib.sha256(prev.encode("ascii") + body).hexdigest()


def _contact(ctx: ServerContext, session, sitting_id: str) -> Contact | None:
    """The newest contact before the close: written, or still queued in this process."""
    row = session.get(SittingEdge, sitting_id)
    found = [Contact(row.contact_at_ms, row.committed_seq)] if row is not None else []
    queued = ctx.heartbeats.contact(sitting_id)
    if queued is not None:
        found.append(Contact(*queued))
    return max(found, key=lambda c: c.at_ms) if found else None


def ingest(ctx: ServerContext, session, sitting: Any, prepared: list[Prepared], source: str = "online",
           delivered_ms: int | None = None, room: Any = None) -> None:
    """Append `prepared` ops to the sitting inside the caller's transaction (the caller rolls back on
    error) and move its acked_seq and chain_head (an ORM Sitting flushes them; a row's copy is the caller's
    to write). `delivered_ms`: when they came in, if not now (a hand-in a centre imports later);
    `room`: the sitting's room if the caller has read it."""
    room = session.get(Room, sitting.room_id) if room is None else room
    now = ctx.now_ms()
    delivered = now if delivered_ms is None else delivered_ms
    seq, head = sitting.acked_seq, sitting.chain_head
    closes = close_ms(room, sitting)
    contact: Contact | None = None
    prev_t: int | None = None
    need_context = delivered > closes + NETWORK_GRACE_MS   # only then do the client's claims matter
    if need_context:
        contact = _contact(ctx, session, sitting.sitting_id)
        held = session.get(Op, (sitting.sitting_id, seq)) if seq else None
        prev_t = held.t_exam_ms if held is not None else None
    new_ops: list[dict[str, Any]] = []
    timings: list[dict[str, Any]] = []
    for op, body in prepared:
        n = op["seq"]
        if n <= seq:
            if n > sitting.acked_seq:   # repeated within this batch
                held_hash = new_ops[n - sitting.acked_seq - 1]["hash"]
            else:
                old = session.get(Op, (sitting.sitting_id, n))
                held_hash = old.hash if old is not None else None
            if held_hash == op["hash"]:
                continue  # a resend: already held
            raise conflict("ops.fork", sitting, seq=n)
        if n != seq + 1:
            raise conflict("ops.gap", sitting, seq=n, expected_seq=seq + 1)
        if link_hash(head, body) != op["hash"]:
            raise conflict("ops.bad_hash", sitting, seq=n)
        if sitting.submitted_at_ms is not None and op["kind"] != "event":
            raise conflict("sitting.sealed", sitting, seq=n)
        if op["kind"] == "answer" and sitting.kind == "formal" and now < room.start_at_ms:
            raise conflict("sitting.not_started", sitting, seq=n, start_at_ms=room.start_at_ms)
        late = False
        if op["kind"] == ANSWER and delivered > closes:
            verdict = judge(start_ms=room.start_at_ms, close_at_ms=closes, delivered_ms=delivered, seq=n,
                            t_exam_ms=op["t_exam_ms"], prev_t_exam_ms=prev_t, contact=contact)
            late = verdict.late
            if verdict.basis != closing.SERVER_CLOCK:
                timings.append({"sitting_id": sitting.sitting_id, "seq": n, "basis": verdict.basis,
                                "reason": verdict.reason})
        # the server's clock decides, not a flag from the client: now - (start + t_exam) is how long it waited
        queued = source == "online" and now - room.start_at_ms - op["t_exam_ms"] > QUEUED_AFTER_MS
        new_ops.append({"sitting_id": sitting.sitting_id, "seq": n, "kind": op["kind"], "payload": op["payload"],
                        "t_exam_ms": op["t_exam_ms"], "t_client_ms": op.get("t_client_ms"), "hash": op["hash"],
                        "received_at_ms": now, "late": late, "source": "queued" if queued else source})
        prev_t = op["t_exam_ms"]
        seq, head = n, op["hash"]
    # one executemany per table: a large hand-in holds the write lock for milliseconds, not seconds
    if new_ops:
        session.execute(insert(cast(Table, Op.__table__)), new_ops)
    if timings:
        session.execute(insert(cast(Table, OpTiming.__table__)), timings)
    sitting.acked_seq, sitting.chain_head = seq, head


# sitting -> (ticket, its paper): both fixed once the room exists (a paper in use cannot change), so
# the payload checks before the write lock need no extra query per batch
_sitting_papers: dict[str, tuple[str, Paper]] = {}


def paper_of(ctx: ServerContext, sitting_id: str, ticket: str | None) -> Paper:
    """The sitting's paper, once its owner is checked (another candidate learns nothing of it)."""
    known = _sitting_papers.get(sitting_id)
    if known is not None and (ticket is None or known[0] == ticket):
        return known[1]
    with ctx.db.read() as s:
        sitting = owned_sitting(s, sitting_id, ticket)
        paper = load_paper(s, room_of(s, sitting).paper_id)
        _sitting_papers[sitting_id] = (sitting.ticket, paper)
        return paper


def owned_sitting(session, sitting_id: str, ticket: str | None, lock: bool = False) -> Sitting:
    """The sitting, if `ticket` owns it (ticket None: staff). Others' sittings answer 403.
    `lock`: SELECT ... FOR NO KEY UPDATE, so workers on PostgreSQL serialise per sitting (NO KEY: inserts
    that only reference the sitting, like heartbeat history, do not wait for it)."""
    return owned(session.get(Sitting, sitting_id, with_for_update={"key_share": True} if lock else None),
                 sitting_id, ticket)


def owned(sitting: Any, sitting_id: str, ticket: str | None) -> Any:
    """`sitting` as read (an ORM Sitting or a row): 404 if there is none, 403 if `ticket` does not own it."""
    if sitting is None:
        raise ApiError("not_found", "考试场次不存在", "no such sitting", sitting_id=sitting_id)
    if ticket is not None and sitting.ticket != ticket:
        raise ApiError("auth.forbidden", "这不是您的考试场次", "this sitting belongs to another candidate")
    return sitting


def room_of(session, sitting: Sitting) -> Room:
    """The sitting's room; one that is gone answers the documented not_found (it used to crash into 'internal')."""
    room = session.get(Room, sitting.room_id)
    if room is None:
        raise room_gone(sitting.room_id)
    return room


def room_gone(room_id: str) -> ApiError:
    return ApiError("not_found", "考场不存在", "no such room", room_id=room_id)


def final_answers(session, sitting_id: str) -> dict[str, Any]:
    """The last counted value per question (null clears): the shared fold over the answer ops that
    count: on time and not rejected by a proctor, or late and accepted by one (server/lateness.py)."""
    decided = {t.seq: t.decision for t in session.scalars(select(OpTiming).where(
        OpTiming.sitting_id == sitting_id, OpTiming.decision.is_not(None)))}
    # the fold's result is the last counted answer per question: find those by question id alone,
    # then read just their payloads (a whole exam of essay snapshots is never decoded)
    last: dict[str, int] = {}
    for seq, qid, late in session.execute(select(Op.seq, json_text(session, Op.payload, "question_id"), Op.late).where(
            Op.sitting_id == sitting_id, Op.kind == ANSWER).order_by(Op.seq)):
        if closing.counts(late, decided.get(seq)):
            last[qid] = seq
    if not last:
        return {}
    payloads = session.execute(select(Op.seq, Op.payload).where(Op.sitting_id == sitting_id,
                                                                Op.seq.in_(sorted(last.values())))).all()
    return fold((ANSWER, payload) for _, payload in sorted(payloads, key=lambda r: r[0])).answers


def issue_receipt(ctx: ServerContext, s, sitting: Sitting, final_seq: int, chain_head: str, reason: str,
                  late: bool, answers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sign the receipt (idempotent). `answers`: final_answers() if the caller computed them already."""
    if sitting.receipt is not None:
        return sitting.receipt
    room = s.get(Room, sitting.room_id)
    now = ctx.now_ms()
    if sitting.kind == "formal" and now < room.start_at_ms:
        raise conflict("sitting.not_started", sitting, start_at_ms=room.start_at_ms)
    if final_seq > sitting.acked_seq:
        raise conflict("submit.missing_ops", sitting, final_seq=final_seq)
    if final_seq != sitting.acked_seq or chain_head != sitting.chain_head:
        raise conflict("submit.chain_mismatch", sitting, final_seq=final_seq)
    cand = s.get(Candidate, sitting.ticket)
    answers = final_answers(s, sitting.sitting_id) if answers is None else answers
    sitting.receipt = make_receipt("sub-" + uuid.uuid4().hex[:16], sitting.sitting_id, cand.ticket, final_seq,
                                   chain_head, answers, now, reason, late, ctx.keys.sign)
    sitting.submitted_at_ms = now
    return sitting.receipt


@retrying
def submit(ctx: ServerContext, sitting_id: str, ticket: str | None, final_seq: int, chain_head: str,
           reason: str) -> dict[str, Any]:
    with ctx.db.write() as s:
        sitting = owned_sitting(s, sitting_id, ticket, lock=True)
        room = room_of(s, sitting)
        late = ctx.now_ms() > deadline_ms(room, sitting) + GRACE_MS   # a proctor's end is not the candidate's lateness
        return issue_receipt(ctx, s, sitting, final_seq, chain_head, reason, late)


# -- proctor commands ---------------------------------------------------------------------------
@retrying
def command(ctx: ServerContext, sitting_id: str, body: dict[str, Any]) -> dict[str, Any]:
    kind = body["type"]
    with ctx.db.write() as s:
        sitting = owned_sitting(s, sitting_id, None, lock=True)  # extend adds to what another worker wrote
        now = ctx.now_ms()
        stored: dict[str, Any]
        if kind == "extend":
            if sitting.receipt is not None:
                raise conflict("sitting.sealed", sitting)
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
