"""During the exam: per-frame camera metrics -> monitoring events, with hysteresis so a blink, a
glance or one missed detection never raises a flag (false flags cost candidates their exam).

A condition must hold for `hold_s` before its event starts, and be gone for `clear_s` before it
ends. Time is passed in (monotonic seconds, or a video's timestamps), so recorded video gives the
same events as a live camera. The UI/app hands events to `ExamEngine.report_event`. No Qt.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from client.monitor.frame_analysis import FrameMetrics


@dataclass(frozen=True)
class Rule:
    type: str            # event type: face_absent | multiple_faces | camera_blocked | camera_frozen | face_turned
    severity: str        # info | warn | alert
    hold_s: float
    clear_s: float = 1.5


DEFAULT_RULES = (
    Rule("camera_blocked", "alert", 3.0),
    Rule("camera_frozen", "alert", 5.0),
    Rule("multiple_faces", "alert", 2.0),
    Rule("face_absent", "warn", 5.0),
    Rule("face_turned", "info", 6.0),
)


@dataclass
class PresenceEvent:
    type: str
    severity: str
    state: str                 # start | end
    t: float                   # when the condition began (start) or cleared (end)
    detail: Dict[str, Any] = field(default_factory=dict)


@dataclass
class _Track:
    since: Optional[float] = None      # condition seen continuously since
    cleared: Optional[float] = None    # condition absent continuously since
    active: bool = False
    peak: int = 0


class PresenceWatch:
    def __init__(self, rules: tuple = DEFAULT_RULES, frozen_diff: float = 0.05) -> None:
        self.rules = {r.type: r for r in rules}
        self.frozen_diff = frozen_diff
        self._tracks = {r.type: _Track() for r in rules}

    def conditions(self, m: FrameMetrics) -> Dict[str, int]:
        """Which conditions this frame shows (value: a count for the detail)."""
        out: Dict[str, int] = {}
        if m.black:
            out["camera_blocked"] = 1
        elif m.diff_prev is not None and m.diff_prev < self.frozen_diff:
            out["camera_frozen"] = 1
        if not m.black:
            if m.face_count >= 2:
                out["multiple_faces"] = m.face_count
            elif m.face_count == 0:
                out["face_turned" if m.profiles else "face_absent"] = 1
        return out

    def feed(self, m: FrameMetrics, t: float) -> List[PresenceEvent]:
        seen = self.conditions(m)
        events: List[PresenceEvent] = []
        for kind, rule in self.rules.items():
            tr = self._tracks[kind]
            if kind in seen:
                tr.cleared = None
                tr.since = t if tr.since is None else tr.since
                tr.peak = max(tr.peak, seen[kind])
                if not tr.active and t - tr.since >= rule.hold_s:
                    tr.active = True
                    events.append(PresenceEvent(kind, rule.severity, "start", tr.since,
                                                {"count": tr.peak, "held_s": round(t - tr.since, 2)}))
            else:
                if tr.active:
                    tr.cleared = t if tr.cleared is None else tr.cleared
                    if t - tr.cleared >= rule.clear_s:
                        events.append(PresenceEvent(kind, rule.severity, "end", tr.cleared,
                                                    {"duration_s": round(tr.cleared - (tr.since or t), 2),
                                                     "count": tr.peak}))
                        tr.active, tr.since, tr.cleared, tr.peak = False, None, None, 0
                else:
                    tr.since, tr.peak = None, 0
        return events

    def active(self) -> List[str]:
        return sorted(k for k, tr in self._tracks.items() if tr.active)
