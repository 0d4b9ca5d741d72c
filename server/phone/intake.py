"""Frame and status intake from the phone page, and what the server makes of it.

The server sees the frames, so it is the one judge of the phone's state (docs/protocol.md, "Phone"):
`live`, `hidden` (the page said so), `stopped` (no frame for longer than the policy's `stalled_s`, or
the page said it is closing), `frozen` (the same bytes again and again), `connecting`, `pairing`,
`unpaired`. Each change is recorded as a phone event in server time; a stop is recorded the first
time anyone asks after it happened (dated when it happened), so no background task is needed.
"""

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from server.context import ServerContext
from server.db import Sitting
from server.errors import ApiError
from server.phone.evidence import folder_of, frame_view, purge_if_due, store_for
from server.phone.live import LiveFrames
from server.phone.models import PhoneEvent, PhoneFrame, PhonePairing, PhoneState, ensure_tables
from server.phone.pairing import over_error, pairing_for_key, phone_policy, sitting_over

log = logging.getLogger("examdesk.server.phone")
FROZEN_AFTER = 3       # identical frames in a row: the page is resending one picture
HEADERS_BYTES = 1000   # a frame request's headers with TLS and TCP/IP overhead (bench/phone.py measures them)
MAX_SIDE = 1920


@dataclass
class Beat:
    """The small status every frame and status request carries (None: the browser does not say)."""
    visibility: str = "unknown"
    battery_level: float | None = None
    charging: bool | None = None
    wake_lock: str | None = None
    facing: str | None = None


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a JPEG's frame header, without decoding it; ValueError if it is not a JPEG."""
    if len(data) < 4 or data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG (no SOI marker)")
    i, n = 2, len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            raise ValueError("broken JPEG segment at byte %d" % i)
        marker = data[i + 1]
        if marker == 0xFF:          # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if length < 2:
            raise ValueError("broken JPEG segment length")
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            if i + 9 > n:
                break
            h, w = int.from_bytes(data[i + 5:i + 7], "big"), int.from_bytes(data[i + 7:i + 9], "big")
            if not (0 < w <= MAX_SIDE and 0 < h <= MAX_SIDE):
                raise ValueError("JPEG size %dx%d out of range" % (w, h))
            return w, h
        if marker == 0xDA:          # scan data before any frame header
            break
        i += 2 + length
    raise ValueError("no JPEG frame header")


def _event(s, st: PhoneState, kind: str, at_ms: int, **detail: Any) -> None:
    s.add(PhoneEvent(sitting_id=st.sitting_id, pairing_id=st.pairing_id, type=kind, at_ms=at_ms, detail=detail))


def _apply_beat(s, st: PhoneState, beat: Beat, now: int, battery_low: float) -> None:
    if beat.visibility in ("visible", "hidden") and beat.visibility != st.visibility:
        if st.visibility != "unknown" or beat.visibility == "hidden":
            _event(s, st, beat.visibility, now)
        st.visibility, st.visibility_since_ms = beat.visibility, now
    if beat.battery_level is not None:
        st.battery_level = round(min(1.0, max(0.0, beat.battery_level)), 3)
    if beat.charging is not None:
        st.charging = beat.charging
    if beat.wake_lock:
        st.wake_lock = beat.wake_lock
    if beat.facing:
        st.facing = beat.facing
    low = st.battery_level is not None and st.battery_level < battery_low and st.charging is not True
    if low and not st.battery_low_noted:
        st.battery_low_noted = True
        _event(s, st, "battery_low", now, level=st.battery_level, charging=st.charging)
    elif st.battery_low_noted and not low:
        st.battery_low_noted = False
        _event(s, st, "battery_ok", now, level=st.battery_level, charging=st.charging)
    st.last_beat_at_ms = now


def _current_state(s, key: str) -> tuple[PhonePairing, PhoneState]:
    pairing = pairing_for_key(s, key)
    st = s.get(PhoneState, pairing.sitting_id, with_for_update=True)
    if st is None or st.pairing_id != pairing.pairing_id:   # replaced between the two reads
        raise ApiError("phone.replaced", "已有另一部手机接替了这部手机，本页面可以关闭",
                       "another phone has replaced this one; you can close this page", status=410)
    return pairing, st


def pacing(ctx: ServerContext, live: LiveFrames, sitting_id: str, last_bytes: int | None = None) -> dict[str, Any]:
    """How the phone should send next: faster while a live view watches (the candidate adjusting the angle);
    in the exam, at a quality that keeps the frames within the upstream budget (`max_kbps`)."""
    pol = phone_policy(ctx)
    setup = live.watched(sitting_id)
    interval = float(pol["setup_interval_s"] if setup else pol["interval_s"])
    default_q = float(pol["jpeg_quality"])
    budget = float(pol["max_kbps"]) * 1000 / 8 * float(pol["interval_s"]) - HEADERS_BYTES
    quality = default_q if setup else live.quality(sitting_id, default_q, last_bytes, budget)
    return {"next_in_ms": int(interval * 1000), "mode": "setup" if setup else "exam",
            "max_width": int(pol["max_width"]), "quality": quality, "server_time_ms": ctx.now_ms()}


def ingest_frame(ctx: ServerContext, live: LiveFrames, key: str, jpeg: bytes, seq: int, beat: Beat) -> dict[str, Any]:
    ensure_tables(ctx.db)
    pol = phone_policy(ctx)
    if len(jpeg) > int(pol["max_frame_bytes"]):
        raise ApiError("request.too_large", "画面过大（%d 字节，上限 %d）" % (len(jpeg), pol["max_frame_bytes"]),
                       "frame too large (%d bytes, limit %d)" % (len(jpeg), pol["max_frame_bytes"]),
                       status=413, max_bytes=int(pol["max_frame_bytes"]))
    try:
        width, height = jpeg_size(jpeg)
    except ValueError as e:
        raise ApiError("phone.bad_frame", "画面不是有效的 JPEG 图片", "the frame is not a valid JPEG: %s" % e,
                       status=422) from None
    sha = hashlib.sha256(jpeg).hexdigest()
    stalled_ms = int(float(pol["stalled_s"]) * 1000)
    kept: str | None = None
    with ctx.db.write() as s:
        pairing, st = _current_state(s, key)
        sitting = s.get(Sitting, pairing.sitting_id)
        if sitting is None or sitting_over(ctx, s, sitting):
            raise over_error()
        now = ctx.now_ms()
        first = st.last_frame_at_ms is None
        gap = None if first else now - int(st.last_frame_at_ms or 0)
        resumed = (gap is not None and gap > stalled_ms) or st.closed_at_ms is not None
        if resumed:
            if not st.stopped_noted:   # nobody asked during the gap: record the stop, dated when it happened
                _note_stop(s, st, now, stalled_ms)
            _event(s, st, "resumed", now, gap_ms=gap, frames_before=st.frames)
        if first:
            _event(s, st, "live", now, width=width, height=height)
        if first or resumed:
            st.live_since_ms = now
        st.stopped_noted, st.closed_at_ms = False, None
        st.same_frames = st.same_frames + 1 if sha == st.last_frame_sha256 else 0
        st.frames, st.bytes, st.last_seq = st.frames + 1, st.bytes + len(jpeg), seq
        st.last_frame_at_ms, st.last_frame_sha256, st.width, st.height = now, sha, width, height
        _apply_beat(s, st, beat, now, float(pol["battery_low"]))
        due = st.last_evidence_at_ms is None or now - st.last_evidence_at_ms >= float(pol["evidence_every_s"]) * 1000
        if first or resumed or due:
            kept = "first" if first else "resumed" if resumed else "interval"
            store_key = "%s/%d-%d-%s.jpg" % (folder_of(st.sitting_id), now, seq, sha[:12])
            try:
                store_for(ctx).put(store_key, jpeg)
            except (OSError, ValueError) as e:   # evidence lost is logged; the live feed goes on
                log.error("phone frame of %s not kept: %s", st.sitting_id, e)
                kept = None
            if kept:
                s.add(PhoneFrame(sitting_id=st.sitting_id, pairing_id=st.pairing_id, seq=seq, received_at_ms=now,
                                 reason=kept, key=store_key, size=len(jpeg), sha256=sha, width=width, height=height,
                                 deleted=False))
                st.last_evidence_at_ms = now
        sid = st.sitting_id
    live.put(sid, seq, jpeg, now, width, height)
    if kept:
        purge_if_due(ctx, float(pol["retention_days"]))
    return pacing(ctx, live, sid, len(jpeg))


def ingest_beat(ctx: ServerContext, live: LiveFrames, key: str, kind: str, beat: Beat,
                interruption: dict[str, Any] | None, detail: str) -> dict[str, Any]:
    """A status beat: page shown/hidden, closing, camera trouble, battery, and what interrupted it."""
    ensure_tables(ctx.db)
    pol = phone_policy(ctx)
    with ctx.db.write() as s:
        pairing, st = _current_state(s, key)
        sitting = s.get(Sitting, pairing.sitting_id)
        if sitting is None or sitting_over(ctx, s, sitting):
            raise over_error()
        now = ctx.now_ms()
        _apply_beat(s, st, beat, now, float(pol["battery_low"]))
        if interruption:
            st.last_interruption = dict(interruption, at_ms=now)
            _event(s, st, "interrupted", now, **interruption)
        if kind == "closing":
            st.closed_at_ms = now
            _event(s, st, "closed", now)
        elif kind in ("camera_error", "wake_lock_failed", "started"):
            _event(s, st, kind, now, detail=detail[:200])
        sid = st.sitting_id
    if kind == "closing":
        live.drop(sid)
    return pacing(ctx, live, sid)


# -- the view: what the client and the proctor are told -------------------------------------------------
def _note_stop(s, st: PhoneState, now: int, stalled_ms: int) -> None:
    closed = st.closed_at_ms is not None
    at = st.closed_at_ms if st.closed_at_ms is not None else int(st.last_frame_at_ms or st.claimed_at_ms or now) + stalled_ms
    _event(s, st, "feed_stopped", min(at, now), noticed_at_ms=now, last_frame_at_ms=st.last_frame_at_ms,
           why="closed" if closed else "no_frames")
    st.stopped_noted = True


def _state_of(st: Any, now: int, stalled_ms: int) -> tuple[str, int | None]:
    if st.last_frame_at_ms is None:
        if st.closed_at_ms is not None:
            return "stopped", st.closed_at_ms
        return "connecting", st.claimed_at_ms
    if st.closed_at_ms is not None:
        return "stopped", st.closed_at_ms
    if now - st.last_frame_at_ms > stalled_ms:
        return "stopped", st.last_frame_at_ms
    if st.visibility == "hidden":
        return "hidden", st.visibility_since_ms
    if st.same_frames >= FROZEN_AFTER:
        return "frozen", st.last_frame_at_ms
    return "live", st.live_since_ms


def phone_status(ctx: ServerContext, sitting_id: str) -> dict[str, Any]:
    """The phone's state for a heartbeat answer or a live view (records a stop the first time it is seen)."""
    with ctx.db.read() as s:
        view, needs_note = phone_view(ctx, s, sitting_id, ctx.now_ms())
    return note_phone_stop(ctx, sitting_id) if needs_note else view


def phone_view(ctx: ServerContext, s, sitting_id: str, now: int) -> tuple[dict[str, Any], bool]:
    """The phone's state read in the caller's session, and whether a stop is still to be recorded
    (then the caller asks note_phone_stop, which writes it and answers the state after it)."""
    ensure_tables(ctx.db)
    st = s.get(PhoneState, sitting_id)
    waiting = st is None and s.scalar(select(PhonePairing.pairing_id).where(
        PhonePairing.sitting_id == sitting_id, PhonePairing.claimed_at_ms.is_(None),
        PhonePairing.expires_at_ms > now).limit(1)) is not None
    return view_of(ctx, st, waiting, now)


def view_of(ctx: ServerContext, st: Any, waiting: bool, now: int) -> tuple[dict[str, Any], bool]:
    """phone_view from a PhoneState (or any object with its fields; None: no phone has joined)."""
    pol = phone_policy(ctx)
    stalled_ms = int(float(pol["stalled_s"]) * 1000)
    base = {"required": bool(pol["required"]), "stalled_s": float(pol["stalled_s"])}
    if st is None:
        return dict(base, state="pairing" if waiting else "unpaired", pairing_id="", since_ms=None, last_frame_at_ms=None,
                    frames=0, bytes=0, visibility="unknown", battery_level=None, charging=None, battery_low=False,
                    wake_lock="unknown", facing="unknown", last_interruption={}), False
    state, since = _state_of(st, now, stalled_ms)
    return dict(base, state=state, pairing_id=st.pairing_id, since_ms=since, last_frame_at_ms=st.last_frame_at_ms,
                frames=st.frames, bytes=st.bytes,
                visibility=st.visibility, battery_level=st.battery_level, charging=st.charging,
                battery_low=st.battery_low_noted, wake_lock=st.wake_lock, facing=st.facing,
                last_interruption=dict(st.last_interruption or {})), state == "stopped" and not st.stopped_noted


def note_phone_stop(ctx: ServerContext, sitting_id: str) -> dict[str, Any]:
    stalled_ms = int(float(phone_policy(ctx)["stalled_s"]) * 1000)
    with ctx.db.write() as s:
        st = s.get(PhoneState, sitting_id, with_for_update=True)
        if st is not None and not st.stopped_noted and _state_of(st, ctx.now_ms(), stalled_ms)[0] == "stopped":
            _note_stop(s, st, ctx.now_ms(), stalled_ms)
    with ctx.db.read() as s:
        return phone_view(ctx, s, sitting_id, ctx.now_ms())[0]


def timeline_entries(ctx: ServerContext, s, sitting_id: str) -> list[dict[str, Any]]:
    """The phone's events and kept frames as timeline entries (admin timeline, `examdesk-server timeline`)."""
    ensure_tables(ctx.db)
    out: list[dict[str, Any]] = []
    for e in s.scalars(select(PhoneEvent).where(PhoneEvent.sitting_id == sitting_id)):
        out.append({"t_ms": e.at_ms, "type": "phone", "event": e.type, "pairing_id": e.pairing_id, "detail": e.detail})
    for f in s.scalars(select(PhoneFrame).where(PhoneFrame.sitting_id == sitting_id)):
        out.append(dict(frame_view(f), t_ms=f.received_at_ms, type="phone_frame"))
    return out
