"""Monitoring events with hold and clear times, and the watch policy's defaults (no Qt, no threads).

A condition (seen or not, per analysed frame or audio frame) becomes an event only after it held
for `hold_s`; it ends after it was gone for `clear_s`. A gap shorter than `gap_s` (one missed
detection, a blink) neither restarts the hold nor ends the event. Times are whatever clock the
caller feeds (monotonic seconds or media time); events carry the time the condition began
(`t` of a "start") or stopped (`t` of an "end") and `confirmed_t`, when the rule fired.

The defaults live in examcore.monitor_policy (shared with the server, which serves them per room);
`policy_with(overrides)` merges a server's policy (same shape, any subset) over them and refuses
malformed values with a clear message.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

from examcore.monitor_policy import (  # noqa: F401 - re-exported: the names the watches always used
    ACTIONS,
    LOG,
    MONITOR_DEFAULTS,
    NOTIFY_PROCTOR,
    SEVERITIES,
    WARN_CANDIDATE,
    PolicyError,
    monitor_policy,
)

# the defaults and their validation live in the shared core, so the server serves the same shape
DEFAULT_POLICY = MONITOR_DEFAULTS


def policy_with(overrides: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """DEFAULT_POLICY with `overrides` merged in (nested dicts merge; values keep their types);
    raises PolicyError naming the key of a malformed value."""
    return monitor_policy(overrides, strict=True)


@dataclass
class MonitorEvent:
    type: str                     # namespaced: camera.face_absent, audio.talking, ...
    severity: str                 # info | warn | alert
    state: str                    # start | end
    t: float                      # when the condition began (start) or went away (end)
    detail: Dict[str, Any] = field(default_factory=dict)
    action: str = LOG             # log | warn_candidate | notify_proctor (from the policy)
    confirmed_t: float = 0.0      # when the hold (start) or clear (end) time was over


@dataclass
class _Hold:
    since: Optional[float] = None     # condition seen (with gaps < gap_s) since
    last_seen: Optional[float] = None
    evidence: float = float("inf")    # last time the condition's own evidence was there (<= last_seen)
    active: bool = False
    started: float = 0.0
    peak: Dict[str, Any] = field(default_factory=dict)


class RuleBook:
    """Hold/clear bookkeeping for a set of event types (one policy part's rules)."""

    def __init__(self, rules: Mapping[str, Mapping[str, Any]], gap_s: float) -> None:
        self.rules = {k: dict(v) for k, v in rules.items()}
        self.gap_s = gap_s
        self._holds = {k: _Hold() for k in self.rules}

    def update(self, seen: Mapping[str, Dict[str, Any]], t: float) -> List[MonitorEvent]:
        """`seen`: the conditions present at time t (type -> detail; a detail's "since_t" and
        "last_t" date the condition's onset and its last evidence, for conditions judged over a window). Returns the events now due."""
        out: List[MonitorEvent] = []
        for kind, rule in self.rules.items():
            h = self._holds[kind]
            if kind in seen:
                detail = dict(seen[kind])
                onset = detail.pop("since_t", None)   # a condition judged over a window knows when it began...
                evidence = detail.pop("last_t", t)    # ... and when it was last really there
                if h.since is None or (h.last_seen is not None and t - h.last_seen > self.gap_s and not h.active):
                    h.since, h.peak = (t if onset is None else min(t, float(onset))), {}
                h.last_seen, h.evidence = t, float(evidence)
                _keep_peak(h.peak, detail)
                if not h.active and t - h.since >= rule["hold_s"]:
                    h.active, h.started = True, h.since
                    out.append(self._event(kind, "start", h.since, t, dict(h.peak, held_s=round(t - h.since, 2))))
            elif h.since is not None:
                gone_since = h.last_seen if h.last_seen is not None else t
                if h.active:
                    if t - gone_since >= max(rule["clear_s"], 1e-9) or rule["clear_s"] == 0:
                        out.append(self._event(kind, "end", min(gone_since, h.evidence), t,
                                               dict(h.peak, duration_s=round(gone_since - h.started, 2))))
                        self._holds[kind] = _Hold()
                elif t - gone_since > self.gap_s:
                    self._holds[kind] = _Hold()
        return out

    def close(self, t: float) -> List[MonitorEvent]:
        """End every active event at t (the watch stops: end of exam, camera handed back)."""
        out = []
        for kind, h in self._holds.items():
            if h.active:
                out.append(self._event(kind, "end", t, t, dict(h.peak, duration_s=round(t - h.started, 2))))
            self._holds[kind] = _Hold()
        return out

    def active(self) -> List[str]:
        return sorted(k for k, h in self._holds.items() if h.active)

    def _event(self, kind: str, state: str, t: float, now: float, detail: Dict[str, Any]) -> MonitorEvent:
        rule = self.rules[kind]
        return MonitorEvent(kind, rule["severity"], state, round(t, 3), detail, rule["action"], round(now, 3))


def _keep_peak(peak: Dict[str, Any], detail: Mapping[str, Any]) -> None:
    """Numbers keep their maximum over the event, other values their latest."""
    for k, v in detail.items():
        if isinstance(v, (int, float)) and not isinstance(v, bool) and isinstance(peak.get(k), (int, float)):
            peak[k] = max(peak[k], v)
        else:
            peak[k] = v
