"""The console's pages (Jinja2, server-rendered; console.js adds the live grid and the action forms).

Every page but the login form needs a live staff session (else a redirect to the login page); a
room or a sitting outside the caller's rooms answers 403 with an error page.
"""

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from server.console import accounts, audit
from server.console.access import (
    COOKIE,
    Caller,
    NeedLogin,
    caller_of,
    client_addr,
    page_staff,
    watched_room,
    watched_sitting,
)
from server.console.api import audit_entries, flag_queue, login_audited
from server.console.checks import room_checks
from server.console.flags import OUTCOMES
from server.console.grid import STATES, room_header
from server.console.i18n import LANGS, js_messages, lang_of, translate
from server.console.timeline import sitting_view
from server.context import ServerContext
from server.db import Candidate, Sitting
from server.deps import ctx_of, get_ctx
from server.errors import ApiError

HERE = Path(__file__).resolve().parent
CHINA = dt.timezone(dt.timedelta(hours=8))
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(prefix="/console", include_in_schema=False)


def _when(ms: Any, fmt: str = "%H:%M:%S") -> str:
    if not isinstance(ms, int):
        return ""
    return dt.datetime.fromtimestamp(ms / 1000, CHINA).strftime(fmt)


templates.env.filters["hms"] = _when
templates.env.filters["datetime"] = lambda ms: _when(ms, "%Y-%m-%d %H:%M:%S")
templates.env.filters["date"] = lambda ms: _when(ms, "%Y-%m-%d")


def render(request: Request, name: str, status: int = 200, caller: Caller | None = None, **data: Any) -> Response:
    lang = lang_of(request)
    ctx: ServerContext = ctx_of(request)
    page = {"lang": lang, "now_ms": ctx.now_ms(), "page": name.split(".")[0],
            "csrf": caller.staff.csrf if caller else "", "messages": js_messages(lang)}
    page.update(data.pop("page_data", {}))
    resp = templates.TemplateResponse(request, name, dict(data, t=lambda k, **kw: translate(lang, k, **kw),
                                                          lang=lang, langs=LANGS, caller=caller, page_data=page,
                                                          path=request.url.path), status_code=status)
    if request.query_params.get("lang") in LANGS:
        resp.set_cookie("console_lang", request.query_params["lang"], max_age=365 * 86400, path="/console",
                        samesite="strict", httponly=True)
    return resp


def error_page(request: Request, err: ApiError, caller: Caller | None = None) -> Response:
    return render(request, "error.html", status=err.status, caller=caller, error=err)


def login_redirect(request: Request, reason: str) -> Response:
    target = request.url.path + ("?" + request.url.query if request.url.query else "")
    return RedirectResponse("/console/login?next=%s&why=%s" % (quote(target, safe=""), quote(reason)), status_code=303)


def _safe_next(target: str) -> str:
    # only our own pages: no scheme, no host, no protocol-relative '//'
    if target.startswith("/console/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/console/rooms"


@router.get("/", response_class=HTMLResponse)
def index() -> Response:
    return RedirectResponse("/console/rooms", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = Query("/console/rooms", max_length=500),
               why: str = Query("", max_length=40)) -> Response:
    why = why if why in ("auth.expired", "auth.required", "auth.forbidden") else ""
    return render(request, "login.html", next=_safe_next(next), why=why, error=None, username="")


@router.post("/login", response_class=HTMLResponse)
def login_form(request: Request, username: str = Form("", max_length=64), password: str = Form("", max_length=256),
               next: str = Form("/console/rooms", max_length=500), ctx: ServerContext = Depends(get_ctx)) -> Response:
    try:
        if not username.strip() or not password:
            raise ApiError("auth.invalid_credentials", "用户名或密码错误", "wrong username or password")
        token, staff = login_audited(ctx, username, password, client_addr(request))
    except ApiError as e:
        return render(request, "login.html", status=e.status, next=_safe_next(next), why="", error=e,
                      username=username[:64])
    resp = RedirectResponse(_safe_next(next), status_code=303)
    resp.set_cookie(COOKIE, token, max_age=accounts.SESSION_TTL_S, path="/console", httponly=True, samesite="strict",
                    secure=request.url.scheme == "https")
    return resp


@router.post("/logout")
def logout_form(request: Request, csrf: str = Form("", max_length=100), ctx: ServerContext = Depends(get_ctx)
                ) -> Response:
    try:
        caller = caller_of(request, csrf)
    except ApiError:
        caller = None
    if caller is not None:
        accounts.logout(ctx, caller.staff)
        audit.record(ctx, caller.staff.actor(caller.addr), "logout")
    resp = RedirectResponse("/console/login", status_code=303)
    resp.delete_cookie(COOKIE, path="/console")
    return resp


@router.get("/rooms", response_class=HTMLResponse)
def rooms_page(request: Request, caller: Caller = Depends(page_staff), ctx: ServerContext = Depends(get_ctx)
               ) -> Response:
    if not accounts.watches_rooms(caller.staff):
        return render(request, "no_rooms.html", caller=caller)
    with ctx.db.read() as s:
        now = ctx.now_ms()
        cards = [{"room": r, "checks": room_checks(ctx, s, r), "title": room_header(s, r)["title"],
                  "active": accounts.is_active(r, now)} for r in accounts.recent_rooms(s, caller.staff, now)]
    return render(request, "rooms.html", caller=caller, cards=[c for c in cards if c["active"]],
                  others=[c for c in cards if not c["active"]], states=STATES,
                  page_data={"grid_url": "/console/api/grid", "compact": True})


@router.get("/rooms/{room_id}", response_class=HTMLResponse)
def room_page(room_id: str, request: Request, caller: Caller = Depends(page_staff),
              ctx: ServerContext = Depends(get_ctx)) -> Response:
    try:
        with ctx.db.read() as s:
            room = watched_room(s, caller, room_id)
            checks = room_checks(ctx, s, room)
            title = room_header(s, room)["title"]
    except ApiError as e:
        return error_page(request, e, caller)
    return render(request, "room.html", caller=caller, room=room, checks=checks, states=STATES, title=title,
                  page_data={"grid_url": "/console/api/rooms/%s/grid" % quote(room_id, safe=""), "compact": False})


@router.get("/flags", response_class=HTMLResponse)
def flags_page(request: Request, reviewed: bool = False, caller: Caller = Depends(page_staff),
               ctx: ServerContext = Depends(get_ctx)) -> Response:
    if not accounts.watches_rooms(caller.staff):
        return render(request, "no_rooms.html", caller=caller)
    with ctx.db.read() as s:
        queue = flag_queue(ctx, s, accounts.recent_rooms(s, caller.staff, ctx.now_ms()), reviewed)
    return render(request, "flags.html", caller=caller, queue=queue, reviewed=reviewed)


@router.get("/sittings/{sid}", response_class=HTMLResponse)
def sitting_page(sid: str, request: Request, caller: Caller = Depends(page_staff),
                 ctx: ServerContext = Depends(get_ctx)) -> Response:
    try:
        with ctx.db.read() as s:
            sitting, room = watched_sitting(s, caller, sid)
            view = sitting_view(ctx, s, sitting)
    except ApiError as e:
        return error_page(request, e, caller)
    return render(request, "sitting.html", caller=caller, room=room, v=view, outcomes=OUTCOMES,
                  page_data={"sitting_id": sid, "deadline_ms": view["sitting"]["deadline_ms"]})


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, before_id: int | None = Query(default=None, ge=1),
               caller: Caller = Depends(page_staff), ctx: ServerContext = Depends(get_ctx)) -> Response:
    with ctx.db.read() as s:
        rows = audit_entries(s, caller, None, None, before_id, 100)
        ids = sorted({r["sitting_id"] for r in rows if r["sitting_id"]})
        who = {x.sitting_id: "%s %s" % (c.name, c.ticket) for x, c in s.execute(
            select(Sitting, Candidate).join(Candidate, Candidate.ticket == Sitting.ticket)
            .where(Sitting.sitting_id.in_(ids))).all()} if ids else {}
    return render(request, "audit.html", caller=caller, rows=rows, who=who,
                  older=rows[-1]["id"] if len(rows) == 100 else None)


def need_login_handler(request: Request, exc: Exception) -> Response:
    return login_redirect(request, exc.reason if isinstance(exc, NeedLogin) else "auth.required")


STATIC_DIR = str(HERE / "static")
