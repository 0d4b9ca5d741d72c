"""The room grid: one row per candidate with what a proctor watches, in a fixed number of queries per
room (sittings, latest heartbeats, last ops, flags, snapshots, unread commands), whatever its size.

Candidate states: not_logged_in (the server never heard from this sitting), checking (signed in,
self-check), waiting (checks passed, before the start), in_exam, handing_in (sealed, receipt pending),
offline (no heartbeat nor op for OFFLINE_AFTER heartbeats, with the time of the last contact) and
submitted. The server's own status of the sitting (scheduled, in_progress, ended, submitted) and the
deadline come along, so the page counts the time left itself between refreshes.
"""

import hashlib
import json
from typing import Any

from sqlalchemy import func, select

from server.console import flags as F
from server.console.opscan import SCAN
from server.console.sources import latest_snapshots
from server.context import ServerContext
from server.db import Candidate, Command, PaperRow, Presence, Room, Sitting
from server.ledger import GRACE_MS

NOT_LOGGED_IN, CHECKING, WAITING, IN_EXAM, HANDING_IN, OFFLINE, SUBMITTED = (
    "not_logged_in", "checking", "waiting", "in_exam", "handing_in", "offline", "submitted")
STATES = (NOT_LOGGED_IN, CHECKING, WAITING, IN_EXAM, HANDING_IN, OFFLINE, SUBMITTED)
CLIENT_STATES = {"logged_in": CHECKING, "checks_passed": WAITING, "waiting": WAITING, "in_exam": IN_EXAM,
                 "sealed": HANDING_IN, "submitted": HANDING_IN}
DEVICES = ("camera", "microphone", "phone", "lockdown", "monitor", "network")
OFFLINE_AFTER = 3          # heartbeats missed
MIN_OFFLINE_S = 30


def offline_after_ms(ctx: ServerContext) -> int:
    interval = ctx.policy.get("heartbeat_interval_s", 15)
    interval = interval if isinstance(interval, (int, float)) and interval > 0 else 15
    return int(max(MIN_OFFLINE_S, OFFLINE_AFTER * interval) * 1000)


def state_of(submitted_at_ms: int | None, client_state: str | None, last_contact_ms: int | None, now_ms: int,
             offline_ms: int) -> tuple[str, int | None]:
    """(state, since_ms): since_ms is the last contact of an offline candidate, the hand-in time of a
    submitted one."""
    if submitted_at_ms is not None:
        return SUBMITTED, submitted_at_ms
    if last_contact_ms is None:
        return NOT_LOGGED_IN, None
    if now_ms - last_contact_ms > offline_ms:
        return OFFLINE, last_contact_ms
    return CLIENT_STATES.get(client_state or "", CHECKING), None


def latest_heartbeats(session, sitting_ids: list[str]) -> dict[str, tuple[int, dict[str, Any]]]:
    if not sitting_ids:
        return {}
    # the latest heartbeat of each sitting, as written with the heartbeat batches (server/presence.py)
    rows = session.execute(select(Presence.sitting_id, Presence.received_at_ms, Presence.body)
                           .where(Presence.sitting_id.in_(sitting_ids)))
    return {sid: (at, body if isinstance(body, dict) else {}) for sid, at, body in rows}


def _short(v: Any) -> str:
    return v[:32] if isinstance(v, str) else ""


def _count(v: Any) -> int:
    return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else 0


def room_header(session, room: Room) -> dict[str, Any]:
    paper = session.get(PaperRow, room.paper_id)
    return {"room_id": room.room_id, "title": paper.title if paper else room.paper_id, "kind": room.kind,
            "part": room.part, "level": paper.level if paper else "", "start_at_ms": room.start_at_ms,
            "duration_s": room.duration_s, "proctors": list(room.proctors or [])}


def room_rows(ctx: ServerContext, session, room: Room, now_ms: int) -> list[dict[str, Any]]:
    pairs = session.execute(select(Sitting.sitting_id, Sitting.acked_seq, Sitting.attempt, Sitting.extension_s,
                                   Sitting.ended_at_ms, Sitting.submitted_at_ms, Candidate.ticket, Candidate.name)
                            .join(Candidate, Candidate.ticket == Sitting.ticket)
                            .where(Sitting.room_id == room.room_id).order_by(Sitting.ticket)).all()
    acked = {p.sitting_id: p.acked_seq for p in pairs}
    ids = list(acked)
    beats = latest_heartbeats(session, ids)
    scanned = SCAN.read(session, acked)
    unread = dict(session.execute(select(Command.sitting_id, func.count()).where(
        Command.sitting_id.in_(ids), Command.acked_at_ms.is_(None)).group_by(Command.sitting_id)).all()) if ids else {}
    flags = F.flags_of(session, acked, now_ms)
    snaps = latest_snapshots(session, ids)
    offline_ms = offline_after_ms(ctx)
    base_deadline = room.start_at_ms + room.duration_s * 1000
    rows = []
    for p in pairs:
        sid = p.sitting_id
        hb_at, hb = beats.get(sid, (None, {}))
        contacts = [t for t in (hb_at, scanned[sid].last_received_ms) if t is not None]
        state, since = state_of(p.submitted_at_ms, _short(hb.get("state")), max(contacts) if contacts else None,
                                now_ms, offline_ms)
        mine = flags.get(sid, [])
        open_flags = [f for f in mine if f.open]
        points = F.priority(mine)
        deadline = base_deadline + p.extension_s * 1000
        rows.append({
            "sitting_id": sid, "ticket": p.ticket, "name": p.name, "attempt": p.attempt, "retake": p.attempt > 1,
            "state": state, "since_ms": since,
            "status": sitting_status(room, p.submitted_at_ms, p.ended_at_ms, deadline, now_ms),
            "deadline_ms": deadline, "extension_s": p.extension_s, "ended_at_ms": p.ended_at_ms,
            "devices": {d: _short(hb.get(d)) for d in DEVICES},
            "pending_ops": _count(hb.get("pending_ops")), "pending_uploads": _count(hb.get("pending_uploads")),
            "commands_unread": int(unread.get(sid, 0)),
            "flags": {"open": len(open_flags), "alert": sum(1 for f in open_flags if f.severity == "alert"),
                      "concern": sum(1 for f in mine if f.review and f.review["outcome"] == "concern"),
                      "priority": points, "band": F.band(points)},
            "snapshot": snaps.get(sid),
        })
    return rows


def sitting_status(room: Room, submitted_at_ms: int | None, ended_at_ms: int | None, deadline: int, now_ms: int
                   ) -> str:
    """server/ledger.status_of on the columns the grid reads (no Sitting object loaded)."""
    if submitted_at_ms is not None:
        return "submitted"
    if ended_at_ms is not None or now_ms > deadline + GRACE_MS:
        return "ended"
    return "scheduled" if now_ms < room.start_at_ms else "in_progress"


def room_grid(ctx: ServerContext, session, room: Room, now_ms: int) -> dict[str, Any]:
    rows = room_rows(ctx, session, room, now_ms)
    counts = {s: 0 for s in STATES}
    for r in rows:
        counts[r["state"]] += 1
    return dict(room_header(session, room), counts=counts, candidates=rows)


def grid(ctx: ServerContext, session, rooms: list[Room], now_ms: int) -> dict[str, Any]:
    """The grid of `rooms` and its version (an ETag: it changes only when what is shown changes)."""
    body = {"offline_after_ms": offline_after_ms(ctx), "rooms": [room_grid(ctx, session, r, now_ms) for r in rooms]}
    raw = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return dict(body, version=hashlib.sha256(raw).hexdigest()[:32])
