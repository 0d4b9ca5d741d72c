"""Admin / proctor endpoints (the admin token): papers, candidates, rooms, commands, timelines, marks."""

import logging
from typing import Any

from fastapi import APIRouter, Body, Depends
from sqlalchemy import select

from server.context import ServerContext
from server.db import Command, Heartbeat, Op, Upload
from server.deps import bearer, get_ctx, require_admin
from server.evidence import annotate_timeline
from server.ledger import command, detail, import_sealed, owned_sitting
from server.logs import event
from server.models import CandidateBody, CommandBody, MarkBody, PanelScoreBody, RoomBody, SealedBody
from server.registry import add_candidate, create_room, import_paper
from server.results import mark, panel_score, room_results, upload_view

log = logging.getLogger("examdesk.server.admin")
router = APIRouter(prefix="/api/v1/admin", tags=["admin"], dependencies=[Depends(bearer), Depends(require_admin)])


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
def post_admin_sealed(body: SealedBody, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    out = import_sealed(ctx, body.model_dump(), None)
    event(log, "sealed export imported", sitting_id=body.sitting_id)
    return out


def timeline(ctx: ServerContext, sid: str) -> dict[str, Any]:
    ctx.heartbeats.flush()  # this worker's queued history; other workers' arrives within their flush interval
    with ctx.db.read() as s:
        sitting = owned_sitting(s, sid, None)
        entries: list[dict[str, Any]] = []
        for op in s.scalars(select(Op).where(Op.sitting_id == sid)):
            entries.append({"t_ms": op.received_at_ms, "type": "op", "seq": op.seq, "kind": op.kind,
                            "payload": op.payload, "t_exam_ms": op.t_exam_ms, "late": op.late, "source": op.source})
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
        annotate_timeline(ctx, s, sid, entries)    # snippets under their event, snapshots at their time
        entries.sort(key=lambda e: (e["t_ms"], e.get("seq", 0)))
        return {"sitting": detail(s, sitting, ctx.now_ms()), "ticket": sitting.ticket, "entries": entries}
