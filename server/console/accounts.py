"""Staff accounts (proctor, marker, admin), room assignments, and console sessions.

Login is the candidates' login: scrypt hashes and the same throttle and lockout, through
server/security.py's functions, on the key `staff:<username>` and the client's address. A session is
a random token (the browser keeps it in an HttpOnly cookie; scripts may send it as a bearer token);
the server stores only its SHA-256. It ends after SESSION_TTL_S, after IDLE_S without a request, at
logout, when the password changes, or when the account is switched off.
"""

import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import load_only

from server.console.links import link_room_proctors
from server.context import ServerContext
from server.db import Room, RoomProctor, Sitting, StaffAccount, StaffSession
from server.errors import ApiError
from server.registry import MAX_PER_PROCTOR, MIN_PROCTORS
from server.security import (
    DUMMY_HASH,
    check_login_allowed,
    clear_failures,
    hash_password,
    record_failure,
    token_digest,
    verify_password,
)

ROLES = ("proctor", "marker", "admin")
SESSION_TTL_S = 10 * 3600      # one working day
IDLE_S = 30 * 60               # a console left alone this long asks for the password again
SEEN_EVERY_MS = 60_000         # last_seen is written at most once a minute, not on every poll
THROTTLE_PREFIX = "staff:"     # the throttle's key space: never the same as a candidate's ticket
USERNAME = re.compile(r"^[^\s,|/\\<>\"'&]{1,64}$")  # fits the room CSV's '|' lists and a URL path


@dataclass(frozen=True)
class Actor:
    """Who did something, for the audit log."""
    username: str
    role: str
    addr: str = ""


@dataclass(frozen=True)
class Staff:
    """The signed-in staff member behind a console request."""
    username: str
    display_name: str
    role: str
    session_digest: str
    csrf: str
    expires_at_ms: int

    def actor(self, addr: str = "") -> Actor:
        return Actor(self.username, self.role, addr)


def _check_username(username: str) -> str:
    name = username.strip()
    if not USERNAME.match(name):
        raise ApiError("request.invalid", "用户名须为 1–64 个字符，不含空格和 , | / \\ < > \" ' &",
                       "a username is 1-64 characters without spaces or , | / \\ < > \" ' &")
    return name


def account_view(a: StaffAccount) -> dict[str, Any]:
    return {"username": a.username, "display_name": a.display_name, "role": a.role, "active": a.active,
            "created_at_ms": a.created_at_ms, "updated_at_ms": a.updated_at_ms}


def upsert_account(ctx: ServerContext, username: str, display_name: str, role: str, password: str | None,
                   active: bool = True) -> dict[str, Any]:
    """Create or change an account; a new password or a switched-off account ends its sessions."""
    name = _check_username(username)
    if role not in ROLES:
        raise ApiError("request.invalid", "角色须为 proctor、marker 或 admin", "role must be proctor, marker or admin")
    if password is not None and len(password) < 8:
        raise ApiError("request.invalid", "工作人员密码至少 8 位", "a staff password needs at least 8 characters")
    pw_hash = hash_password(password) if password is not None else None  # slow: outside the write lock
    now = ctx.now_ms()
    with ctx.db.write() as s:
        row = s.get(StaffAccount, name)
        if row is None:
            if pw_hash is None:
                raise ApiError("request.invalid", "新账号需要密码", "a new account needs a password")
            row = StaffAccount(username=name, created_at_ms=now)
            s.add(row)
        row.display_name = display_name.strip() or name
        row.role, row.active, row.updated_at_ms = role, bool(active), now
        if pw_hash is not None:
            row.password_hash = pw_hash
        if pw_hash is not None or not active:
            s.execute(update(StaffSession).where(StaffSession.username == name).values(revoked=True))
        s.flush()
        return account_view(row)


def list_accounts(ctx: ServerContext) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        rows = s.scalars(select(StaffAccount).order_by(StaffAccount.role, StaffAccount.username))
        out = []
        for a in rows:
            view = account_view(a)
            view["rooms"] = sorted(s.scalars(select(RoomProctor.room_id).where(RoomProctor.username == a.username)))
            out.append(view)
        return out


def proctors_needed(candidates: int) -> int:
    return max(MIN_PROCTORS, -(-candidates // MAX_PER_PROCTOR))


def set_room_proctors(ctx: ServerContext, room_id: str, usernames: list[str]) -> dict[str, Any]:
    """Replace a room's proctors; a formal room keeps the seed's ratio (2 per room, 1 per 15)."""
    names = list(dict.fromkeys(_check_username(u) for u in usernames if u.strip()))
    with ctx.db.write() as s:
        room = s.get(Room, room_id, options=light())
        if room is None:
            raise ApiError("not_found", "考场不存在", "no such room", room_id=room_id)
        n = len(list(s.scalars(select(Sitting.sitting_id).where(Sitting.room_id == room_id))))
        need = proctors_needed(n)
        if room.kind == "formal" and len(names) < need:
            raise ApiError("room.ratio", "监考人数不足：%d 名考生至少需要 %d 名监考，现有 %d 名" % (n, need, len(names)),
                           "not enough proctors: %d candidates need at least %d; got %d" % (n, need, len(names)),
                           candidates=n, proctors=len(names), proctors_needed=need)
        room.proctors = names
        link_room_proctors(s, room_id, names, ctx.now_ms())
        return {"room_id": room_id, "proctors": names, "candidates": n, "proctors_needed": need}


def backfill_room_links(ctx: ServerContext) -> int:
    """Rooms created before the console existed get their links from Room.proctors (once)."""
    with ctx.db.read() as s:
        linked = set(s.scalars(select(RoomProctor.room_id).distinct()))
        todo = [(rid, list(names or [])) for rid, names in s.execute(select(Room.room_id, Room.proctors))
                if rid not in linked]
    todo = [(rid, names) for rid, names in todo if names]
    if todo:
        with ctx.db.write() as s:
            for room_id, names in todo:
                link_room_proctors(s, room_id, [str(n) for n in names], ctx.now_ms())
    return len(todo)


# -- login and sessions --------------------------------------------------------------------------
def login(ctx: ServerContext, username: str, password: str, addr: str) -> tuple[str, Staff]:
    """(token, staff) or ApiError: auth.invalid_credentials / auth.throttled / auth.locked."""
    name = username.strip()[:64]
    key = THROTTLE_PREFIX + name
    with ctx.db.read() as s:
        check_login_allowed(s, key, addr, ctx.now_ms())
        acc = s.get(StaffAccount, name)
        stored = acc.password_hash if acc is not None and acc.active else DUMMY_HASH
    ok = verify_password(password, stored)  # slow on purpose, outside any lock; unknown names cost the same
    if not (acc is not None and acc.active and ok):
        with ctx.db.write() as s:
            now = ctx.now_ms()
            check_login_allowed(s, key, addr, now)
            record_failure(s, key, addr, now)
        raise ApiError("auth.invalid_credentials", "用户名或密码错误", "wrong username or password")
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    with ctx.db.write() as s:
        now = ctx.now_ms()
        check_login_allowed(s, key, addr, now)
        clear_failures(s, key, addr)
        expires = now + SESSION_TTL_S * 1000
        s.add(StaffSession(token_sha256=token_digest(token), username=name, csrf=csrf, created_at_ms=now,
                           expires_at_ms=expires, last_seen_ms=now, revoked=False))
    return token, Staff(name, acc.display_name, acc.role, token_digest(token), csrf, expires)


def staff_for_token(ctx: ServerContext, token: str) -> Staff:
    """The staff member of a live session; anything else (a candidate's token too) is refused."""
    digest = token_digest(token)
    now = ctx.now_ms()
    with ctx.db.read() as s:
        row = s.get(StaffSession, digest)
        if row is None or row.revoked:
            raise ApiError("auth.required", "请先登录监考台", "sign in to the console first")
        if now >= row.expires_at_ms or now - row.last_seen_ms > IDLE_S * 1000:
            raise ApiError("auth.expired", "登录已过期，请重新登录", "the session has expired; sign in again")
        acc = s.get(StaffAccount, row.username)
        if acc is None or not acc.active:
            raise ApiError("auth.forbidden", "该账号已停用", "this account is switched off")
        staff = Staff(acc.username, acc.display_name, acc.role, digest, row.csrf, row.expires_at_ms)
        stale = now - row.last_seen_ms >= SEEN_EVERY_MS
    if stale:
        with ctx.db.write() as s:
            s.execute(update(StaffSession).where(StaffSession.token_sha256 == digest).values(last_seen_ms=now))
    return staff


def logout(ctx: ServerContext, staff: Staff) -> None:
    with ctx.db.write() as s:
        s.execute(update(StaffSession).where(StaffSession.token_sha256 == staff.session_digest).values(revoked=True))


# -- what a staff member may see -----------------------------------------------------------------
RECENT_DAYS = 14               # flags are reviewed after the exam too: rooms of the last two weeks
ACTIVE_BEFORE_S = 2 * 3600     # a room is watched live from two hours before its start ...
ACTIVE_AFTER_S = 6 * 3600      # ... to six hours after its planned end (extra time, late hand-ins)


def light() -> list[Any]:
    """Load a room without its encrypted paper (the console never needs it)."""
    return [load_only(Room.room_id, Room.paper_id, Room.part, Room.kind, Room.start_at_ms, Room.duration_s,
                      Room.proctors)]


def watches_rooms(staff: Staff) -> bool:
    return staff.role in ("proctor", "admin")


def rooms_of(session, staff: Staff, since_ms: int | None = None, until_ms: int | None = None) -> list[Room]:
    """The rooms a proctor is assigned to (every room for an administrator, none for a marker), by start."""
    if not watches_rooms(staff):
        return []
    q = select(Room).options(*light())
    if staff.role == "proctor":
        q = q.join(RoomProctor, RoomProctor.room_id == Room.room_id).where(RoomProctor.username == staff.username)
    if since_ms is not None:
        q = q.where(Room.start_at_ms >= since_ms)
    if until_ms is not None:
        q = q.where(Room.start_at_ms <= until_ms)
    return list(session.scalars(q.order_by(Room.start_at_ms, Room.room_id)))


def recent_rooms(session, staff: Staff, now_ms: int) -> list[Room]:
    return rooms_of(session, staff, now_ms - RECENT_DAYS * 86_400_000, now_ms + 86_400_000)


def is_active(room: Room, now_ms: int) -> bool:
    return room.start_at_ms - ACTIVE_BEFORE_S * 1000 <= now_ms <= \
        room.start_at_ms + (room.duration_s + ACTIVE_AFTER_S) * 1000


def room_ids_of(session, staff: Staff) -> list[str]:
    """Every room the staff member watches, ever (what their audit view may show)."""
    return [r.room_id for r in rooms_of(session, staff)]


def may_watch(session, staff: Staff, room_id: str) -> bool:
    if staff.role == "admin":
        return True
    return staff.role == "proctor" and session.get(RoomProctor, (room_id, staff.username)) is not None
