"""Admin API (the admin token) for the console: staff accounts, a room's proctors, the audit log; and
`audit_admin_call`, which puts every changing call of the admin API in the audit log."""

from typing import Annotated, Any, AsyncIterator

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field, StringConstraints

from server.console import accounts, audit
from server.console.access import client_addr
from server.context import ServerContext
from server.deps import bearer, ctx_of, get_ctx, require_admin
from server.errors import ApiError
from server.models import Short, Strict

router = APIRouter(prefix="/api/v1/admin", tags=["admin"], dependencies=[Depends(bearer), Depends(require_admin)])
ADMIN_TOKEN_ACTOR = "admin-token"


def admin_actor(request: Request) -> accounts.Actor:
    return accounts.Actor(ADMIN_TOKEN_ACTOR, ADMIN_TOKEN_ACTOR, client_addr(request))


async def audit_admin_call(request: Request) -> AsyncIterator[None]:
    """Who (the admin token, from where), what (method and path), when, and how it ended; no bodies
    (they carry passwords and answers)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        yield
        return
    ctx: ServerContext = ctx_of(request)
    p = request.path_params
    room_id, sitting_id = p.get("room_id"), p.get("sid")
    target = "%s %s" % (request.method, request.url.path)
    try:
        yield
    except ApiError as e:
        audit.record(ctx, admin_actor(request), "admin_api", "refused:" + e.code, room_id=room_id,
                     sitting_id=sitting_id, target=target)
        raise
    audit.record(ctx, admin_actor(request), "admin_api", room_id=room_id, sitting_id=sitting_id, target=target)


class StaffBody(Strict):
    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    display_name: Annotated[str, StringConstraints(max_length=128)] = ""
    role: str
    password: Annotated[str, StringConstraints(min_length=8, max_length=256)] | None = None
    active: bool = True


class RoomProctorsBody(Strict):
    proctors: list[Short] = Field(max_length=200)


@router.post("/staff")
def post_staff(body: StaffBody, request: Request, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    out = accounts.upsert_account(ctx, body.username, body.display_name, body.role, body.password, body.active)
    audit.record(ctx, admin_actor(request), "staff.upsert", target="staff:" + out["username"],
                 details={"role": out["role"], "active": out["active"], "password_set": body.password is not None})
    return out


@router.get("/staff")
def get_staff(ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    return {"staff": accounts.list_accounts(ctx)}


@router.put("/rooms/{room_id}/proctors")
def put_room_proctors(room_id: str, body: RoomProctorsBody, request: Request,
                      ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    try:
        out = accounts.set_room_proctors(ctx, room_id, body.proctors)
    except ApiError as e:
        audit.record(ctx, admin_actor(request), "room.proctors", "refused:" + e.code, room_id=room_id,
                     details={"proctors": body.proctors})
        raise
    audit.record(ctx, admin_actor(request), "room.proctors", room_id=room_id, details={"proctors": out["proctors"]})
    return out


@router.get("/audit")
def get_audit(room_id: str | None = Query(default=None, max_length=64),
              sitting_id: str | None = Query(default=None, max_length=64),
              actor: str | None = Query(default=None, max_length=64),
              action: str | None = Query(default=None, max_length=48),
              target: str | None = Query(default=None, max_length=128),
              before_id: int | None = Query(default=None, ge=1), limit: int = Query(default=200, ge=1, le=1000),
              ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    with ctx.db.read() as s:
        return {"entries": audit.entries(s, actor=actor, room_id=room_id, sitting_id=sitting_id, action=action,
                                         target=target, before_id=before_id, limit=limit)}
