"""`serve --workers N`: N uvicorn worker processes on one listening socket.

The parent migrates, repairs uploads and seeds the demo once, then uvicorn's supervisor spawns the
workers (and replaces one that dies). Each worker rebuilds its own context from the same command line,
checks that the schema is current, and closes it on shutdown (the last heartbeat batch is written).
Nothing a request needs lives in one worker's memory: the database and the upload store are shared.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from typing import Any

import uvicorn
from starlette.concurrency import run_in_threadpool
from uvicorn.supervisors import Multiprocess

ARGV_ENV = "EXAMDESK_WORKER_ARGV"
TOKEN_ENV = "EXAMDESK_WORKER_ADMIN_TOKEN"


GIL_SWITCH_S = 0.0005


def tune_interpreter() -> None:
    """Each serving process: a thread back from the database (an SQLite call, a PostgreSQL round trip)
    waits at most 0.5 ms, not CPython's 5 ms, for the interpreter lock. A writer holding SQLite's write
    lock otherwise waited out other threads' slices while every other writer waited for it (bench:
    2 workers, 1,000 candidates, p50 815 ms -> 10 ms)."""
    sys.setswitchinterval(GIL_SWITCH_S)


def run_workers(args: argparse.Namespace, admin_token: str, uvicorn_kw: dict[str, Any]) -> None:
    os.environ[ARGV_ENV] = json.dumps(sys.argv[1:])
    os.environ[TOKEN_ENV] = admin_token
    config = uvicorn.Config("server.worker:build_app", factory=True, workers=args.workers, lifespan="on",
                            **uvicorn_kw)
    Multiprocess(config, sockets=[listening_socket(config)]).run()  # SIGTERM: stop the workers, return


def listening_socket(config: uvicorn.Config) -> socket.socket:
    """uvicorn's socket for its workers, declared TCP. Its own says protocol 0, so asyncio left Nagle on for
    every accepted connection: a response's body waited for the client's delayed ACK of its headers, 40 ms
    on each request (2 workers here: a heartbeat alone 52 ms -> 8 ms)."""
    sock = config.bind_socket()
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return sock
    tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    tcp.set_inheritable(True)
    return tcp


def build_app() -> Any:
    """The factory each worker process calls."""
    from server.__main__ import build_parser, make_context
    from server.api import create_app
    from server.logs import setup_logging
    from server.middleware import ServerTimeAndLimits

    args = build_parser().parse_args(json.loads(os.environ[ARGV_ENV]))
    setup_logging(args.log_level)
    tune_interpreter()
    ctx = make_context(args, os.environ[TOKEN_ENV], migrate=False)
    return ClosesContext(ServerTimeAndLimits(create_app(ctx), ctx), ctx)


class ClosesContext:
    """Answers the ASGI lifespan itself: the context is closed when the worker shuts down."""

    def __init__(self, app: Any, ctx: Any) -> None:
        self.app, self.ctx = app, ctx

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await run_in_threadpool(self.ctx.close)
                await send({"type": "lifespan.shutdown.complete"})
                return
