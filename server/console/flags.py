"""Flags: the warn/alert events of a sitting, paired start to end, with their reviews, ranked.

Ranking (docs/proctor.md, "How flags are ranked"):
- points of a flag = severity (alert 3, warn 1) x weight of its kind (3 integrity: someone or something
  may be helping; 2 interrupted: the watch itself stopped, which the seed forbids; 1 behaviour: the
  candidate was warned on screen) x 2 when it lasted (or has been going on for) LONG_S or more;
- a sitting's review priority = the points of its open (unreviewed) flags: high >= 9 (an integrity alert,
  or an interruption alert that lasted), medium >= 3, low >= 1;
- the queue: open before reviewed, then more points, then alert before warn, then the older first
  (the one waiting longest), then sitting and sequence (a stable order).
"""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from server.console.opscan import SCAN
from server.db import FlagReview

SEVERITY_POINTS = {"alert": 3, "warn": 1}
LONG_S = 60.0
INTEGRITY, INTERRUPTED, BEHAVIOUR = "integrity", "interrupted", "behaviour"
WEIGHTS = {INTEGRITY: 3, INTERRUPTED: 2, BEHAVIOUR: 1}
CATEGORY = {
    # another person, another device or program, or a way around the lockdown
    "camera.multiple_faces": INTEGRITY, "audio.talking": INTEGRITY, "lockdown.hidden_overlay": INTEGRITY,
    "lockdown.forbidden_program": INTEGRITY, "lockdown.remote_session": INTEGRITY,
    "lockdown.injected_input": INTEGRITY, "lockdown.virtual_machine": INTEGRITY,
    "lockdown.capture_block": INTEGRITY, "lockdown.desktop_switched": INTEGRITY,
    "lockdown.session_switched": INTEGRITY, "lockdown.display_changed": INTEGRITY,
    # the watch stopped: "the video monitoring must never be interrupted"
    "camera.blocked": INTERRUPTED, "camera.frozen": INTERRUPTED, "camera.lost": INTERRUPTED,
    "audio.lost": INTERRUPTED, "audio.muted": INTERRUPTED, "lockdown.operation_failed": INTERRUPTED,
    "lockdown.unclean_exit": INTERRUPTED, "lockdown.focus_lost": INTERRUPTED, "evidence_changed": INTERRUPTED,
    "phone.feed_stopped": INTERRUPTED, "phone.frozen": INTERRUPTED, "phone.hidden": INTERRUPTED,
    "phone.missing": INTERRUPTED, "phone.battery_low": INTERRUPTED,
}
PREFIX_CATEGORY = (("phone.", INTERRUPTED),)
OUTCOMES = ("no_issue", "concern")


def category_of(kind: str) -> str:
    if kind in CATEGORY:
        return CATEGORY[kind]
    for prefix, cat in PREFIX_CATEGORY:
        if kind.startswith(prefix):
            return cat
    return BEHAVIOUR


@dataclass
class Flag:
    sitting_id: str
    seq: int
    type: str
    severity: str
    t_exam_ms: int
    received_at_ms: int
    detail: dict[str, Any]
    end_seq: int | None = None
    duration_s: float | None = None
    ongoing: bool = False
    review: dict[str, Any] | None = None
    points: int = 0
    category: str = BEHAVIOUR
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.review is None

    def rank_key(self) -> tuple:
        return (0 if self.open else 1, -self.points, -SEVERITY_POINTS.get(self.severity, 0), self.received_at_ms,
                self.sitting_id, self.seq)

    def view(self) -> dict[str, Any]:
        return {"sitting_id": self.sitting_id, "seq": self.seq, "type": self.type, "severity": self.severity,
                "category": self.category, "points": self.points, "t_exam_ms": self.t_exam_ms,
                "received_at_ms": self.received_at_ms, "detail": self.detail, "end_seq": self.end_seq,
                "duration_s": self.duration_s, "ongoing": self.ongoing, "open": self.open, "review": self.review,
                "evidence": self.evidence}


def _duration(start: Flag, end_payload: dict[str, Any], end_t_exam_ms: int) -> float:
    d = (end_payload.get("detail") or {}).get("duration_s")
    if isinstance(d, (int, float)) and not isinstance(d, bool) and d >= 0:
        return float(d)
    return max(0.0, (end_t_exam_ms - start.t_exam_ms) / 1000.0)


def build_flags(rows: list[tuple[str, int, Any, int, int]], reviews: dict[tuple[str, int], dict[str, Any]],
                now_ms: int) -> dict[str, list[Flag]]:
    """rows: (sitting_id, seq, payload, t_exam_ms, received_at_ms) of event ops in seq order per sitting."""
    out: dict[str, list[Flag]] = {}
    started: dict[tuple[str, str], Flag] = {}
    for sid, seq, payload, t_exam_ms, received in rows:
        if not isinstance(payload, dict) or payload.get("severity") not in SEVERITY_POINTS:
            continue
        kind = str(payload.get("type", ""))[:64]
        raw = payload.get("detail")
        detail: dict[str, Any] = raw if isinstance(raw, dict) else {}
        state = detail.get("state")
        if state == "end":
            start = started.pop((sid, kind), None)
            if start is not None:
                start.end_seq, start.duration_s = seq, _duration(start, payload, t_exam_ms)
            continue
        flag = Flag(sid, seq, kind, payload["severity"], t_exam_ms, received, detail,
                    review=reviews.get((sid, seq)), category=category_of(kind))
        if state == "start":
            started[(sid, kind)] = flag
        out.setdefault(sid, []).append(flag)
    for flag in started.values():   # still going on
        flag.ongoing = True
        flag.duration_s = max(0.0, (now_ms - flag.received_at_ms) / 1000.0)
    for flags in out.values():
        for f in flags:
            long = f.duration_s is not None and f.duration_s >= LONG_S
            f.points = SEVERITY_POINTS[f.severity] * WEIGHTS[f.category] * (2 if long else 1)
    return out


def review_view(r: FlagReview) -> dict[str, Any]:
    return {"outcome": r.outcome, "note": r.note, "reviewer": r.reviewer, "reviewed_at_ms": r.reviewed_at_ms}


def flags_of(session, acked: dict[str, int], now_ms: int) -> dict[str, list[Flag]]:
    """The flags of the sittings in `acked` ({sitting_id: acked_seq}), with their reviews."""
    if not acked:
        return {}
    scanned = SCAN.read(session, acked)
    reviews = {(r.sitting_id, r.seq): review_view(r)
               for r in session.scalars(select(FlagReview).where(FlagReview.sitting_id.in_(list(acked))))}
    return build_flags([row for sid in acked for row in scanned[sid].events], reviews, now_ms)


def priority(flags: list[Flag]) -> int:
    return sum(f.points for f in flags if f.open)


def band(points: int) -> str:
    return "high" if points >= 9 else "medium" if points >= 3 else "low" if points >= 1 else "none"


def ranked(flags: list[Flag]) -> list[Flag]:
    return sorted(flags, key=Flag.rank_key)
