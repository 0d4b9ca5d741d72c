"""The FastAPI application: public and candidate endpoints (docs/protocol.md)."""

import logging
import time
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from examcore.policy import MIB
from server import VERSION
from server.context import ServerContext
from server.db import Candidate, Room, Sitting, Token, Upload
from server.deps import bearer, bearer_token, current_ticket, get_ctx
from server.errors import ApiError, SafeJSONResponse, install_handlers, rate_limited
from server.heartbeat import heartbeat
from server.ledger import detail, owned_sitting, room_of, submit, summary
from server.logs import event
from server.middleware import EdgeRoute
from server.models import HeartbeatBody, LoginBody, OpsBody, SealedBody, SubmitBody
from server.ops_intake import declared_small, ops_request
from server.registry import paper_bundle
from server.results import sitting_result, upload_view, windows_for
from server.sealed_import import import_sealed
from server.security import (
    DUMMY_HASH,
    SPREAD_ALERT,
    check_login_allowed,
    clear_failures,
    new_token,
    record_failure,
    token_digest,
    verify_password,
)

log = logging.getLogger("examdesk.server.api")
router = APIRouter(prefix="/api/v1", route_class=EdgeRoute)
SPEEDTEST_PER_MINUTE = 20


@router.get("/healthz", tags=["public"])
def healthz() -> dict[str, Any]:
    return {"ok": True}


@router.get("/server-info", tags=["public"])
def server_info(ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    return {"server_time_ms": ctx.now_ms(), "version": VERSION, "signing_public_key": ctx.keys.signing_public_b64,
            "sealing_public_key": ctx.keys.sealing_public_b64, "policy": ctx.policy}


@router.post("/speedtest", tags=["public"])
async def speedtest(request: Request, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    addr = request.client.host if request.client else "?"
    hits = request.app.state.speedtest_hits.setdefault(addr, [])
    now = time.monotonic()
    hits[:] = [t for t in hits if now - t < 60]
    if len(hits) >= SPEEDTEST_PER_MINUTE:
        raise rate_limited("rate.limited", int(60 - (now - hits[0])) + 1, scope="speedtest")
    hits.append(now)
    t0, n = time.monotonic(), 0
    async for chunk in request.stream():  # read and discard; the middleware caps it at 8 MiB
        n += len(chunk)
    return {"bytes": n, "ms": round((time.monotonic() - t0) * 1000, 3), "max_bytes": 8 * MIB}


@router.post("/auth/login", tags=["auth"])
def login(body: LoginBody, request: Request, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    addr = request.client.host if request.client else "?"
    ticket = body.ticket.strip()
    limit = ctx.settings.login_address_limit
    with ctx.db.read() as s:
        check_login_allowed(s, ticket, addr, ctx.now_ms(), limit)
        cand = s.get(Candidate, ticket)
        stored = cand.password_hash if cand else DUMMY_HASH
        id_ok = cand is not None and cand.id_number.upper() == body.id_number.strip().upper()
    # the slow scrypt runs outside any lock; a wrong ticket costs the same as a wrong password
    pw_ok = verify_password(body.password, stored)
    if not (cand and id_ok and pw_ok):
        with ctx.db.write() as s:
            now = ctx.now_ms()
            check_login_allowed(s, ticket, addr, now, limit)  # a concurrent failure may have locked it meanwhile
            spread = record_failure(s, ticket, addr, now)  # committed when the block ends, before the refusal
        event(log, "login failed", logging.WARNING, ticket=ticket, addr=addr)
        if spread >= SPREAD_ALERT:   # guesses from many addresses: staff should look (nothing is locked)
            event(log, "login failures for one ticket from many addresses", logging.WARNING, ticket=ticket,
                  addresses=spread)
        raise ApiError("auth.invalid_credentials")
    with ctx.db.write() as s:
        now = ctx.now_ms()
        check_login_allowed(s, ticket, addr, now, limit)
        clear_failures(s, ticket, addr)
        token, expires = new_token(s, ticket, now, ctx.settings.token_ttl_s)
    event(log, "login", ticket=ticket, addr=addr)
    with ctx.db.read() as s:
        return {"token": token, "expires_at_ms": expires,
                "candidate": {"ticket": cand.ticket, "name": cand.name, "level": cand.level},
                "sittings": _sittings(ctx, s, ticket)}


def _sittings(ctx: ServerContext, s, ticket: str) -> list[dict[str, Any]]:
    rows = s.scalars(select(Sitting).join(Room).where(Sitting.ticket == ticket).order_by(Room.start_at_ms))
    now = ctx.now_ms()
    return [summary(s, x, now) for x in rows]


@router.post("/auth/logout", tags=["auth"], dependencies=[Depends(bearer)])
def logout(request: Request, ticket: str = Depends(current_ticket), ctx: ServerContext = Depends(get_ctx)
           ) -> dict[str, Any]:
    token = request.headers["authorization"].partition(" ")[2].strip()
    with ctx.db.write() as s:
        row = s.get(Token, token_digest(token))
        if row is None:   # as current_ticket answers for a token it does not know
            raise ApiError("auth.required", "登录凭证无效，请重新登录", "invalid token; log in again")
        row.revoked = True
    return {"ok": True}


@router.get("/me", tags=["candidate"], dependencies=[Depends(bearer)])
def me(ticket: str = Depends(current_ticket), ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    with ctx.db.read() as s:
        cand = s.get(Candidate, ticket)
        if cand is None:
            raise ApiError("not_found", "考生 %s 不存在" % ticket, "no candidate %s" % ticket, ticket=ticket)
        return {"candidate": {"ticket": cand.ticket, "name": cand.name, "level": cand.level},
                "sittings": _sittings(ctx, s, ticket), "documents": windows_for(ctx, s, ticket)}


@router.get("/sittings/{sid}", tags=["candidate"], dependencies=[Depends(bearer)])
def get_sitting(sid: str, ticket: str = Depends(current_ticket), ctx: ServerContext = Depends(get_ctx)
                ) -> dict[str, Any]:
    with ctx.db.read() as s:
        return detail(s, owned_sitting(s, sid, ticket), ctx.now_ms())


@router.get("/sittings/{sid}/paper", tags=["candidate"], dependencies=[Depends(bearer)])
def get_paper(sid: str, ticket: str = Depends(current_ticket), ctx: ServerContext = Depends(get_ctx)
              ) -> dict[str, Any]:
    with ctx.db.read() as s:
        return paper_bundle(ctx, s, owned_sitting(s, sid, ticket))


@router.get("/sittings/{sid}/paper-key", tags=["candidate"], dependencies=[Depends(bearer)])
def get_paper_key(sid: str, ticket: str = Depends(current_ticket), ctx: ServerContext = Depends(get_ctx)
                  ) -> dict[str, Any]:
    with ctx.db.read() as s:
        sitting = owned_sitting(s, sid, ticket)
        room = room_of(s, sitting)
        if sitting.kind == "formal" and ctx.now_ms() < room.start_at_ms:
            raise ApiError("paper.key_not_yet", available_at_ms=room.start_at_ms)
        event(log, "paper key released", sitting_id=sid, ticket=ticket)
        return {"key": room.paper_key_b64, "key_id": room.key_id}


@router.post("/sittings/{sid}/ops", tags=["candidate"], dependencies=[Depends(bearer)],
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": OpsBody.model_json_schema(ref_template="#/components/schemas/{model}")}}}})
async def post_sitting_ops(sid: str, request: Request, ctx: ServerContext = Depends(get_ctx)) -> SafeJSONResponse:
    """Authenticated, parsed and appended in one worker thread (server/ops_intake.py)."""
    token = bearer_token(request)
    # a large body is read only once its token is known; a small one is read first, parsed after
    ticket = None if declared_small(request.headers) else await current_ticket(request)
    raw = await request.body()
    answer = await run_in_threadpool(ops_request, ctx, sid, token, raw, request.headers.get("content-type"), ticket)
    return SafeJSONResponse(answer)


@router.post("/sittings/{sid}/heartbeat", tags=["candidate"], dependencies=[Depends(bearer)],
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": HeartbeatBody.model_json_schema(ref_template="#/components/schemas/{model}")}}}})
async def post_heartbeat(sid: str, request: Request, ctx: ServerContext = Depends(get_ctx)) -> SafeJSONResponse:
    """Authenticated, parsed and answered in one worker thread and one transaction (server/heartbeat.py)."""
    token = bearer_token(request)   # 401 before a byte of the body is read
    raw = await request.body()
    answer = await run_in_threadpool(heartbeat, ctx, sid, token, raw, request.headers.get("content-type"))
    return SafeJSONResponse(answer)   # as it is: the route's encoder would walk it again


@router.post("/sittings/{sid}/submit", tags=["candidate"], dependencies=[Depends(bearer)])
def post_submit(sid: str, body: SubmitBody, ticket: str = Depends(current_ticket),
                ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    receipt = submit(ctx, sid, ticket, body.final_seq, body.chain_head, body.reason)
    event(log, "submitted", sitting_id=sid, final_seq=body.final_seq, reason=body.reason)
    return receipt


@router.post("/sittings/{sid}/sealed", tags=["candidate"], dependencies=[Depends(bearer)])
def post_sealed(sid: str, body: SealedBody, ticket: str = Depends(current_ticket),
                ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    return import_sealed(ctx, body.model_dump(), ticket, sid)


@router.get("/sittings/{sid}/uploads", tags=["candidate"], dependencies=[Depends(bearer)])
def get_uploads(sid: str, ticket: str = Depends(current_ticket), ctx: ServerContext = Depends(get_ctx)
                ) -> dict[str, Any]:
    with ctx.db.read() as s:
        owned_sitting(s, sid, ticket)
        rows = s.scalars(select(Upload).where(Upload.sitting_id == sid, Upload.status != "deleted")
                         .order_by(Upload.created_at_ms))
        return {"uploads": [upload_view(u) for u in rows]}


@router.get("/sittings/{sid}/result", tags=["candidate"], dependencies=[Depends(bearer)])
def get_result(sid: str, ticket: str = Depends(current_ticket), ctx: ServerContext = Depends(get_ctx)
               ) -> dict[str, Any]:
    return sitting_result(ctx, sid, ticket)


@router.get("/documents", tags=["candidate"], dependencies=[Depends(bearer)])
def get_documents(ticket: str = Depends(current_ticket), ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    with ctx.db.read() as s:
        return {"windows": windows_for(ctx, s, ticket)}


def create_app(ctx: ServerContext) -> FastAPI:
    from server import admin_api, monitoring_api, phone, tus
    from server.console.app import mount as mount_console

    app = FastAPI(title="ExamDesk reference server", version=VERSION, default_response_class=SafeJSONResponse,
                  description="The client-server contract of docs/protocol.md.")
    app.state.ctx = ctx
    app.state.speedtest_hits = {}
    install_handlers(app)
    app.include_router(router)
    app.include_router(tus.router)
    app.include_router(admin_api.router)
    app.include_router(monitoring_api.candidate)
    app.include_router(monitoring_api.admin)
    phone.mount(app)
    mount_console(app, ctx)  # the proctor console: /console, and the admin routes for staff
    return app
