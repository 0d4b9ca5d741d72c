"""Monitoring events with hold and clear times, and the watch policy's defaults (no Qt, no threads).

A condition (seen or not, per analysed frame or audio frame) becomes an event only after it held
for `hold_s`; it ends after it was gone for `clear_s`. A gap shorter than `gap_s` (one missed
detection, a blink) neither restarts the hold nor ends the event. Times are whatever clock the
caller feeds (monotonic seconds or media time); events carry the time the condition began
(`t` of a "start") or stopped (`t` of an "end") and `confirmed_t`, when the rule fired.

DEFAULT_POLICY is the one place the defaults live; `policy_with(overrides)` merges a server's
policy (same shape, any subset) over them and refuses malformed values with a clear message.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

LOG, WARN_CANDIDATE, NOTIFY_PROCTOR = "log", "warn_candidate", "notify_proctor"
ACTIONS = (LOG, WARN_CANDIDATE, NOTIFY_PROCTOR)
SEVERITIES = ("info", "warn", "alert")


def _rule(hold_s: float, clear_s: float, severity: str, action: str) -> Dict[str, Any]:
    return {"hold_s": hold_s, "clear_s": clear_s, "severity": severity, "action": action}


DEFAULT_POLICY: Dict[str, Any] = {
    "camera": {
        "analysis_fps": 5.0,          # frames per second the watch expects to be fed (newest frame only)
        "detect_width": 320,          # the detector runs on a copy this wide
        "detect_every": 3,            # between detections the face is tracked; re-detect sooner when the track changes
        "detector": "auto",           # auto (yuface where installed, else haar) | yuface | haar
        "gap_s": 0.5,
        "rules": {
            "camera.face_absent": _rule(5.0, 2.0, "warn", WARN_CANDIDATE),
            "camera.multiple_faces": _rule(2.0, 2.0, "alert", NOTIFY_PROCTOR),
            "camera.face_turned": _rule(4.0, 1.5, "warn", WARN_CANDIDATE),
            "camera.face_covered": _rule(4.0, 1.5, "warn", WARN_CANDIDATE),
            "camera.out_of_frame": _rule(5.0, 2.0, "info", WARN_CANDIDATE),
            "camera.blocked": _rule(3.0, 1.5, "alert", NOTIFY_PROCTOR),
            "camera.frozen": _rule(5.0, 1.5, "alert", NOTIFY_PROCTOR),
            "camera.dark": _rule(5.0, 2.0, "warn", WARN_CANDIDATE),
        },
        "thresholds": {
            "min_face_score": 0.6,    # weaker detections are not counted as a face
            "extra_face_score": 0.75,  # a second face must be this sure (blurred posters, patterns)
            "turned_yaw": 0.55,       # |nose offset / eye distance| (frontal webcam views stay under 0.35)
            "pitch_down": 0.85,       # nose almost level with the mouth: head bowed far down
            "covered_match": 0.55,     # lower face vs the candidate's own reference (NCC) below this...
            "covered_gap": 0.2,       # ... while the upper face still matches this much better: covered
            "head_match": 0.75,       # no face, but the top of the head still where it was (NCC): hidden, not gone
            "min_face_width": 0.06,   # face narrower than this share of the frame: too far
            "edge_cut": 0.3,          # share of the face box outside the picture: out of frame
            "black_mean": 12.0, "black_contrast": 6.0,
            "dark_mean": 25.0,        # grey level of the whole picture: lighting collapsed...
            "dark_face": 22.0,        # ... unless a face is found and brighter than this
            "frozen_diff": 0.05,      # mean |difference| to the previous frame: a live sensor never repeats
        },
    },
    "audio": {
        "gap_s": 0.3,
        "rules": {
            "audio.talking": _rule(2.0, 3.0, "warn", NOTIFY_PROCTOR),
            "audio.loud_noise": _rule(0.2, 2.0, "info", LOG),
            "audio.muted": _rule(10.0, 1.0, "warn", WARN_CANDIDATE),
            "audio.lost": _rule(0.0, 0.0, "alert", NOTIFY_PROCTOR),
        },
        "thresholds": {
            "vad": "auto",              # auto (webrtcvad where installed, else pitch) | webrtcvad | pitch
            "talk_window_s": 3.0,       # voice activity is judged over this window...
            "talk_share": 0.3,          # ... talking when this share of its frames is voiced speech
            "speech_margin_db": 12.0,   # voiced frames must stand this far above the room's floor
            "speech_min_dbfs": -55.0,
            "loud_dbfs": -14.0,         # RMS over 0.2 s at 16 kHz: a shout, a door slam, music turned up
            "silence_peak": 1,          # |sample| <= this for the whole frame: digital silence (muted)
        },
    },
}


class PolicyError(ValueError):
    """A policy value has the wrong shape; the message names the key."""


def policy_with(overrides: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """DEFAULT_POLICY with `overrides` merged in (nested dicts merge; values keep their types)."""
    merged = copy.deepcopy(DEFAULT_POLICY)
    _merge(merged, overrides or {}, "")
    for part in ("camera", "audio"):
        for name, rule in merged[part]["rules"].items():
            if rule["severity"] not in SEVERITIES or rule["action"] not in ACTIONS:
                raise PolicyError("policy %s.rules.%s: severity must be one of %s, action one of %s"
                                  % (part, name, SEVERITIES, ACTIONS))
            if rule["hold_s"] < 0 or rule["clear_s"] < 0:
                raise PolicyError("policy %s.rules.%s: hold_s and clear_s must be >= 0" % (part, name))
    return merged


def _merge(into: Dict[str, Any], new: Mapping[str, Any], path: str) -> None:
    for key, value in new.items():
        where = path + key
        if key not in into:
            if path.endswith("rules."):
                raise PolicyError("policy %s: unknown event type" % where)
            raise PolicyError("policy %s: unknown key" % where)
        old = into[key]
        if isinstance(old, dict):
            if not isinstance(value, Mapping):
                raise PolicyError("policy %s: expected an object" % where)
            _merge(old, value, where + ".")
        elif isinstance(old, bool) or isinstance(old, str):
            if type(value) is not type(old):
                raise PolicyError("policy %s: expected %s" % (where, type(old).__name__))
            into[key] = value
        else:  # numbers
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise PolicyError("policy %s: expected a number" % where)
            into[key] = type(old)(value) if isinstance(old, float) else value


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
