"""Passwords (scrypt), bearer tokens, and the login throttle / lockout."""

import base64
import hashlib
import hmac
import secrets

from sqlalchemy import delete, func, select

from server.db import LoginFailure, Token
from server.errors import ApiError

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
WINDOW_MS = 15 * 60 * 1000
LOCK_AFTER = 5           # failures per ticket in WINDOW_MS -> locked for LOCK_MS
LOCK_MS = 15 * 60 * 1000
THROTTLE_AFTER = 2       # from the 2nd failure on, wait 5 s, 10 s, 20 s ... before the next try
ADDRESS_LIMIT = 30       # failures per client address in WINDOW_MS -> throttled


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


def _failures(session, key: str, since_ms: int) -> list[int]:
    return list(session.scalars(select(LoginFailure.at_ms).where(LoginFailure.key == key,
                                                                 LoginFailure.at_ms > since_ms)
                                .order_by(LoginFailure.at_ms)))


def check_login_allowed(session, ticket: str, address: str, now_ms: int) -> None:
    """Raise 423 auth.locked / 429 auth.throttled before any password is checked."""
    fails = _failures(session, "ticket:" + ticket, now_ms - WINDOW_MS - LOCK_MS)
    recent = [t for t in fails if t > now_ms - WINDOW_MS - LOCK_MS]
    # locked: LOCK_AFTER failures within one window; the lock lasts LOCK_MS from the last of them
    for i in range(len(recent) - LOCK_AFTER + 1):
        if recent[i + LOCK_AFTER - 1] - recent[i] <= WINDOW_MS:
            until = recent[i + LOCK_AFTER - 1] + LOCK_MS
            if now_ms < until:
                raise ApiError("auth.locked", retry_after_s=max(1, (until - now_ms + 999) // 1000))
    window = [t for t in fails if t > now_ms - WINDOW_MS]
    if len(window) >= THROTTLE_AFTER:
        wait_ms = min(5000 * 2 ** (len(window) - THROTTLE_AFTER), 60000)
        if now_ms < window[-1] + wait_ms:
            raise ApiError("auth.throttled", retry_after_s=max(1, (window[-1] + wait_ms - now_ms + 999) // 1000))
    n_addr = session.scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.key == "addr:" + address, LoginFailure.at_ms > now_ms - WINDOW_MS)) or 0
    if n_addr >= ADDRESS_LIMIT:
        raise ApiError("auth.throttled", retry_after_s=60, scope="address")


def record_failure(session, ticket: str, address: str, now_ms: int) -> None:
    # failures older than a window plus a lock matter to no decision: keep the table small
    session.execute(delete(LoginFailure).where(LoginFailure.at_ms < now_ms - WINDOW_MS - LOCK_MS))
    session.add(LoginFailure(key="ticket:" + ticket, at_ms=now_ms))
    session.add(LoginFailure(key="addr:" + address, at_ms=now_ms))


def clear_failures(session, ticket: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.key == "ticket:" + ticket))


def candidate_for_token(session, token: str, now_ms: int) -> str:
    row = session.get(Token, token_digest(token))
    if row is None or row.revoked:
        raise ApiError("auth.required", "登录凭证无效，请重新登录", "invalid token; log in again")
    if row.expires_at_ms <= now_ms:
        raise ApiError("auth.expired")
    return row.ticket
