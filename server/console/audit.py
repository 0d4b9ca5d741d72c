"""The audit log of staff actions: who (username, role, address), what (action, room, sitting, target),
when (server time), why (the reason given) and how it ended.

An action that changes something is written in two steps: `begin` commits an entry with outcome
`pending` before the change, `finish` sets `ok` or `refused:<code>` after it. A crash in between
leaves `pending`, never an action without an entry.
"""

import logging
from typing import Any

from sqlalchemy import or_, select

from server.console.accounts import Actor
from server.context import ServerContext
from server.db import StaffAudit
from server.logs import event

log = logging.getLogger("examdesk.server.audit")
PENDING, OK = "pending", "ok"


def _clip(text: str | None, n: int) -> str | None:
    return None if text is None else str(text)[:n]


def _entry(now_ms: int, actor: Actor, action: str, outcome: str, reason: str | None, room_id: str | None,
           sitting_id: str | None, target: str | None, details: dict[str, Any] | None) -> StaffAudit:
    return StaffAudit(at_ms=now_ms, actor=actor.username[:64], role=actor.role[:16], action=action[:48],
                      room_id=room_id, sitting_id=sitting_id, target=_clip(target, 128), reason=_clip(reason, 2000),
                      details=dict(details or {}), outcome=outcome[:64], addr=_clip(actor.addr, 64) or None)


def record_in(session, now_ms: int, actor: Actor, action: str, outcome: str = OK, reason: str | None = None,
              room_id: str | None = None, sitting_id: str | None = None, target: str | None = None,
              details: dict[str, Any] | None = None) -> StaffAudit:
    """Add an entry inside the caller's transaction (it commits with the change it describes)."""
    row = _entry(now_ms, actor, action, outcome, reason, room_id, sitting_id, target, details)
    session.add(row)
    event(log, "audit", actor=actor.username, role=actor.role, action=action, outcome=outcome, room_id=room_id,
          sitting_id=sitting_id, target=target)
    return row


def record(ctx: ServerContext, actor: Actor, action: str, outcome: str = OK, **kw: Any) -> int:
    with ctx.db.write() as s:
        row = record_in(s, ctx.now_ms(), actor, action, outcome, **kw)
        s.flush()
        return int(row.id)


def begin(ctx: ServerContext, actor: Actor, action: str, **kw: Any) -> int:
    return record(ctx, actor, action, PENDING, **kw)


def finish(ctx: ServerContext, entry_id: int, outcome: str, **details: Any) -> None:
    with ctx.db.write() as s:
        row = s.get(StaffAudit, entry_id)
        if row is not None:
            row.outcome = outcome[:64]
            row.details = dict(row.details or {}, **details)
    event(log, "audit done", id=entry_id, outcome=outcome)


def view(a: StaffAudit) -> dict[str, Any]:
    return {"id": a.id, "at_ms": a.at_ms, "actor": a.actor, "role": a.role, "action": a.action,
            "room_id": a.room_id, "sitting_id": a.sitting_id, "target": a.target, "reason": a.reason,
            "details": a.details, "outcome": a.outcome, "addr": a.addr}


def entries(session, visible_rooms: list[str] | None = None, own: str | None = None, actor: str | None = None,
            sitting_id: str | None = None, room_id: str | None = None, action: str | None = None,
            target: str | None = None, limit: int = 200, before_id: int | None = None) -> list[dict[str, Any]]:
    """Newest first. Visibility: `visible_rooms` None is everything; else entries of those rooms and
    `own`'s own entries (a proctor sees their rooms and themselves). The rest are filters."""
    q = select(StaffAudit)
    if visible_rooms is not None:
        conds: list[Any] = [StaffAudit.room_id.in_(visible_rooms)] if visible_rooms else []
        if own is not None:
            conds.append(StaffAudit.actor == own)
        if not conds:
            return []
        q = q.where(or_(*conds))
    for column, value in ((StaffAudit.actor, actor), (StaffAudit.sitting_id, sitting_id),
                          (StaffAudit.room_id, room_id), (StaffAudit.action, action), (StaffAudit.target, target)):
        if value is not None:
            q = q.where(column == value)
    if before_id is not None:
        q = q.where(StaffAudit.id < before_id)
    return [view(a) for a in session.scalars(q.order_by(StaffAudit.id.desc()).limit(max(1, min(limit, 1000))))]
