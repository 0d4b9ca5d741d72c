"""Who is asking, and may they: every console route gets its staff member from `api_staff` (JSON) or
`page_staff` (HTML), then its room or sitting from `watched_room` / `watched_sitting`.

The session token comes from the HttpOnly cookie (the browser) or `Authorization: Bearer` (scripts).
Changes made with the cookie must carry the session's CSRF token (`X-CSRF-Token`, or the form field
`csrf`). A candidate's token, the admin token or an ended session open nothing.
"""

import hmac
from dataclasses import dataclass

from fastapi import Request

from server.console.accounts import Staff, light, may_watch, staff_for_token, watches_rooms
from server.context import ServerContext
from server.db import Room, Sitting
from server.deps import ctx_of, is_admin
from server.errors import ApiError

COOKIE = "examdesk_console"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class NeedLogin(Exception):
    """A page asked without a live session: answered by a redirect to the login page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Caller:
    staff: Staff
    via: str   # cookie | bearer
    addr: str


def client_addr(request: Request) -> str:
    return request.client.host if request.client else "?"


def _token(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip(), "bearer"
        return None
    cookie = request.cookies.get(COOKIE, "")
    return (cookie, "cookie") if cookie else None


def caller_of(request: Request, form_csrf: str | None = None) -> Caller:
    ctx: ServerContext = ctx_of(request)
    got = _token(request)
    if got is None:
        raise ApiError("auth.required", "请先登录监考台", "sign in to the console first")
    token, via = got
    if is_admin(ctx, token):
        raise ApiError("auth.forbidden", "管理员令牌不能打开监考台，请用工作人员账号登录",
                       "the admin token does not open the console; sign in with a staff account")
    staff = staff_for_token(ctx, token)
    if via == "cookie" and request.method not in SAFE_METHODS:
        sent = request.headers.get("x-csrf-token") or form_csrf or ""
        if not hmac.compare_digest(sent.encode(), staff.csrf.encode()):
            raise ApiError("auth.forbidden", "请求缺少有效的防伪令牌，请刷新页面", "missing or wrong CSRF token; reload the page")
    return Caller(staff, via, client_addr(request))


def api_staff(request: Request) -> Caller:
    return caller_of(request)


def page_staff(request: Request) -> Caller:
    try:
        return caller_of(request)
    except ApiError as e:
        raise NeedLogin(e.code if e.code in ("auth.required", "auth.expired") else "auth.forbidden") from None


def need_watcher(caller: Caller) -> None:
    if not watches_rooms(caller.staff):
        raise ApiError("auth.forbidden", "只有监考和管理员可以查看考场", "only proctors and administrators watch rooms")


def watched_room(session, caller: Caller, room_id: str) -> Room:
    need_watcher(caller)
    room = session.get(Room, room_id, options=light()) if len(room_id) <= 64 else None
    if room is None or not may_watch(session, caller.staff, room_id):
        # a room the caller does not watch looks the same as one that does not exist
        raise ApiError("auth.forbidden", "这不是您监考的考场", "this room is not one of yours", room_id=room_id[:64])
    return room


def watched_sitting(session, caller: Caller, sitting_id: str) -> tuple[Sitting, Room]:
    need_watcher(caller)
    sitting = session.get(Sitting, sitting_id) if len(sitting_id) <= 64 else None
    if sitting is None or not may_watch(session, caller.staff, sitting.room_id):
        raise ApiError("auth.forbidden", "这不是您监考的考生", "this candidate is not in one of your rooms",
                       sitting_id=sitting_id[:64])
    room = session.get(Room, sitting.room_id, options=light())
    if room is None:
        raise ApiError("not_found", "考场不存在", "no such room")
    return sitting, room
