"""The audit log: staff decisions and irreversible changes, one row each, shown in the timeline."""

import logging
from typing import Any

from sqlalchemy import select

from server.db import AuditEntry
from server.logs import event

log = logging.getLogger("examdesk.server.audit")


def record(session, now_ms: int, actor: str, action: str, sitting_id: str | None = None, target: str | None = None,
           **details: Any) -> None:
    """Add an entry inside the caller's transaction (it commits with the change it describes)."""
    session.add(AuditEntry(at_ms=now_ms, actor=actor[:64], action=action, sitting_id=sitting_id,
                           target=target[:128] if target else None, details=details))
    event(log, "audit", actor=actor, action=action, sitting_id=sitting_id, target=target)


def entries_for(session, sitting_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(AuditEntry).where(AuditEntry.sitting_id == sitting_id).order_by(AuditEntry.id))
    return [{"t_ms": a.at_ms, "type": "audit", "actor": a.actor, "action": a.action, "target": a.target,
             "details": a.details} for a in rows]


def recent(session, sitting_id: str | None = None, target: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """The newest entries first, optionally of one sitting or about one target (a ticket, an upload)."""
    q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if sitting_id is not None:
        q = q.where(AuditEntry.sitting_id == sitting_id)
    if target is not None:
        q = q.where(AuditEntry.target == target)
    return [{"id": a.id, "at_ms": a.at_ms, "actor": a.actor, "action": a.action, "sitting_id": a.sitting_id,
             "target": a.target, "details": a.details} for a in session.scalars(q)]
