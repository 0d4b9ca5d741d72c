"""The in-exam monitoring policy: one definition of its shape and defaults, for the client's watch and
the server that serves it per room (the "monitor" section of examcore.policy.DEFAULT_POLICY).

    monitor_policy(overrides)                # defaults + overrides; PolicyError names the bad key
    monitor_policy(overrides, strict=False)  # the same, but a bad value keeps its default (logged)

Parts: `capture` (camera frame rate, reopening), `camera` and `audio` (the watches: rules with hold and
clear times, thresholds), `devices` (camera lost / taken by another program), `microphone` (the input
stream) and `evidence` (snippets around events, snapshots, sizes and budgets). A rule is
{hold_s, clear_s, severity, action, evidence}: a condition must hold for hold_s to start an event and
be gone for clear_s to end it; `action` says who is told (log only, warn the candidate, notify the
proctor); `evidence` whether its start cuts a snippet. No Qt, no numpy.
"""
from __future__ import annotations

import copy
import logging
from typing import Any, Dict, List, Mapping, Optional, Tuple

log = logging.getLogger(__name__)

LOG, WARN_CANDIDATE, NOTIFY_PROCTOR = "log", "warn_candidate", "notify_proctor"
ACTIONS = (LOG, WARN_CANDIDATE, NOTIFY_PROCTOR)
SEVERITIES = ("info", "warn", "alert")
RULE_PARTS = ("camera", "audio", "devices")


def _rule(hold_s: float, clear_s: float, severity: str, action: str, evidence: bool = True) -> Dict[str, Any]:
    return {"hold_s": hold_s, "clear_s": clear_s, "severity": severity, "action": action, "evidence": evidence}


MONITOR_DEFAULTS: Dict[str, Any] = {
    "capture": {
        "fps": 15.0,                  # frames per second read from the camera (thumbnail, analysis, evidence)
        "retry_s": 2.0,               # a camera that failed is reopened this often
        "stall_s": 3.0,               # no frame for this long while open: the camera is lost
    },
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
    "devices": {
        "gap_s": 1.0,                 # the device rules are judged every 0.2 s; a shorter gap is one condition
        "rules": {
            "camera.lost": _rule(3.0, 1.0, "alert", NOTIFY_PROCTOR),    # unplugged, stream ended, no frames
            "camera.taken": _rule(3.0, 1.0, "alert", NOTIFY_PROCTOR),   # there, but another program holds it
        },
    },
    "microphone": {
        "enabled": True,
        "samplerate": 0,              # 0 = the device's default rate
        "block_s": 0.1,               # PortAudio delivers blocks this long
        "stall_s": 2.0,               # no block for this long: the stream stopped (audio.lost)
        "retry_s": 2.0,               # a stopped or missing microphone is reopened this often
    },
    "evidence": {
        "enabled": True,
        "pre_s": 5.0,                 # a snippet starts this long before the condition began...
        "post_s": 5.0,                # ... and ends this long after it
        "fps": 5.0,                   # snippet frame rate (<= 10)
        "width": 320,                 # snippet frame width (height keeps the camera's aspect)
        "max_bytes": 200000,          # a snippet larger than this is cut again at half the rate, then half the size
        "audio_rate": 8000,           # audio in snippets of audio events: G.711 mu-law WAV at this rate
        "codecs": ["mp4v"],           # video codecs tried in order (cv2 fourcc); the first that reads back is used
        "snapshot_interval_s": 60.0,  # a still picture this often (0 = none)
        "snapshot_width": 480,
        "snapshot_quality": 60,       # JPEG quality
        "max_bytes_per_hour": 30000000,  # evidence over any 60 minutes; beyond it events go without snippets
    },
}

# (low, high) for numbers that would break the pipeline or the privacy promise outside them
RANGES: Dict[str, Tuple[float, float]] = {
    "capture.fps": (1.0, 30.0), "capture.retry_s": (0.1, 60.0), "capture.stall_s": (0.5, 60.0),
    "camera.analysis_fps": (0.5, 15.0), "camera.detect_width": (80, 1280), "camera.detect_every": (1, 30),
    "microphone.samplerate": (0, 192000), "microphone.block_s": (0.01, 1.0), "microphone.stall_s": (0.2, 60.0),
    "microphone.retry_s": (0.1, 60.0),
    "evidence.pre_s": (0.0, 30.0), "evidence.post_s": (0.0, 30.0), "evidence.fps": (1.0, 10.0),
    "evidence.width": (64, 1280), "evidence.max_bytes": (10000, 5000000), "evidence.audio_rate": (4000, 16000),
    "evidence.snapshot_interval_s": (0.0, 3600.0), "evidence.snapshot_width": (64, 1920),
    "evidence.snapshot_quality": (10, 95), "evidence.max_bytes_per_hour": (0, 500000000),
}


class PolicyError(ValueError):
    """A policy value has the wrong shape; the message names the key."""


def monitor_policy(overrides: Optional[Mapping[str, Any]] = None, strict: bool = True) -> Dict[str, Any]:
    """MONITOR_DEFAULTS with `overrides` merged in (nested objects merge key by key; values keep their
    types). strict: a malformed value raises PolicyError; lenient: it is logged and the default kept
    (an exam must not stop, nor loosen, because a server sent nonsense)."""
    merged = copy.deepcopy(MONITOR_DEFAULTS)
    problems: List[str] = []
    if overrides is not None and not isinstance(overrides, Mapping):
        problems.append("policy monitor: expected an object")
    else:
        _merge(merged, overrides or {}, "", MONITOR_DEFAULTS, problems)
    if problems:
        if strict:
            raise PolicyError(problems[0])
        for p in problems:
            log.warning("%s: default kept", p)
    return merged


def _check(where: str, default: Any, value: Any) -> Optional[str]:
    """None when `value` may replace `default` at `where`, else the problem."""
    if isinstance(default, bool) or isinstance(default, str):
        if type(value) is not type(default):
            return "policy %s: expected %s" % (where, type(default).__name__)
        if where.endswith(".severity") and value not in SEVERITIES:
            return "policy %s: severity must be one of %s" % (where, ", ".join(SEVERITIES))
        if where.endswith(".action") and value not in ACTIONS:
            return "policy %s: action must be one of %s" % (where, ", ".join(ACTIONS))
        return None
    if isinstance(default, list):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and 0 < len(v) <= 16 for v in value):
            return "policy %s: expected a non-empty list of short strings" % where
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return "policy %s: expected a number" % where
    if (where.endswith(".hold_s") or where.endswith(".clear_s") or where.endswith(".gap_s")) and not 0 <= value <= 600:
        return "policy %s: must be between 0 and 600 seconds" % where
    low, high = RANGES.get(where, (float("-inf"), float("inf")))
    if not low <= value <= high:
        return "policy %s: must be between %g and %g" % (where, low, high)
    return None


def _merge(into: Dict[str, Any], new: Mapping[str, Any], path: str, defaults: Mapping[str, Any],
           problems: List[str]) -> None:
    for key, value in new.items():
        where = path + str(key)
        if key not in into:
            problems.append("policy %s: unknown %s" % (where, "event type" if path.endswith("rules.") else "key"))
            continue
        old = into[key]
        if isinstance(old, dict):
            if not isinstance(value, Mapping):
                problems.append("policy %s: expected an object" % where)
                continue
            _merge(old, value, where + ".", defaults[key], problems)
            continue
        problem = _check(where, old, value)
        if problem is not None:
            problems.append(problem)
        elif isinstance(old, list):
            into[key] = list(value)
        else:
            into[key] = float(value) if isinstance(old, float) else value


def rules_of(policy: Mapping[str, Any]) -> Dict[str, Dict[str, Any]]:
    """Every event type of the monitor policy with its rule (camera, audio and device events)."""
    out: Dict[str, Dict[str, Any]] = {}
    for part in RULE_PARTS:
        out.update(policy.get(part, {}).get("rules", {}))
    return out
