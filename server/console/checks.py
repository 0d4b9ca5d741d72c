"""A room's seed checks, as the console shows them (REQUIREMENTS.md):
- proctor ratio: at least 2 proctors per room and 1 per 15 candidates; also how many of the assigned
  proctors have an account that can sign in, and how many are signed in now;
- attempts: first sittings and retakes (one retake per part), and anyone beyond it;
  more than 50 retakes may justify a dedicated retake session;
- document deadlines: the practical (中级) / comprehensive (高级) submission window of the room's formal
  sittings, its deadline in working days, and how many candidates have handed in a document.
"""

from typing import Any

from sqlalchemy import func, select

from server.console.accounts import IDLE_S, proctors_needed
from server.context import ServerContext
from server.db import Candidate, Room, RoomProctor, Sitting, StaffAccount, StaffSession, Upload
from server.registry import MAX_ATTEMPTS
from server.results import DOCUMENT_PARTS, working_day_deadline

OK, WARN, FAIL, INFO = "ok", "warn", "fail", "info"
DEDICATED_RETAKE_SESSION = 50


def _ratio(ctx: ServerContext, s, room: Room, n: int) -> dict[str, Any]:
    assigned = list(s.scalars(select(RoomProctor.username).where(RoomProctor.room_id == room.room_id)
                              .order_by(RoomProctor.username)))
    accounts = {a.username for a in s.scalars(select(StaffAccount).where(
        StaffAccount.username.in_(assigned), StaffAccount.active.is_(True),
        StaffAccount.role.in_(("proctor", "admin"))))} if assigned else set()
    now = ctx.now_ms()
    signed_in = set(s.scalars(select(StaffSession.username).where(
        StaffSession.username.in_(assigned), StaffSession.revoked.is_(False), StaffSession.expires_at_ms > now,
        StaffSession.last_seen_ms > now - IDLE_S * 1000))) if assigned else set()
    need = proctors_needed(n)
    status = (FAIL if len(assigned) < need else WARN if len(accounts) < need else OK) if room.kind == "formal" \
        else INFO
    return {"status": status, "candidates": n, "needed": need, "assigned": assigned,
            "with_account": sorted(accounts), "without_account": [u for u in assigned if u not in accounts],
            "signed_in": sorted(signed_in)}


def _attempts(room: Room, sittings: list[Sitting]) -> dict[str, Any]:
    retakes = [x.ticket for x in sittings if x.attempt > 1]
    beyond = [x.ticket for x in sittings if x.attempt > MAX_ATTEMPTS]
    if room.kind != "formal":
        return {"status": INFO, "counted": False, "first": len(sittings), "retakes": [], "beyond": [],
                "dedicated_session_hint": False}
    return {"status": FAIL if beyond else OK, "counted": True, "first": len(sittings) - len(retakes),
            "retakes": sorted(retakes), "beyond": sorted(beyond), "max_attempts": MAX_ATTEMPTS,
            "dedicated_session_hint": len(retakes) > DEDICATED_RETAKE_SESSION}


def _documents(ctx: ServerContext, s, room: Room, sittings: list[Sitting]) -> dict[str, Any]:
    if room.kind != "formal":
        return {"status": INFO, "applies": False}
    levels = {c.ticket: c.level for c in s.scalars(select(Candidate).where(
        Candidate.ticket.in_([x.ticket for x in sittings])))} if sittings else {}
    if room.part == "theory":
        due = [x for x in sittings if levels.get(x.ticket) in DOCUMENT_PARTS]
        parts = sorted({DOCUMENT_PARTS[levels[x.ticket]] for x in due})
    else:
        due, parts = list(sittings), [room.part]
    if not due:
        return {"status": INFO, "applies": False}
    st = ctx.settings
    deadline = working_day_deadline(room.start_at_ms, st.document_working_days, st.holidays, st.makeup_workdays)
    ids = [x.sitting_id for x in due]
    handed = set(s.scalars(select(Upload.sitting_id).where(Upload.sitting_id.in_(ids), Upload.purpose == "document",
                                                           Upload.status == "verified").group_by(Upload.sitting_id)))
    missing = sorted(x.ticket for x in due if x.sitting_id not in handed)
    closed = ctx.now_ms() > deadline
    return {"status": (WARN if missing else OK) if closed else INFO, "applies": True, "parts": parts,
            "opens_at_ms": room.start_at_ms, "deadline_ms": deadline, "working_days": st.document_working_days,
            "closed": closed, "due": len(due), "handed_in": len(handed), "missing": missing}


def room_checks(ctx: ServerContext, s, room: Room) -> dict[str, Any]:
    sittings = list(s.scalars(select(Sitting).where(Sitting.room_id == room.room_id).order_by(Sitting.ticket)))
    return {"room_id": room.room_id, "kind": room.kind, "ratio": _ratio(ctx, s, room, len(sittings)),
            "attempts": _attempts(room, sittings), "documents": _documents(ctx, s, room, sittings)}


def count_sittings(s, room_id: str) -> int:
    return int(s.scalar(select(func.count()).select_from(Sitting).where(Sitting.room_id == room_id)) or 0)
