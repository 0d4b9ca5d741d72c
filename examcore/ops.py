"""Operation kinds and the answer fold: how a sitting's ops become its answers.

The client replays its journal with `fold` after a restart and the server scores and signs the
receipt over the same fold, so "the answer to question q" means the same on both sides.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Mapping, Optional, Tuple

ANSWER = "answer"          # {question_id, value}; value null clears the answer
FLAG = "flag"              # {question_id, flagged}
NAV = "nav"                # {question_id}: the question on screen (restarts resume there)
EVENT = "event"            # {type, severity, detail, upload_id?}: monitoring, lockdown, the client's own
CONSENT = "consent"        # {version, accepted: true, text_sha256}
CHECK_REPORT = "check_report"   # {report}: the equipment self-check
OP_KINDS = (ANSWER, FLAG, EVENT, CONSENT, CHECK_REPORT, NAV)
ANSWER_KINDS = (ANSWER, FLAG, NAV)   # the kinds `fold` reads

SEVERITIES = ("info", "warn", "alert")
SEAL_REASONS = ("candidate", "time_up", "proctor")
# an op the server receives this long after it was made (by the exam clock) waited in the client's offline
# queue: the server marks it `queued` (docs/protocol.md)
QUEUED_AFTER_MS = 20000


@dataclass
class AnswerState:
    answers: Dict[str, Any] = field(default_factory=dict)
    flags: Dict[str, bool] = field(default_factory=dict)
    current: Optional[str] = None   # the last question visited


def fold(ops: Iterable[Tuple[str, Mapping[str, Any]]]) -> AnswerState:
    """Replay (kind, payload) pairs in chain order; kinds other than answer/flag/nav are skipped."""
    state = AnswerState()
    for kind, p in ops:
        if kind == ANSWER:
            if p.get("value") is None:
                state.answers.pop(p["question_id"], None)
            else:
                state.answers[p["question_id"]] = p["value"]
        elif kind == FLAG:
            state.flags[p["question_id"]] = bool(p.get("flagged"))
        elif kind == NAV:
            state.current = p.get("question_id")
    return state
