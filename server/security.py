"""Passwords (scrypt), bearer tokens, and the login throttle / lockout."""

import base64
import hashlib
import hmac
import secrets

from sqlalchemy import bindparam, delete, func, or_, select

from server.db import LoginFailure, Token
from server.errors import ApiError

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
# Login throttling (docs/protocol.md, "Login"). Failures count per (ticket, address) pair, so a
# stranger elsewhere who knows a ticket number cannot slow or lock its owner; and per address, with
# a limit sized for an exam centre where hundreds of candidates share one NAT address.
WINDOW_MS = 15 * 60 * 1000
THROTTLE_AFTER = 2        # from the 2nd failure of a pair on, wait 5 s, 10 s, 20 s ... (at most 60 s)
LOCK_AFTER = 10           # failures of one pair within WINDOW_MS -> that pair is locked for LOCK_MS
LOCK_MS = 15 * 60 * 1000
ADDRESS_LIMIT = 300       # failures per address in WINDOW_MS before the address is slowed (never locked)
SPREAD_ALERT = 10         # addresses failing one ticket within WINDOW_MS: logged for staff


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    dk = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return "scrypt$%d$%d$%d$%s$%s" % (SCRYPT_N, SCRYPT_R, SCRYPT_P, base64.b64encode(salt).decode(),
                                      base64.b64encode(dk).decode())


def verify_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, dk = stored.split("$")
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                             p=int(p), dklen=32, maxmem=64 * 1024 * 1024)
        return hmac.compare_digest(got, base64.b64decode(dk))
    except (ValueError, TypeError):
        return False


# Verified against when the ticket does not exist, so both cases cost the same time.
DUMMY_HASH = hash_password("no-such-candidate")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(session, ticket: str, now_ms: int, ttl_s: int) -> tuple[str, int]:
    token = secrets.token_urlsafe(32)
    expires = now_ms + ttl_s * 1000
    session.add(Token(token_sha256=token_digest(token), ticket=ticket, expires_at_ms=expires, revoked=False))
    return token, expires


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def pair_key(ticket: str, address: str) -> str:
    return "pair:%s:%s" % (_digest(ticket), _digest(address))


def address_key(address: str) -> str:
    return "addr:" + address[:64]


def _failures(session, key: str, since_ms: int) -> list[int]:
    return list(session.scalars(select(LoginFailure.at_ms).where(LoginFailure.key == key,
                                                                 LoginFailure.at_ms > since_ms)
                                .order_by(LoginFailure.at_ms)))


def check_login_allowed(session, ticket: str, address: str, now_ms: int, address_limit: int = ADDRESS_LIMIT) -> None:
    """Raise 423 auth.locked / 429 auth.throttled before any password is checked."""
    fails = _failures(session, pair_key(ticket, address), now_ms - WINDOW_MS - LOCK_MS)
    # locked: LOCK_AFTER failures of this pair within one window; the lock lasts LOCK_MS from the last
    for i in range(len(fails) - LOCK_AFTER + 1):
        if fails[i + LOCK_AFTER - 1] - fails[i] <= WINDOW_MS:
            until = fails[i + LOCK_AFTER - 1] + LOCK_MS
            if now_ms < until:
                raise rate_limited_login("auth.locked", until - now_ms, scope="ticket_and_address")
    window = [t for t in fails if t > now_ms - WINDOW_MS]
    if len(window) >= THROTTLE_AFTER:
        wait_ms = min(5000 * 2 ** (len(window) - THROTTLE_AFTER), 60000)
        if now_ms < window[-1] + wait_ms:
            raise rate_limited_login("auth.throttled", window[-1] + wait_ms - now_ms, scope="ticket_and_address")
    by_addr = _failures(session, address_key(address), now_ms - WINDOW_MS)
    if len(by_addr) >= address_limit:
        # slowed, not locked: one attempt per `spacing` from the whole address
        spacing = min(30_000, 1000 * (len(by_addr) // address_limit))
        if now_ms < by_addr[-1] + spacing:
            raise rate_limited_login("auth.throttled", by_addr[-1] + spacing - now_ms, scope="address")


def rate_limited_login(code: str, wait_ms: int, **details) -> ApiError:
    err = ApiError(code, retry_after_s=max(1, (wait_ms + 999) // 1000), **details)
    err.headers = {"Retry-After": str(err.details["retry_after_s"])}
    return err


def record_failure(session, ticket: str, address: str, now_ms: int) -> int:
    """Count one failure; returns how many addresses failed this ticket within the window."""
    # failures older than a window plus a lock matter to no decision: keep the table small
    session.execute(delete(LoginFailure).where(LoginFailure.at_ms < now_ms - WINDOW_MS - LOCK_MS))
    session.add(LoginFailure(key=pair_key(ticket, address), at_ms=now_ms))
    session.add(LoginFailure(key=address_key(address), at_ms=now_ms))
    session.flush()
    return int(session.scalar(select(func.count(func.distinct(LoginFailure.key))).where(
        LoginFailure.key.startswith("pair:%s:" % _digest(ticket)), LoginFailure.at_ms > now_ms - WINDOW_MS)) or 0)


def clear_failures(session, ticket: str, address: str) -> None:
    """A successful login clears its own pair only: a stranger's failures elsewhere stay counted."""
    session.execute(delete(LoginFailure).where(LoginFailure.key == pair_key(ticket, address)))


def unlock(session, ticket: str, address: str | None = None) -> int:
    """Staff: forget every failure of `ticket` (all addresses), and of `address` if given."""
    n = session.execute(delete(LoginFailure).where(LoginFailure.key.startswith("pair:%s:" % _digest(ticket)))).rowcount
    if address:
        n += session.execute(delete(LoginFailure).where(or_(
            LoginFailure.key == address_key(address), LoginFailure.key.endswith(":" + _digest(address))))).rowcount
    return int(n or 0)


def candidate_for_token(session, token: str, now_ms: int) -> str:
    """Every candidate request asks this: a prebuilt Core query, no ORM object."""
    row = session.execute(_TOKEN_ROW, {"digest": token_digest(token)}).first()
    return token_ticket(row.ticket if row else None, row.revoked if row else None, row.expires_at_ms if row else 0, now_ms)


_TOKEN_ROW = select(Token.ticket, Token.revoked, Token.expires_at_ms).where(Token.token_sha256 == bindparam("digest"))


def token_ticket(ticket: str | None, revoked: bool | None, expires_at_ms: int, now_ms: int) -> str:
    """The ticket of a token row's fields (None: no such token), or 401."""
    if ticket is None or revoked:
        raise ApiError("auth.required", "登录凭证无效，请重新登录", "invalid token; log in again")
    if expires_at_ms <= now_ms:
        raise ApiError("auth.expired")
    return ticket
