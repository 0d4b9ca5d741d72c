"""Papers, candidates and rooms: import, validation, the ratio and retake rules, paper bundles."""

import base64
import hashlib
import json
import uuid
from typing import Any

from sqlalchemy import func, select

from examcore.bundle import encrypt_paper, make_bundle
from examcore.chain import genesis
from examcore.paper import LEVELS, Paper, PaperError, paper_from_dict
from server.console.links import link_room_proctors
from server.context import ServerContext
from server.db import Candidate, PaperRow, Room, Sitting
from server.errors import ApiError
from server.security import hash_password

PARTS = ("theory", "practical", "comprehensive")
KINDS = ("mock", "formal")
MAX_PER_PROCTOR = 15
MIN_PROCTORS = 2
MAX_ATTEMPTS = 2  # the first sitting and one retake per part


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def import_paper(ctx: ServerContext, data: Any) -> dict[str, Any]:
    """Validate with examcore.paper (the one definition) and store with its answers."""
    try:
        paper = paper_from_dict(data)
    except PaperError as e:
        raise ApiError("paper.invalid", "试卷格式错误：" + e.message_zh, "invalid paper: " + e.message_en,
                       **e.details) from None
    if not paper.has_answers():
        raise ApiError("paper.invalid", "试卷缺少客观题参考答案", "the paper lacks answers for objective questions")
    with ctx.db.write() as s:
        row = s.get(PaperRow, paper.paper_id)
        if row is not None and s.scalar(select(func.count()).select_from(Room).where(
                Room.paper_id == paper.paper_id)):
            if row.body != paper.to_json():
                raise ApiError("paper.invalid", "该试卷已用于考场，不能修改", "the paper is in use by a room and cannot change",
                               status=409, paper_id=paper.paper_id)
            return {"paper_id": paper.paper_id, "questions": len(paper.questions), "changed": False}
        if row is None:
            row = PaperRow(paper_id=paper.paper_id)
            s.add(row)
        row.title, row.level, row.kind = paper.title, paper.level, paper.kind
        row.body, row.imported_at_ms = paper.to_json(), ctx.now_ms()
    return {"paper_id": paper.paper_id, "questions": len(paper.questions), "changed": True}


_parsed: dict[str, tuple[str, Paper]] = {}  # paper_id -> (body, Paper): parse once, not per ops request


def load_paper(session, paper_id: str) -> Paper:
    row = session.get(PaperRow, paper_id)
    if row is None:
        raise ApiError("not_found", "试卷不存在", "no such paper", paper_id=paper_id)
    cached = _parsed.get(paper_id)
    if cached is None or cached[0] != row.body:
        cached = (row.body, paper_from_dict(json.loads(row.body)))
        _parsed[paper_id] = cached
    return cached[1]


def add_candidate(ctx: ServerContext, ticket: str, id_number: str, name: str, level: str,
                  password: str, prior_attempts: dict[str, int] | None = None) -> dict[str, Any]:
    if level not in LEVELS:
        raise ApiError("request.invalid", "未知等级 %r" % level, "unknown level %r" % level)
    for what, value in (("ticket", ticket), ("id_number", id_number), ("name", name)):
        if not value.strip():
            raise ApiError("request.invalid", "%s 不能为空" % what, "%s must not be empty" % what)
    if len(password) < 6:
        raise ApiError("request.invalid", "密码至少 6 位", "the password needs at least 6 characters")
    pw_hash = hash_password(password)  # slow on purpose: outside the write lock
    with ctx.db.write() as s:
        row = s.get(Candidate, ticket) or Candidate(ticket=ticket, created_at_ms=ctx.now_ms())
        row.id_number, row.name, row.level, row.password_hash = id_number.strip(), name, level, pw_hash
        if prior_attempts is not None or row.prior_attempts is None:
            row.prior_attempts = {k: int(v) for k, v in (prior_attempts or {}).items() if k in PARTS}
        s.add(row)
    return {"ticket": ticket, "name": name, "level": level}


def create_room(ctx: ServerContext, paper_id: str, part: str, kind: str, start_at_ms: int, duration_s: int,
                tickets: list[str], proctors: list[str], room_id: str | None = None) -> dict[str, Any]:
    if part not in PARTS:
        raise ApiError("request.invalid", "未知科目 %r" % part, "unknown part %r" % part)
    if kind not in KINDS:
        raise ApiError("request.invalid", "未知考试类型 %r" % kind, "unknown kind %r" % kind)
    if not 60 <= duration_s <= 24 * 3600:
        raise ApiError("request.invalid", "考试时长须在 1 分钟到 24 小时之间", "duration must be 1 min to 24 h")
    if len(set(tickets)) != len(tickets) or not tickets:
        raise ApiError("request.invalid", "考生名单为空或有重复", "the candidate list is empty or has duplicates")
    proctors = [p for p in proctors if p.strip()]
    need = max(MIN_PROCTORS, -(-len(tickets) // MAX_PER_PROCTOR))
    if kind == "formal" and len(set(proctors)) < need:
        raise ApiError(
            "room.ratio", "监考人数不足：%d 名考生至少需要 %d 名监考（每个考场至少 2 名，每名监考最多 15 名考生），现有 %d 名"
            % (len(tickets), need, len(set(proctors))),
            "not enough proctors: %d candidates need at least %d (2 per room, 1 per 15 candidates); got %d"
            % (len(tickets), need, len(set(proctors))), candidates=len(tickets), proctors=len(set(proctors)),
            proctors_needed=need)
    with ctx.db.write() as s:
        paper = load_paper(s, paper_id)
        sittings = []
        for ticket in tickets:
            cand = s.get(Candidate, ticket)
            if cand is None:
                raise ApiError("not_found", "考生 %s 不存在" % ticket, "no candidate %s" % ticket, ticket=ticket)
            if kind == "formal" and cand.level != paper.level:
                raise ApiError("room.level", "考生 %s 的等级（%s）与试卷等级（%s）不符" % (ticket, cand.level, paper.level),
                               "candidate %s is %s, the paper is %s" % (ticket, cand.level, paper.level),
                               ticket=ticket)
            attempt = 1
            if kind == "formal":
                before = (s.scalar(select(func.count()).select_from(Sitting).where(
                    Sitting.ticket == ticket, Sitting.part == part, Sitting.kind == "formal")) or 0) \
                    + int((cand.prior_attempts or {}).get(part, 0))
                attempt = before + 1
                if attempt > MAX_ATTEMPTS:
                    raise ApiError("room.attempts",
                                   "考生 %s 的“%s”已考 %d 次（首考一次、补考一次），补考未通过须重新报名"
                                   % (ticket, part, before),
                                   "candidate %s has already sat %s %d times (one sitting and one retake); "
                                   "after a failed retake the candidate must register again" % (ticket, part, before),
                                   ticket=ticket, part=part, attempts=before)
            sittings.append((ticket, attempt))
        room_id = room_id or "r-" + uuid.uuid4().hex[:12]
        if s.get(Room, room_id) is not None:
            raise ApiError("request.invalid", "考场编号 %s 已存在" % room_id, "room %s exists" % room_id, status=409)
        key, nonce, ct = encrypt_paper(paper if kind == "mock" else paper.without_answers())
        room = Room(room_id=room_id, paper_id=paper_id, part=part, kind=kind, start_at_ms=int(start_at_ms),
                    duration_s=int(duration_s), proctors=proctors, paper_key_b64=b64(key), key_id=room_id + ":1",
                    nonce_b64=b64(nonce), ciphertext_b64=b64(ct), ciphertext_sha256=hashlib.sha256(ct).hexdigest(),
                    created_at_ms=ctx.now_ms())
        s.add(room)
        s.flush()
        link_room_proctors(s, room_id, proctors, ctx.now_ms())  # who may watch it in the console
        out = []
        for ticket, attempt in sittings:
            sid = "s-" + uuid.uuid4().hex[:16]
            s.add(Sitting(sitting_id=sid, room_id=room_id, ticket=ticket, part=part, kind=kind, attempt=attempt,
                          extension_s=0, acked_seq=0, chain_head=genesis(sid)))
            out.append({"ticket": ticket, "sitting_id": sid, "attempt": attempt, "retake": attempt > 1})
    return {"room_id": room_id, "paper_id": paper_id, "part": part, "kind": kind, "start_at_ms": int(start_at_ms),
            "duration_s": int(duration_s), "proctors": proctors, "sittings": out}


def paper_bundle(ctx: ServerContext, session, sitting: Sitting) -> dict[str, Any]:
    room = session.get(Room, sitting.room_id)
    return make_bundle(sitting.sitting_id, room.room_id, room.paper_id, base64.b64decode(room.nonce_b64),
                       base64.b64decode(room.ciphertext_b64), room.key_id, ctx.keys.sign)
