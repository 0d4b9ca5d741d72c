"""Pairing: a one-time, short-lived URL bound to a sitting, claimed once by the phone for a phone key.

The URL carries its token in the fragment (`/phone/#t=…`): browsers never send a fragment to a server,
so it is in no request line, log or Referer. Only SHA-256 digests of the token and the key are stored.
A newer pairing replaces the phone of an older one only when it is claimed, so opening a new QR code by
mistake does not cut a working phone off.
"""

import hashlib
import logging
import secrets
import uuid
import weakref
from typing import Any

from sqlalchemy import func, select

from examcore.policy import merged
from server.context import ServerContext
from server.db import Candidate, PaperRow, Room, Sitting
from server.errors import ApiError
from server.ledger import owned_sitting, room_of, status_of
from server.logs import event
from server.phone.models import PhoneEvent, PhonePairing, PhoneState, ensure_tables

log = logging.getLogger("examdesk.server.phone")
PAIRINGS_PER_HOUR = 30
OVER = ("submitted", "ended")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def phone_policy(ctx: ServerContext) -> dict[str, Any]:
    """The phone's part of the policy, worked out once per policy (heartbeats read it every time)."""
    known = _PHONE_POLICY.get(ctx)
    if known is None:
        known = _PHONE_POLICY[ctx] = dict(merged(ctx.policy)["phone"])
    return dict(known)


_PHONE_POLICY: "weakref.WeakKeyDictionary[ServerContext, dict[str, Any]]" = weakref.WeakKeyDictionary()


def sitting_over(ctx: ServerContext, s, sitting: Sitting) -> bool:
    return status_of(room_of(s, sitting), sitting, ctx.now_ms()) in OVER


def over_error() -> ApiError:
    return ApiError("phone.sitting_over", "本场考试已结束，手机可以停止拍摄了", "this exam is over; the phone can stop",
                    status=410)


def create_pairing(ctx: ServerContext, sitting_id: str, ticket: str, base_url: str) -> dict[str, Any]:
    ensure_tables(ctx.db)
    ttl_s = int(phone_policy(ctx)["pairing_ttl_s"])
    with ctx.db.write() as s:
        sitting = owned_sitting(s, sitting_id, ticket, lock=True)
        if sitting_over(ctx, s, sitting):
            raise over_error()
        now = ctx.now_ms()
        recent = s.scalar(select(func.count()).select_from(PhonePairing).where(
            PhonePairing.sitting_id == sitting_id, PhonePairing.created_at_ms > now - 3_600_000)) or 0
        if recent >= PAIRINGS_PER_HOUR:
            raise ApiError("rate.limited", "生成二维码过于频繁，请稍后再试", "too many pairing codes; try again later",
                           retry_after_s=60)
        token = secrets.token_urlsafe(32)
        pairing = PhonePairing(pairing_id=uuid.uuid4().hex, sitting_id=sitting_id, token_sha256=digest(token),
                               created_at_ms=now, expires_at_ms=now + ttl_s * 1000)
        s.add(pairing)
    event(log, "phone pairing issued", sitting_id=sitting_id, pairing_id=pairing.pairing_id, ttl_s=ttl_s)
    return {"pairing_id": pairing.pairing_id, "url": base_url.rstrip("/") + "/phone/#t=" + token,
            "expires_at_ms": pairing.expires_at_ms, "ttl_s": ttl_s}


def _masked(name: str) -> str:
    """张三丰 -> 张**: enough for the candidate to recognise their own exam, little for anyone else."""
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else ""


def claim(ctx: ServerContext, token: str, user_agent: str) -> dict[str, Any]:
    """Turn a pairing token into the phone's key, once. Refusals: unknown 404, used or expired 410."""
    ensure_tables(ctx.db)
    with ctx.db.write() as s:
        pairing = s.scalar(select(PhonePairing).where(PhonePairing.token_sha256 == digest(token))
                           .with_for_update())
        if pairing is None:
            raise ApiError("phone.pairing_unknown", "二维码无效，请在电脑上重新生成二维码后扫描",
                           "this pairing code is not valid; show a new code on the computer and scan it", status=404)
        now = ctx.now_ms()
        if pairing.claimed_at_ms is not None:
            raise ApiError("phone.pairing_used", "这个二维码已经用过了（每个二维码只能用一次），请在电脑上生成新的二维码",
                           "this pairing code was already used (each code works once); show a new code on the computer",
                           status=410)
        if now > pairing.expires_at_ms:
            raise ApiError("phone.pairing_expired", "二维码已过期，请在电脑上生成新的二维码",
                           "this pairing code has expired; show a new code on the computer", status=410,
                           expired_at_ms=pairing.expires_at_ms)
        sitting = s.get(Sitting, pairing.sitting_id)
        if sitting is None or sitting_over(ctx, s, sitting):
            raise over_error()
        key = secrets.token_urlsafe(32)
        pairing.key_sha256, pairing.claimed_at_ms, pairing.user_agent = digest(key), now, user_agent[:300]
        replaced = []
        for old in s.scalars(select(PhonePairing).where(PhonePairing.sitting_id == sitting.sitting_id,
                                                        PhonePairing.claimed_at_ms.is_not(None),
                                                        PhonePairing.revoked_at_ms.is_(None),
                                                        PhonePairing.pairing_id != pairing.pairing_id)):
            old.revoked_at_ms = now
            replaced.append(old.pairing_id)
        state = s.get(PhoneState, sitting.sitting_id)
        if state is not None:
            s.delete(state)
            s.flush()
        s.add(PhoneState(sitting_id=sitting.sitting_id, pairing_id=pairing.pairing_id, claimed_at_ms=now,
                         frames=0, bytes=0, last_seq=0, last_frame_sha256="", same_frames=0, stopped_noted=False,
                         visibility="unknown", battery_low_noted=False, wake_lock="unknown", facing="unknown",
                         width=0, height=0, last_interruption={}))
        s.add(PhoneEvent(sitting_id=sitting.sitting_id, pairing_id=pairing.pairing_id, type="paired", at_ms=now,
                         detail={"replaced": replaced, "user_agent": user_agent[:160]}))
        room = s.get(Room, sitting.room_id)
        paper = s.get(PaperRow, room.paper_id) if room is not None else None
        cand = s.get(Candidate, sitting.ticket)
        info = {"title": paper.title if paper else "", "kind": sitting.kind, "candidate": _masked(cand.name if cand else ""),
                "ticket_tail": sitting.ticket[-4:]}
        sid, pid = sitting.sitting_id, pairing.pairing_id
    event(log, "phone paired", sitting_id=sid, pairing_id=pid, replaced=len(replaced))
    return {"key": key, "pairing_id": pid, "sitting": info}


def pairing_for_key(s, key: str) -> PhonePairing:
    """The claimed pairing a phone key belongs to; 401 when unknown, 410 when a newer phone replaced it."""
    pairing = s.scalar(select(PhonePairing).where(PhonePairing.key_sha256 == digest(key)))
    if pairing is None:
        raise ApiError("phone.unpaired", "这部手机尚未配对，请扫描电脑上的二维码",
                       "this phone is not paired; scan the code shown on the computer", status=401)
    if pairing.revoked_at_ms is not None:
        raise ApiError("phone.replaced", "已有另一部手机（或新的二维码）接替了这部手机，本页面可以关闭",
                       "another phone (or a newer code) has replaced this one; you can close this page", status=410)
    return pairing
