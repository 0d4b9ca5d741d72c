"""Admin / proctor endpoints (the admin token): papers, candidates, rooms, commands, timelines, marks."""

import logging
from typing import Any

from fastapi import APIRouter, Body, Depends, Query
from sqlalchemy import select

from server import audit
from server.console.admin import audit_admin_call
from server.context import ServerContext
from server.db import Candidate, Command, Heartbeat, Op, OpTiming, Upload
from server.deps import bearer, get_ctx, require_admin
from server.errors import ApiError
from server.evidence import annotate_timeline
from server.lateness import decide_late_ops, late_ops
from server.ledger import command, detail, owned_sitting
from server.logs import event
from server.middleware import EdgeRoute
from server.models import (
    CandidateBody,
    CommandBody,
    LateDecisionBody,
    MarkBody,
    PanelScoreBody,
    RoomBody,
    SealedBody,
    UnlockBody,
    UploadDeleteBody,
)
from server.registry import add_candidate, create_room, import_paper
from server.results import mark, panel_score, room_results, upload_view
from server.sealed_import import import_sealed
from server.security import unlock

log = logging.getLogger("examdesk.server.admin")
router = APIRouter(prefix="/api/v1/admin", tags=["admin"], route_class=EdgeRoute,
                   dependencies=[Depends(bearer), Depends(require_admin), Depends(audit_admin_call)])


@router.post("/papers")
def post_paper(paper: dict[str, Any] = Body(..., description="examdesk-paper/1 with answers"),
               ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    out = import_paper(ctx, paper)
    event(log, "paper imported", **out)
    return out


@router.post("/candidates")
def post_candidate(body: CandidateBody, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    return add_candidate(ctx, body.ticket, body.id_number, body.name, body.level, body.password,
                         dict(body.prior_attempts.items()) if body.prior_attempts is not None else None)


@router.post("/rooms")
def post_room(body: RoomBody, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    out = create_room(ctx, body.paper_id, body.part, body.kind, body.start_at_ms, body.duration_s,
                      body.candidates, body.proctors)
    event(log, "room created", room_id=out["room_id"], kind=body.kind, part=body.part, candidates=len(body.candidates))
    return out


@router.get("/rooms/{room_id}/results")
def get_room_results(room_id: str, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    return room_results(ctx, room_id)


@router.post("/sittings/{sid}/commands")
def post_command(sid: str, body: CommandBody, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    out = command(ctx, sid, body.model_dump())
    event(log, "proctor command", sitting_id=sid, id=out["id"], type=out["type"])  # audit trail
    return out


@router.post("/sittings/{sid}/marks")
def post_mark(sid: str, body: MarkBody, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    out = mark(ctx, sid, body.question_id, body.points)
    event(log, "essay marked", sitting_id=sid, question_id=body.question_id, points=body.points)
    return out


@router.post("/sittings/{sid}/panel-scores")
def post_panel_score(sid: str, body: PanelScoreBody, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    out = panel_score(ctx, sid, body.part, [m.model_dump() for m in body.members])
    event(log, "panel scored", sitting_id=sid, part=body.part, total=out["total"], members=len(body.members))
    return out


@router.get("/sittings/{sid}/timeline")
def get_timeline(sid: str, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    return timeline(ctx, sid)


@router.post("/sealed")
def post_admin_sealed(body: SealedBody, ctx: ServerContext = Depends(get_ctx),
                      handed_in_at_ms: int | None = Query(None, ge=0, le=10 ** 14, description=(
                          "when the centre received the file (default: now); answers are judged late by it"))
                      ) -> dict[str, Any]:
    if handed_in_at_ms is not None and handed_in_at_ms > ctx.now_ms():
        raise ApiError("request.invalid", "handed_in_at_ms 不能晚于现在", "handed_in_at_ms cannot be in the future")
    out = import_sealed(ctx, body.model_dump(), None, handed_in_at_ms=handed_in_at_ms)
    if handed_in_at_ms is not None:   # staff vouch for when the file came in: that decides lateness
        with ctx.db.write() as s:
            audit.record(s, ctx.now_ms(), "admin", "sealed.handed_in", body.sitting_id, None,
                         handed_in_at_ms=handed_in_at_ms)
    return out


@router.get("/sittings/{sid}/late-ops")
def get_late_ops(sid: str, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    return late_ops(ctx, sid)


@router.post("/sittings/{sid}/late-ops")
def post_late_decision(sid: str, body: LateDecisionBody, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    return decide_late_ops(ctx, sid, body.seqs, body.decision, body.by, body.note)


@router.post("/uploads/{upload_id}/delete")
def post_upload_delete(upload_id: str, body: UploadDeleteBody, ctx: ServerContext = Depends(get_ctx)
                       ) -> dict[str, Any]:
    from server.upload_upkeep import admin_delete_upload

    return admin_delete_upload(ctx, upload_id, body.by, body.reason)


@router.post("/candidates/{ticket}/unlock")
def post_unlock(ticket: str, body: UnlockBody, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    return unlock_login(ctx, ticket, body.by, body.address)


def unlock_login(ctx: ServerContext, ticket: str, by: str, address: str | None = None) -> dict[str, Any]:
    """Forget a ticket's failed logins (every address), and an address's if given; audited."""
    with ctx.db.write() as s:
        if s.get(Candidate, ticket) is None:
            raise ApiError("not_found", "考生 %s 不存在" % ticket, "no candidate %s" % ticket, ticket=ticket)
        cleared = unlock(s, ticket, address)
        audit.record(s, ctx.now_ms(), by, "login.unlock", None, ticket, address=address, cleared=cleared)
    return {"ticket": ticket, "address": address, "cleared": cleared}


def timeline(ctx: ServerContext, sid: str) -> dict[str, Any]:
    ctx.heartbeats.flush()  # this worker's queued history; other workers' arrives within their flush interval
    with ctx.db.read() as s:
        sitting = owned_sitting(s, sid, None)
        entries: list[dict[str, Any]] = []
        timing = {t.seq: t for t in s.scalars(select(OpTiming).where(OpTiming.sitting_id == sid))}
        for op in s.scalars(select(Op).where(Op.sitting_id == sid)):
            entry = {"t_ms": op.received_at_ms, "type": "op", "seq": op.seq, "kind": op.kind,
                     "payload": op.payload, "t_exam_ms": op.t_exam_ms, "late": op.late, "source": op.source}
            t = timing.get(op.seq)
            if t is not None:   # received after the close: how it was judged, and any decision
                entry.update(basis=t.basis, late_reason=t.reason, decision=t.decision, decided_by=t.decided_by)
            entries.append(entry)
        for hb in s.scalars(select(Heartbeat).where(Heartbeat.sitting_id == sid)):
            entries.append({"t_ms": hb.received_at_ms, "type": "heartbeat", "status": hb.body})
        for up in s.scalars(select(Upload).where(Upload.sitting_id == sid)):
            entries.append(dict(upload_view(up), t_ms=up.created_at_ms, type="upload"))
        for c in s.scalars(select(Command).where(Command.sitting_id == sid)):
            entries.append({"t_ms": c.created_at_ms, "type": "command", "id": "c-%d" % c.id, "command": c.type,
                            "body": c.body, "acked_at_ms": c.acked_at_ms})
        from server.phone import timeline_entries

        entries.extend(timeline_entries(ctx, s, sid))
        if sitting.receipt:
            entries.append({"t_ms": sitting.submitted_at_ms, "type": "submit", "receipt": sitting.receipt["receipt"]})
        entries.extend(audit.entries_for(s, sid))
        annotate_timeline(ctx, s, sid, entries)    # snippets under their event, snapshots at their time
        entries.sort(key=lambda e: (e["t_ms"], e.get("seq", 0)))
        return {"sitting": detail(s, sitting, ctx.now_ms()), "ticket": sitting.ticket, "entries": entries}
