"""The phone's in-exam events (no Qt): the server's reports of the second camera become start/end events.

The server sees the frames and decides the state (docs/protocol.md, "Phone"); the client records, in its
hash-chained journal, what it learnt and when, which is also when the candidate was told:
`phone.feed_stopped` (no frame for longer than the policy's stalled_s, or the page closed; alert),
`phone.hidden` (the page left the front: app switch, screen lock, a call; warn), `phone.frozen` (the
same picture again and again; alert), `phone.battery_low` (warn), and `phone.missing` (the policy requires
a phone and none is connected; alert).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from client.exam.api import PhoneStatus

CONDITIONS: Dict[str, Tuple[str, str]] = {   # event type -> (severity, what state it follows)
    "phone.feed_stopped": ("alert", "stopped"),
    "phone.hidden": ("warn", "hidden"),
    "phone.frozen": ("alert", "frozen"),
    "phone.battery_low": ("warn", "battery_low"),
    "phone.missing": ("alert", "missing"),
}
ABSENT = ("unpaired", "pairing", "connecting")

Event = Tuple[str, str, Dict[str, Any]]


class PhoneWatch:
    def __init__(self) -> None:
        self.active: Dict[str, Dict[str, Any]] = {}
        self.last: Optional[PhoneStatus] = None

    def conditions(self, s: PhoneStatus) -> List[str]:
        now = []
        if s.state == "stopped":
            now.append("phone.feed_stopped")
        elif s.state == "hidden":
            now.append("phone.hidden")
        elif s.state == "frozen":
            now.append("phone.frozen")
        if s.battery_low and s.state not in ABSENT:
            now.append("phone.battery_low")
        if s.required and s.state in ABSENT:
            now.append("phone.missing")
        return now

    def update(self, s: PhoneStatus) -> List[Event]:
        """The events this report starts and ends (an unknown state, e.g. offline, changes nothing)."""
        if s.state == "unknown":
            return []
        self.last = s
        out: List[Event] = []
        present = self.conditions(s)
        for kind in list(self.active):
            if kind not in present:
                started = self.active.pop(kind)
                detail = {"state": "end", "phone_state": s.state, "started_since_ms": started.get("since_ms")}
                if s.last_interruption:
                    detail["interruption"] = dict(s.last_interruption)
                out.append((kind, CONDITIONS[kind][0], detail))
        for kind in present:
            if kind not in self.active:
                detail = {"state": "start", "phone_state": s.state, "since_ms": s.since_ms,
                          "last_frame_at_ms": s.last_frame_at_ms}
                if kind == "phone.battery_low":
                    detail.update(battery_level=s.battery_level, charging=s.charging)
                if kind == "phone.feed_stopped":
                    detail["stalled_s"] = s.stalled_s
                self.active[kind] = detail
                out.append((kind, CONDITIONS[kind][0], detail))
        return out

    def close(self) -> List[Event]:
        """End what is still active (the exam is sealed)."""
        out = [(k, CONDITIONS[k][0], {"state": "end", "phone_state": "exam_over", "started_since_ms": d.get("since_ms")})
               for k, d in self.active.items()]
        self.active.clear()
        return out
