"""The exam policy: what the server decides and the client obeys, with one set of defaults.

The server serves `policy` in `/server-info` (per room where rooms differ); the client merges it
over these defaults at login (`merged`). Values of the wrong type are dropped, never trusted: a
malformed policy must not stop an exam, and must not loosen one either.
"""
from __future__ import annotations

import copy
import logging
from typing import Any, Dict, Mapping, Optional

from examcore.monitor_policy import MONITOR_DEFAULTS
from examcore.programs import DEFAULT_FORBIDDEN_PROCESSES

log = logging.getLogger(__name__)

MIB = 1024 * 1024
# What a finding leads to: allow (ignore), warn (shown, the candidate may go on), fail (must be fixed).
FINDING_ACTIONS = ("allow", "warn", "fail")

DEFAULT_POLICY: Dict[str, Any] = {
    "heartbeat_interval_s": 15,
    "max_upload_bytes": 200 * MIB,
    "max_document_bytes": 20 * MIB,
    "document_types": ["application/pdf",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    "forbidden_processes": DEFAULT_FORBIDDEN_PROCESSES,   # names; examcore.programs knows each one's aliases
    "virtual_machine": "warn",
    "remote_session": "fail",
    "multiple_displays": "fail",
    # the in-exam watch (examcore.monitor_policy: rates, hold times, evidence); a room may override it
    "monitor": MONITOR_DEFAULTS,
    # The second camera (双机位): the candidate's phone, paired by QR code (docs/protocol.md, "Phone").
    "phone": {
        "required": False,          # the self-check's second-camera step must pass (else it only warns)
        "pairing_ttl_s": 300,       # a pairing URL works once, within this time
        "interval_s": 4.0,          # one reduced JPEG this often during the exam (upstream budget: 50 kbps)
        "setup_interval_s": 1.0,    # ... and this often while the candidate watches the live view
        "max_width": 480,           # frames are scaled down to this width on the phone
        "jpeg_quality": 0.6,
        "stalled_s": 20,            # no frame for longer than this: the feed stopped (event, candidate told)
        "battery_low": 0.15,        # below this share, not charging: battery low (event, candidate told)
        "evidence_every_s": 60,     # one frame kept as evidence this often (plus the first after each gap)
        "retention_days": 30,       # kept frames are deleted after this many days
        "max_frame_bytes": 262144,
        "max_kbps": 50,             # upstream budget per phone in the exam: the server lowers the quality to keep it
    },
}


def _fits(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def merged(policy: Optional[Mapping[str, Any]], defaults: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """`defaults` (DEFAULT_POLICY) overlaid with the known keys of `policy` whose values fit; nested
    objects are merged key by key. Unknown keys are kept as given (a newer server may know more)."""
    base = DEFAULT_POLICY if defaults is None else defaults
    out: Dict[str, Any] = copy.deepcopy(dict(base))   # nothing of the defaults may be shared with a result
    for key, value in (policy or {}).items():
        if value is None:
            continue
        if key not in base:
            out[key] = value
            continue
        default = base[key]
        if isinstance(default, dict) and isinstance(value, Mapping):
            out[key] = merged(value, default)
        elif key in ("virtual_machine", "remote_session", "multiple_displays") and value not in FINDING_ACTIONS:
            log.warning("policy %s=%r is not one of %s: default %r kept", key, value, FINDING_ACTIONS, default)
        elif _fits(default, value):
            out[key] = value
        else:
            log.warning("policy %s has a %s, not a %s: default kept", key, type(value).__name__,
                        type(default).__name__)
    return out
