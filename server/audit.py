"""Staff decisions and irreversible changes made through the admin API or the CLI (late answers,
deletions, unlocks, rejected documents), written into the one audit log, `staff_audit`, which the
proctor console also writes (server/console/audit.py) and shows. Shown in a sitting's timeline too."""

import logging
from typing import Any

from sqlalchemy import select

from server.db import Sitting, StaffAudit
from server.logs import event

log = logging.getLogger("examdesk.server.audit")
API_CALL = "admin_api"   # the console's record of each admin call: access log, not a decision


def _role(actor: str) -> str:
    if actor == "server":
        return "server"
    return "candidate" if actor.startswith("candidate:") else "admin"


def record(session, now_ms: int, actor: str, action: str, sitting_id: str | None = None, target: str | None = None,
           **details: Any) -> None:
    """Add an entry inside the caller's transaction (it commits with the change it describes)."""
    sitting = session.get(Sitting, sitting_id) if sitting_id else None
    reason = details.get("reason") or details.get("note")
    session.add(StaffAudit(at_ms=now_ms, actor=actor[:64], role=_role(actor), action=action[:48],
                           room_id=sitting.room_id if sitting is not None else None, sitting_id=sitting_id,
                           target=target[:128] if target else None, reason=str(reason)[:2000] if reason else None,
                           details=details, outcome="ok", addr=None))
    event(log, "audit", actor=actor, action=action, sitting_id=sitting_id, target=target)


def entries_for(session, sitting_id: str) -> list[dict[str, Any]]:
    """The sitting's decisions for its timeline (the access log of admin calls left out)."""
    rows = session.scalars(select(StaffAudit).where(StaffAudit.sitting_id == sitting_id, StaffAudit.action != API_CALL)
                           .order_by(StaffAudit.id))
    return [{"t_ms": a.at_ms, "type": "audit", "actor": a.actor, "action": a.action, "target": a.target,
             "details": a.details, "outcome": a.outcome} for a in rows]
