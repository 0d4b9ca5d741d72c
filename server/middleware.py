"""The edge: X-Server-Time-Ms on every response, body size limits per route, request log lines
(the outermost ASGI layer), and the route class that authenticates before reading a body."""

import json
import logging
import time
from typing import Any, Callable, Coroutine

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from examcore.policy import MIB
from server.context import ServerContext
from server.deps import current_ticket, require_admin
from server.errors import error_body
from server.logs import event
from server.validation import is_json_type, strict_json

log = logging.getLogger("examdesk.server.http")
JSON_LIMIT = 1 * MIB
SEALED_LIMIT = 64 * MIB
# per-route limits (tus PATCH checks Upload-Length itself): ops batches after a long offline spell
# carry many essay snapshots, and a refused batch would stall the chain; a sealed export is a whole
# exam; a heartbeat or a login is a few hundred bytes
LIMITS = (("/api/v1/files/", None), ("/api/v1/speedtest", 8 * MIB), ("/api/v1/auth/login", 4 * 1024),
          ("/sealed", SEALED_LIMIT), ("/ops", 8 * MIB), ("/heartbeat", 16 * 1024))


class BodyTooLarge(HTTPException):
    """An HTTPException so FastAPI's body parser re-raises it (as 413) instead of answering 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413)
        self.limit = limit


def limit_for(path: str) -> int | None:
    for where, limit in LIMITS:
        if path.startswith(where) if where.startswith("/api/") else path.endswith(where):
            return limit
    return JSON_LIMIT


class ServerTimeAndLimits:
    def __init__(self, app: Any, ctx: ServerContext) -> None:
        self.app, self.ctx = app, ctx

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.monotonic()
        path = scope.get("path", "")
        limit = limit_for(path)
        state = {"status": 0, "started": False}

        async def send_with_time(message: dict) -> None:
            if message["type"] == "http.response.start":
                state["status"], state["started"] = message["status"], True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-server-time-ms"]
                headers.append((b"x-server-time-ms", str(self.ctx.now_ms()).encode()))
                message = dict(message, headers=headers)
            await send(message)

        async def error(status: int, code: str, zh: str, en: str, **details: Any) -> None:
            body = json.dumps(error_body(code, zh, en, details), ensure_ascii=False).encode("utf-8")
            await send_with_time({"type": "http.response.start", "status": status, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        if limit is not None:
            declared = dict(scope.get("headers", [])).get(b"content-length")
            if declared is not None and (not declared.isdigit() or int(declared) > limit):
                await error(413, "request.too_large", "请求内容超过 %d 字节上限" % limit,
                            "request body exceeds %d bytes" % limit, max_bytes=limit)
                self._log(scope, 413, t0)
                return
            seen = {"n": 0}

            async def limited_receive() -> dict:
                message = await receive()
                if message["type"] == "http.request":
                    seen["n"] += len(message.get("body", b""))
                    if seen["n"] > limit:
                        raise BodyTooLarge(limit)
                return message
        else:
            limited_receive = receive
        try:
            await self.app(scope, limited_receive, send_with_time)
        except BodyTooLarge as e:
            if not state["started"]:
                await error(413, "request.too_large", "请求内容超过 %d 字节上限" % e.limit,
                            "request body exceeds %d bytes" % e.limit, max_bytes=e.limit)
            state["status"] = 413
        except Exception:
            if not state["started"]:   # else the app's own handler has logged it and answered
                log.exception("unhandled error on %s", path)
                await error(500, "internal", "服务器内部错误，请稍后重试", "internal server error; please retry")
            state["status"] = 500
        self._log(scope, state["status"], t0)

    def _log(self, scope: dict, status: int, t0: float) -> None:
        client = scope.get("client") or ("", 0)
        event(log, "request", logging.WARNING if status >= 500 else logging.INFO, method=scope.get("method"),
              path=scope.get("path"), status=status, ms=round((time.monotonic() - t0) * 1000, 1), addr=client[0])


def _guard(dependant: Any) -> Callable[[Request], Coroutine[Any, Any, Any]] | None:
    """The authentication dependency a route declares (admin or candidate), if any."""
    stack = [dependant]
    while stack:
        d = stack.pop()
        if d.call is require_admin or d.call is current_ticket:
            return d.call
        stack.extend(d.dependencies)
    return None


class EdgeRoute(APIRoute):
    """Every route: authenticate before a byte of the body is read, then parse the body strictly
    (server.validation.strict_json) in place of FastAPI's lenient json.loads."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        inner = super().get_route_handler()
        guard = _guard(self.dependant)
        has_body = self.body_field is not None

        async def handler(request: Request) -> Response:
            if guard is not None:
                await guard(request)
            if has_body and is_json_type(request.headers.get("content-type")):
                raw = await request.body()
                if raw:
                    # FastAPI reads request.json(), which returns this cached value
                    request._json = strict_json(raw) if len(raw) < 65536 else await run_in_threadpool(strict_json, raw)
            return await inner(request)

        return handler
