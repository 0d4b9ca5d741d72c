"""Monitoring endpoints: the sitting's policy for its client, the room policy, and evidence for proctors.

    GET  /api/v1/sittings/{sid}/policy                      owner: the whole policy of the sitting's room
    GET  /api/v1/admin/rooms/{room_id}/policy               admin: the room's overrides and its policy
    PUT  /api/v1/admin/rooms/{room_id}/policy               admin: set them ({"monitor": {...}}; 422 policy.invalid)
    GET  /api/v1/admin/sittings/{sid}/evidence              admin: every snippet and snapshot, filed
    GET  /api/v1/admin/sittings/{sid}/evidence/{upload_id}  admin: one opened: header, meta, members
    GET  /api/v1/admin/sittings/{sid}/evidence/{upload_id}/{member}   admin: a member's bytes, decrypted
"""

import logging
from typing import Any

from fastapi import APIRouter, Body, Depends, Response

from server import evidence, room_policy
from server.context import ServerContext
from server.deps import bearer, current_ticket, get_ctx, require_admin
from server.errors import ApiError
from server.ledger import owned_sitting
from server.logs import event

log = logging.getLogger("examdesk.server.monitoring")
candidate = APIRouter(prefix="/api/v1", tags=["candidate"], dependencies=[Depends(bearer)])
admin = APIRouter(prefix="/api/v1/admin", tags=["admin"], dependencies=[Depends(bearer), Depends(require_admin)])


@candidate.get("/sittings/{sid}/policy")
def get_sitting_policy(sid: str, ticket: str = Depends(current_ticket), ctx: ServerContext = Depends(get_ctx)
                       ) -> dict[str, Any]:
    with ctx.db.read() as s:
        sitting = owned_sitting(s, sid, ticket)
    return {"sitting_id": sid, "room_id": sitting.room_id, "policy": room_policy.sitting_policy(ctx, sitting)}


@admin.get("/rooms/{room_id}/policy")
def get_room_policy(room_id: str, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    return room_policy.room_policy(ctx, room_id)


@admin.put("/rooms/{room_id}/policy")
def put_room_policy(room_id: str, body: Any = Body(..., description='{"monitor": {...}}: overrides of the monitor policy'),
                    ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    out = room_policy.set_room_policy(ctx, room_id, body)
    event(log, "room policy set", room_id=room_id)   # audit trail
    return out


@admin.get("/sittings/{sid}/evidence")
def get_evidence_list(sid: str, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    with ctx.db.read() as s:
        owned_sitting(s, sid, None)
    return {"sitting_id": sid, "evidence": evidence.listing(ctx, sid)}


@admin.get("/sittings/{sid}/evidence/{upload_id}")
def get_evidence(sid: str, upload_id: str, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    opened = evidence.open_evidence(ctx, upload_id, sid)
    event(log, "evidence opened", sitting_id=sid, upload_id=upload_id)   # who looked is audited
    return {"upload_id": opened.upload_id, "sitting_id": sid, "header": opened.header, "meta": opened.meta,
            "members": {name: {"media_type": t, "bytes": len(opened.members[name])}
                        for name, t in opened.media().items()}}


@admin.get("/sittings/{sid}/evidence/{upload_id}/{member}")
def get_evidence_member(sid: str, upload_id: str, member: str, ctx: ServerContext = Depends(get_ctx)) -> Response:
    opened = evidence.open_evidence(ctx, upload_id, sid)
    if member not in opened.members:
        raise ApiError("not_found", "证据中没有 %s" % member[:40], "the evidence has no %s" % member[:40])
    event(log, "evidence opened", sitting_id=sid, upload_id=upload_id, member=member)
    return Response(opened.members[member], media_type=opened.media()[member],
                    headers={"Cache-Control": "no-store", "Content-Disposition": 'inline; filename="%s"' % member})
