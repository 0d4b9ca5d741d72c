"""Mount the console on the server's app: its pages, JSON routes, static files, the admin routes for
staff, and the security headers of every console response."""

import logging
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from server.console import admin, api, web
from server.console.access import NeedLogin
from server.console.accounts import backfill_room_links
from server.context import ServerContext
from server.logs import event

log = logging.getLogger("examdesk.server.console")
PREFIX = "/console"
STATIC = PREFIX + "/static"
HEADERS = [(b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer"),
           (b"x-content-type-options", b"nosniff"),
           (b"content-security-policy", b"default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
                                        b"script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; "
                                        b"frame-ancestors 'none'; form-action 'self'")]


class ConsoleHeaders:
    """Pure ASGI: console responses may not be framed, leak their address or run foreign scripts;
    a response that sets its own CSP (evidence files: sandbox) keeps it."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(PREFIX):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in have]
                message = dict(message, headers=list(message.get("headers", [])) + extra)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def mount(app: FastAPI, ctx: ServerContext) -> None:
    app.include_router(admin.router)
    app.include_router(api.router)
    app.include_router(web.router)
    app.mount(STATIC, StaticFiles(directory=web.STATIC_DIR), name="console-static")
    app.add_exception_handler(NeedLogin, web.need_login_handler)
    app.add_middleware(ConsoleHeaders)
    linked = backfill_room_links(ctx)
    if linked:
        event(log, "room proctors linked from existing rooms", rooms=linked)
