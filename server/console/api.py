"""The console's JSON routes under /console/api (the pages' JavaScript and scripts use them).

Reads: me, rooms, grid (one room, or all of the caller's rooms; ETag, gzip), checks, flags, a sitting,
its evidence files, the audit log. Changes: login/logout, flag review, message, extra time, end, a
late hand-in file. Every route is refused without a live staff session (tests/console enumerate them).
"""

import gzip
import json
import logging
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi import Path as FastPath
from fastapi.responses import JSONResponse
from pydantic import Field, StringConstraints
from sqlalchemy import select

from server.console import accounts, actions, audit
from server.console import flags as F
from server.console.access import Caller, api_staff, client_addr, need_watcher, watched_room, watched_sitting
from server.console.checks import room_checks
from server.console.grid import grid
from server.console.sources import member_bytes, purpose_of
from server.console.timeline import sitting_view
from server.context import ServerContext
from server.db import Candidate, Room, Sitting
from server.deps import get_ctx
from server.errors import ApiError, error_body
from server.logs import event
from server.models import SealedBody, Strict
from server.phone.evidence import read_frame
from server.phone.router import live_of

log = logging.getLogger("examdesk.server.console")
router = APIRouter(prefix="/console/api", include_in_schema=False)
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=500)]
GZIP_MIN = 1024


class LoginBody(Strict):
    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class ReviewBody(Strict):
    outcome: str
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=2000)]


class MessageBody(Strict):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ExtendBody(Strict):
    minutes: int = Field(ge=1, le=240)
    reason: Reason


class EndBody(Strict):
    reason: Reason


class HandInBody(Strict):
    sealed: SealedBody
    reason: Reason
    handed_in_at_ms: int | None = Field(default=None, ge=0, le=10 ** 14)   # when the centre got the file (default now)


def json_response(request: Request, body: Any, etag: str | None = None) -> Response:
    """Compact JSON; 304 when the caller holds this version; gzip when accepted and worth it."""
    headers = {"Cache-Control": "no-store", "Vary": "Accept-Encoding"}
    if etag is not None:
        headers["ETag"] = '"%s"' % etag
        if request.headers.get("if-none-match") == headers["ETag"]:
            return Response(status_code=304, headers=headers)
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if len(raw) >= GZIP_MIN and "gzip" in request.headers.get("accept-encoding", ""):
        raw = gzip.compress(raw, compresslevel=5)
        headers["Content-Encoding"] = "gzip"
    return Response(raw, media_type="application/json", headers=headers)


def _staff_view(caller: Caller) -> dict[str, Any]:
    st = caller.staff
    return {"username": st.username, "display_name": st.display_name, "role": st.role,
            "expires_at_ms": st.expires_at_ms, "csrf": st.csrf if caller.via == "cookie" else None}


@router.post("/login")
def post_login(body: LoginBody, request: Request, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    token, staff = login_audited(ctx, body.username, body.password, client_addr(request))
    return {"token": token, "csrf": staff.csrf, "expires_at_ms": staff.expires_at_ms,
            "staff": {"username": staff.username, "display_name": staff.display_name, "role": staff.role}}


def login_audited(ctx: ServerContext, username: str, password: str, addr: str) -> tuple[str, accounts.Staff]:
    try:
        token, staff = accounts.login(ctx, username, password, addr)
    except ApiError as e:
        audit.record(ctx, accounts.Actor(username.strip()[:64], "unknown", addr), "login", "refused:" + e.code)
        event(log, "console login refused", logging.WARNING, username=username[:64], addr=addr, code=e.code)
        raise
    audit.record(ctx, staff.actor(addr), "login")
    return token, staff


@router.post("/logout")
def post_logout(caller: Caller = Depends(api_staff), ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    accounts.logout(ctx, caller.staff)
    audit.record(ctx, caller.staff.actor(caller.addr), "logout")
    return {"ok": True}


@router.get("/me")
def get_me(caller: Caller = Depends(api_staff), ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    with ctx.db.read() as s:
        return dict(_staff_view(caller), rooms=accounts.room_ids_of(s, caller.staff))


@router.get("/rooms")
def get_rooms(caller: Caller = Depends(api_staff), ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    """The caller's rooms of the last two weeks and the next day, with their seed checks."""
    need_watcher(caller)
    with ctx.db.read() as s:
        now = ctx.now_ms()
        return {"rooms": [dict(room_checks(ctx, s, r), start_at_ms=r.start_at_ms, duration_s=r.duration_s,
                               part=r.part, active=accounts.is_active(r, now))
                          for r in accounts.recent_rooms(s, caller.staff, now)]}


def _my_rooms(ctx: ServerContext, s, caller: Caller, room_ids: list[str], active_only: bool) -> list[Room]:
    """The rooms asked for (each checked), else the caller's recent rooms (`active_only`: watched live now)."""
    if not room_ids:
        need_watcher(caller)
        now = ctx.now_ms()
        rooms = accounts.recent_rooms(s, caller.staff, now)
        return [r for r in rooms if accounts.is_active(r, now)] if active_only else rooms
    return [watched_room(s, caller, rid) for rid in dict.fromkeys(room_ids)]


@router.get("/grid")
def get_grid(request: Request, room: list[str] = Query(default=[], max_length=50),
             caller: Caller = Depends(api_staff), ctx: ServerContext = Depends(get_ctx)) -> Response:
    """The grid of the given rooms (?room=A&room=B), or of the caller's rooms that are on now."""
    with ctx.db.read() as s:
        body = grid(ctx, s, _my_rooms(ctx, s, caller, room, True), ctx.now_ms())
    return json_response(request, body, body["version"])


@router.get("/rooms/{room_id}/grid")
def get_room_grid(room_id: str, request: Request, caller: Caller = Depends(api_staff),
                  ctx: ServerContext = Depends(get_ctx)) -> Response:
    with ctx.db.read() as s:
        body = grid(ctx, s, [watched_room(s, caller, room_id)], ctx.now_ms())
    return json_response(request, body, body["version"])


@router.get("/rooms/{room_id}/checks")
def get_room_checks(room_id: str, caller: Caller = Depends(api_staff), ctx: ServerContext = Depends(get_ctx)
                    ) -> dict[str, Any]:
    with ctx.db.read() as s:
        return room_checks(ctx, s, watched_room(s, caller, room_id))


def flag_queue(ctx: ServerContext, s, rooms: list[Room], include_reviewed: bool) -> dict[str, Any]:
    now = ctx.now_ms()
    pairs = s.execute(select(Sitting.sitting_id, Sitting.acked_seq, Sitting.room_id, Candidate.ticket, Candidate.name)
                      .join(Candidate, Candidate.ticket == Sitting.ticket)
                      .where(Sitting.room_id.in_([r.room_id for r in rooms]))).all() if rooms else []
    who = {p.sitting_id: (p.room_id, p.ticket, p.name) for p in pairs}
    by_sitting = F.flags_of(s, {p.sitting_id: p.acked_seq for p in pairs}, now)
    flags = F.ranked([f for fs in by_sitting.values() for f in fs if include_reviewed or f.open])
    sittings = sorted(({"sitting_id": sid, "room_id": who[sid][0], "ticket": who[sid][1], "name": who[sid][2],
                        "priority": F.priority(fs), "band": F.band(F.priority(fs)),
                        "open": sum(1 for f in fs if f.open)} for sid, fs in by_sitting.items()),
                      key=lambda x: (-x["priority"], x["room_id"], x["ticket"]))
    return {"sittings": [x for x in sittings if x["priority"] > 0 or include_reviewed],
            "flags": [dict(f.view(), room_id=who[f.sitting_id][0], ticket=who[f.sitting_id][1],
                           name=who[f.sitting_id][2]) for f in flags[:500]]}


@router.get("/flags")
def get_flags(room: list[str] = Query(default=[], max_length=50), reviewed: bool = False,
              caller: Caller = Depends(api_staff), ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    with ctx.db.read() as s:
        return flag_queue(ctx, s, _my_rooms(ctx, s, caller, room, False), reviewed)


@router.get("/sittings/{sid}")
def get_sitting(sid: str, caller: Caller = Depends(api_staff), ctx: ServerContext = Depends(get_ctx)
                ) -> dict[str, Any]:
    with ctx.db.read() as s:
        sitting, _ = watched_sitting(s, caller, sid)
        return sitting_view(ctx, s, sitting)


RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def ranged(request: Request, data: bytes, media_type: str, headers: dict[str, str]) -> Response:
    """The bytes, or the one range asked for (a <video> seeks with Range requests)."""
    base = dict(headers, **{"Accept-Ranges": "bytes"})
    m = RANGE.fullmatch(request.headers.get("range", "").strip())
    total = len(data)
    if m is None or not (m.group(1) or m.group(2)):
        return Response(data, media_type=media_type, headers=base)
    if m.group(1):
        start, end = int(m.group(1)), min(int(m.group(2)) if m.group(2) else total - 1, total - 1)
    else:
        start, end = max(0, total - int(m.group(2))), total - 1
    if start > end:
        return JSONResponse(error_body("request.invalid", "请求的范围不在文件内", "the range asked for is outside the file",
                                       {"size": total}), status_code=416, headers={"Content-Range": "bytes */%d" % total})
    return Response(data[start:end + 1], status_code=206, media_type=media_type,
                    headers=dict(base, **{"Content-Range": "bytes %d-%d/%d" % (start, end, total)}))


_viewed: dict[tuple[str, str], int] = {}
VIEW_AUDIT_EVERY_MS = 10 * 60 * 1000   # a video asks in many Range requests: one entry per viewer and file


def _audit_view(ctx: ServerContext, caller: Caller, room_id: str, sid: str, upload_id: str, purpose: str) -> None:
    now = ctx.now_ms()
    key = (caller.staff.session_digest, upload_id)
    if now - _viewed.get(key, -VIEW_AUDIT_EVERY_MS) < VIEW_AUDIT_EVERY_MS:
        return
    _viewed[key] = now
    if len(_viewed) > 10_000:
        _viewed.clear()
    audit.record(ctx, caller.staff.actor(caller.addr), "evidence.view", room_id=room_id, sitting_id=sid,
                 target="upload:" + upload_id, details={"purpose": purpose})


@router.get("/sittings/{sid}/evidence/{upload_id}/{member}")
def get_evidence(sid: str, upload_id: str, member: str, request: Request, caller: Caller = Depends(api_staff),
                 ctx: ServerContext = Depends(get_ctx)) -> Response:
    """One member of an evidence file (video.webm, video.mp4, audio.wav, snapshot.jpg), opened for the proctor."""
    with ctx.db.read() as s:
        _, room = watched_sitting(s, caller, sid)
        purpose = purpose_of(s, sid, upload_id)
    data, media_type = member_bytes(ctx, sid, upload_id, member)
    if purpose == "evidence":   # clips; the grid's snapshot thumbnails are the watching itself
        _audit_view(ctx, caller, room.room_id, sid, upload_id, purpose)
    return ranged(request, data, media_type, {
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Content-Disposition": 'inline; filename="%s-%s"' % (upload_id[:32], member)})


PICTURE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store",
                   "Content-Security-Policy": "sandbox; default-src 'none'"}


@router.get("/sittings/{sid}/phone/frames/{frame_id}")
def get_phone_frame(sid: str, frame_id: int = FastPath(ge=1, le=2 ** 62), caller: Caller = Depends(api_staff),
                    ctx: ServerContext = Depends(get_ctx)) -> Response:
    """A kept frame of the sitting's second camera."""
    with ctx.db.read() as s:
        watched_sitting(s, caller, sid)
    return Response(read_frame(ctx, sid, frame_id), media_type="image/jpeg", headers=PICTURE_HEADERS)


@router.get("/sittings/{sid}/phone/live")
def get_phone_live(sid: str, request: Request, caller: Caller = Depends(api_staff),
                   ctx: ServerContext = Depends(get_ctx)) -> Response:
    """The second camera's newest picture (kept in the server's memory while the phone sends)."""
    with ctx.db.read() as s:
        watched_sitting(s, caller, sid)
    frame = live_of(request).get(sid)
    if frame is None:
        raise ApiError("not_found", "手机当前没有画面", "the phone has no live picture now")
    return Response(frame.jpeg, media_type="image/jpeg", headers=dict(PICTURE_HEADERS, **{"X-Phone-Seq": str(frame.seq)}))


@router.post("/sittings/{sid}/flags/{seq}/review")
def post_review(sid: str, body: ReviewBody, seq: int = FastPath(ge=1, le=10_000_000),
                caller: Caller = Depends(api_staff), ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    room_id = _room_of(ctx, caller, sid)
    return actions.review_flag(ctx, caller.staff.actor(caller.addr), room_id, sid, seq, body.outcome, body.note)


def _room_of(ctx: ServerContext, caller: Caller, sid: str) -> str:
    with ctx.db.read() as s:
        return watched_sitting(s, caller, sid)[1].room_id


@router.post("/sittings/{sid}/message")
def post_message(sid: str, body: MessageBody, caller: Caller = Depends(api_staff),
                 ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    return actions.message(ctx, caller.staff.actor(caller.addr), _room_of(ctx, caller, sid), sid, body.text)


@router.post("/sittings/{sid}/extend")
def post_extend(sid: str, body: ExtendBody, caller: Caller = Depends(api_staff),
                ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    return actions.extend(ctx, caller.staff.actor(caller.addr), _room_of(ctx, caller, sid), sid, body.minutes * 60,
                          body.reason)


@router.post("/sittings/{sid}/end")
def post_end(sid: str, body: EndBody, caller: Caller = Depends(api_staff), ctx: ServerContext = Depends(get_ctx)
             ) -> dict[str, Any]:
    return actions.end(ctx, caller.staff.actor(caller.addr), _room_of(ctx, caller, sid), sid, body.reason)


@router.post("/sittings/{sid}/sealed")   # the path ends in /sealed: the body limit of sealed exports
def post_hand_in(sid: str, body: HandInBody, caller: Caller = Depends(api_staff),
                 ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    return actions.accept_hand_in(ctx, caller.staff.actor(caller.addr), _room_of(ctx, caller, sid), sid,
                                  body.sealed.model_dump(), body.reason, body.handed_in_at_ms)


@router.get("/audit")
def get_audit(room_id: str | None = Query(default=None, max_length=64),
              sitting_id: str | None = Query(default=None, max_length=64),
              before_id: int | None = Query(default=None, ge=1), limit: int = Query(default=200, ge=1, le=1000),
              caller: Caller = Depends(api_staff), ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    with ctx.db.read() as s:
        return {"entries": audit_entries(s, caller, room_id, sitting_id, before_id, limit)}


def audit_entries(s, caller: Caller, room_id: str | None, sitting_id: str | None, before_id: int | None,
                  limit: int) -> list[dict[str, Any]]:
    """An administrator sees every entry; anyone else the entries of their rooms and their own."""
    if room_id is not None:
        watched_room(s, caller, room_id)
    if sitting_id is not None:
        watched_sitting(s, caller, sitting_id)
    visible = None if caller.staff.role == "admin" else accounts.room_ids_of(s, caller.staff)
    return audit.entries(s, visible_rooms=visible, own=caller.staff.username, room_id=room_id,
                         sitting_id=sitting_id, before_id=before_id, limit=limit)
