"""Request dependencies: the server context, the candidate behind a bearer token, the admin check."""

import hmac

from fastapi import Request
from fastapi.security import HTTPBearer
from starlette.concurrency import run_in_threadpool

from server.context import ServerContext
from server.errors import ApiError
from server.security import candidate_for_token

bearer = HTTPBearer(auto_error=False, description="token from /auth/login, or the admin token")


def ctx_of(request: Request) -> ServerContext:
    return request.app.state.ctx


async def get_ctx(request: Request) -> ServerContext:
    """The dependency (async: FastAPI would run a plain function in a worker thread, a hop per request)."""
    return ctx_of(request)


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError("auth.required")
    return token.strip()


def is_admin(ctx: ServerContext, token: str) -> bool:
    return bool(ctx.settings.admin_token) and hmac.compare_digest(token.encode(), ctx.settings.admin_token.encode())


def refuse_admin(ctx: ServerContext, token: str) -> None:
    """403 for the admin token on a candidate route: it is not a candidate."""
    if is_admin(ctx, token):
        raise ApiError("auth.forbidden", "管理员令牌不能用于考生接口", "the admin token cannot act as a candidate")


async def current_ticket(request: Request) -> str:
    """The candidate's ticket; the admin token is not a candidate (403). Looked up once per request."""
    known = getattr(request.state, "ticket", None)
    if known is not None:
        return known
    return await run_in_threadpool(ticket_of, request)


def ticket_of(request: Request) -> str:
    """current_ticket's database lookup (in a worker thread)."""
    ticket = candidate_of(ctx_of(request), bearer_token(request))
    request.state.ticket = ticket
    return ticket


def candidate_of(ctx: ServerContext, token: str) -> str:
    """The ticket `token` stands for (in a worker thread): 401 unknown or expired, 403 the admin token."""
    refuse_admin(ctx, token)
    with ctx.db.read() as s:
        return candidate_for_token(s, token, ctx.now_ms())


async def require_admin(request: Request) -> None:
    ctx = ctx_of(request)
    token = bearer_token(request)
    if not is_admin(ctx, token):
        raise ApiError("auth.forbidden", "需要管理员权限", "admin token required")
