"""The second camera, engine side (no Qt): pairing, the live view, and the phone's state as the server reports it.

The server sees the phone's frames, so it judges the phone (live, hidden, stopped...); the client learns it
from every heartbeat answer (and from the live view while the self-check shows it) and tells its listeners
when it changes (`EngineListener.on_phone`): the UI's status light and messages, and the proctoring session,
which records what the candidate was told as events. `PhoneMixin` expects ExamService's attributes.
"""
from __future__ import annotations

import base64
import binascii
import logging
import threading
from typing import Any, Callable, Dict, Optional

from client.exam import api as A

log = logging.getLogger(__name__)
MAX_FRAME_B64 = 2 * 1024 * 1024


def _int(v: Any) -> Optional[int]:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def status_from(body: Any) -> A.PhoneStatus:
    """A PhoneStatus from the server's `phone` object; anything malformed reads as `unknown`, never raises."""
    if not isinstance(body, dict):
        return A.PhoneStatus()
    state = body.get("state") if body.get("state") in A.PHONE_STATES else "unknown"
    level = body.get("battery_level")
    level = float(level) if isinstance(level, (int, float)) and not isinstance(level, bool) and 0 <= level <= 1 else None
    charging = body.get("charging") if isinstance(body.get("charging"), bool) else None
    gap = body.get("last_interruption")
    stalled = body.get("stalled_s")
    return A.PhoneStatus(
        state=str(state), since_ms=_int(body.get("since_ms")), last_frame_at_ms=_int(body.get("last_frame_at_ms")),
        frames=_int(body.get("frames")) or 0, visibility=str(body.get("visibility") or "unknown")[:16],
        battery_level=level, charging=charging, battery_low=body.get("battery_low") is True,
        wake_lock=str(body.get("wake_lock") or "unknown")[:16], facing=str(body.get("facing") or "unknown")[:16],
        last_interruption=dict(gap) if isinstance(gap, dict) else {}, required=body.get("required") is True,
        stalled_s=float(stalled) if isinstance(stalled, (int, float)) and not isinstance(stalled, bool) else 20.0,
        pairing_id=str(body.get("pairing_id") or "")[:64])


def frame_from(body: Any) -> Optional[A.PhoneFrame]:
    if not isinstance(body, dict) or not isinstance(body.get("jpeg_b64"), str):
        return None
    raw = body["jpeg_b64"]
    if len(raw) > MAX_FRAME_B64:
        log.warning("phone frame too large (%d base64 characters): dropped", len(raw))
        return None
    try:
        jpeg = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        log.warning("phone frame is not valid base64: dropped")
        return None
    seq, at, w, h = (_int(body.get(k)) for k in ("seq", "received_at_ms", "width", "height"))
    if seq is None or at is None:
        return None
    return A.PhoneFrame(seq, jpeg, at, w or 0, h or 0)


def _significant(s: A.PhoneStatus) -> tuple:
    return (s.state, s.battery_low, s.visibility, s.wake_lock, s.facing, s.required, s.pairing_id,
            s.last_interruption.get("at_ms"))


class PhoneMixin:
    # provided by ExamService (SessionMixin)
    api: Any
    notify: Any
    _need_sitting: Callable[[], str]

    _phone_lock = threading.Lock()   # guards the last reported state of every service (tiny critical section)

    def pair_phone(self) -> A.PhonePairing:
        """A fresh one-time pairing URL for the selected sitting (raises EngineError, e.g. offline)."""
        sid = self._need_sitting()
        body = self.api.post("/sittings/%s/phone/pairing" % sid, {})
        if not isinstance(body, dict) or not isinstance(body.get("url"), str) or _int(body.get("expires_at_ms")) is None:
            raise A.EngineError("server.invalid", "服务器返回的配对信息无效。", "the server's pairing answer is invalid")
        return A.PhonePairing(str(body.get("pairing_id", "")), body["url"], int(body["expires_at_ms"]),
                              _int(body.get("ttl_s")) or 300)

    def phone_live(self, after_seq: int) -> A.PhoneLive:
        """The phone's state and its newest frame when newer than `after_seq` (the self-check's live view)."""
        sid = self._need_sitting()
        body = self.api.get("/sittings/%s/phone?after_seq=%d" % (sid, max(0, int(after_seq))))
        if not isinstance(body, dict):
            raise A.EngineError("server.invalid", "服务器返回的手机画面无效。", "the server's phone answer is invalid")
        status = status_from(body.get("status"))
        self._set_phone(status)
        return A.PhoneLive(status, frame_from(body.get("frame")))

    def phone_status(self) -> A.PhoneStatus:
        return getattr(self, "_phone", None) or A.PhoneStatus()

    def _set_phone(self, status: A.PhoneStatus) -> None:
        with self._phone_lock:
            old = getattr(self, "_phone", None)
            self._phone = status
        if old is None or _significant(old) != _significant(status):
            self.notify.phone(status)

    def _phone_from_heartbeat(self, body: Dict[str, Any]) -> None:
        if "phone" in body:
            self._set_phone(status_from(body.get("phone")))
