"""The contract between the exam engine (no Qt) and the UI.

`client.exam.service.ExamService` implements `ExamEngine`. The UI (client/ui) depends only on
this module's names; it adapts listener callbacks (which arrive on worker threads) to queued Qt
signals. Everything here is Python 3.8-compatible and Qt-free.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from client.exam.paper import Paper

# Session states, in order (persisted; a restart resumes the last one).
LOGGED_OUT = "logged_out"
LOGGED_IN = "logged_in"
CHECKS_PASSED = "checks_passed"
WAITING = "waiting"
IN_EXAM = "in_exam"
SEALED = "sealed"
SUBMITTED = "submitted"
STATES = (LOGGED_OUT, LOGGED_IN, CHECKS_PASSED, WAITING, IN_EXAM, SEALED, SUBMITTED)


class EngineError(Exception):
    """A failure to show the candidate: stable `code` plus messages in both languages."""

    def __init__(self, code: str, message_zh: str, message_en: str, details: Optional[Dict[str, Any]] = None):
        super().__init__("%s: %s" % (code, message_en))
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.details = details or {}


@dataclass(frozen=True)
class SittingInfo:
    sitting_id: str
    room_id: str
    part: str            # theory | practical | comprehensive
    kind: str            # mock | formal
    title: str
    level: str           # 初级 | 中级 | 高级
    start_at_ms: int     # server time
    duration_s: int
    extension_s: int
    attempt: int         # 1 = first sitting, 2 = the retake
    retake: bool
    status: str


@dataclass(frozen=True)
class CandidateInfo:
    ticket: str
    name: str
    level: str


@dataclass(frozen=True)
class ClockReading:
    """What the countdown shows. All times are server time, counted on a monotonic clock."""
    state: str                  # not_started | running | ended
    remaining_s: float          # to the deadline (0 when ended)
    until_start_s: float        # to the start (0 once started)
    deadline_ms: int
    extension_s: int


@dataclass(frozen=True)
class SaveResult:
    """Returned once the operation is durable on disk (fsync): only then may the UI say 'saved'."""
    seq: int
    question_id: str
    durable: bool = True


@dataclass(frozen=True)
class SyncStatus:
    online: bool
    reason: str                 # "" when online; else e.g. "connection refused", "HTTP 500"
    pending_ops: int
    pending_uploads: int
    acked_seq: int
    last_contact_ms: Optional[int] = None


@dataclass(frozen=True)
class Receipt:
    submission_id: str
    sitting_id: str
    final_seq: int
    chain_head: str
    submitted_at_ms: int
    verified: bool              # Ed25519 signature checked against the server's key
    raw: Dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProctorCommand:
    id: str
    type: str                   # message | extend | end
    text: str = ""
    seconds: int = 0


@dataclass(frozen=True)
class UploadProgress:
    upload_id: str
    filename: str
    purpose: str                # evidence | snapshot | document
    sent: int
    size: int
    verified: bool


@dataclass(frozen=True)
class TimeWarning:
    minutes_left: int           # 30, 15, 5, 1


class EngineListener:
    """Override what you need. Called on engine worker threads: marshal to the GUI thread."""

    def on_state(self, state: str) -> None: ...
    def on_sync(self, status: SyncStatus) -> None: ...
    def on_time_warning(self, warning: TimeWarning) -> None: ...
    def on_sealed(self, reason: str) -> None: ...               # time_up | candidate | proctor
    def on_receipt(self, receipt: Receipt) -> None: ...
    def on_command(self, command: ProctorCommand) -> None: ...
    def on_upload(self, progress: UploadProgress) -> None: ...
    def on_error(self, error: EngineError) -> None: ...


class ExamEngine:
    """Interface only; see client.exam.service.ExamService. Methods that talk to the network raise
    EngineError with a clear message; methods that write answers never need the network."""

    # session
    def login(self, ticket: str, id_number: str, password: str) -> CandidateInfo: raise NotImplementedError
    def sittings(self) -> List[SittingInfo]: raise NotImplementedError
    def select_sitting(self, sitting_id: str) -> None: raise NotImplementedError   # downloads + verifies the paper
    def record_consent(self, version: str, text: str) -> None: raise NotImplementedError
    def record_check_report(self, report: Dict[str, Any]) -> None: raise NotImplementedError
    def state(self) -> str: raise NotImplementedError
    def resume(self) -> bool: raise NotImplementedError   # True if a sitting on disk was resumed
    def start_exam(self) -> Paper: raise NotImplementedError  # needs the key: EngineError 'paper.key_not_yet' before start
    # during the exam
    def clock(self) -> ClockReading: raise NotImplementedError
    def answer(self, question_id: str, value: Any) -> SaveResult: raise NotImplementedError
    def flag(self, question_id: str, flagged: bool) -> SaveResult: raise NotImplementedError
    def visit(self, question_id: str) -> None: raise NotImplementedError     # remembered for restarts
    def answers(self) -> Dict[str, Any]: raise NotImplementedError
    def flags(self) -> Dict[str, bool]: raise NotImplementedError
    def current_question(self) -> Optional[str]: raise NotImplementedError
    def report_event(self, type_: str, severity: str, detail: Dict[str, Any],
                     evidence_path: Optional[str] = None) -> int: raise NotImplementedError
    def sync_status(self) -> SyncStatus: raise NotImplementedError
    # the end
    def seal(self, reason: str) -> None: raise NotImplementedError
    def submit(self) -> Optional[Receipt]: raise NotImplementedError  # None when offline: it retries on its own
    def receipt(self) -> Optional[Receipt]: raise NotImplementedError
    def seal_reason(self) -> Optional[str]: raise NotImplementedError  # time_up | candidate | proctor; None = not sealed
    def export_sealed(self, path: str) -> str: raise NotImplementedError
    # documents (practical / comprehensive)
    def document_windows(self) -> List[Dict[str, Any]]: raise NotImplementedError
    def upload_document(self, sitting_id: str, path: str) -> str: raise NotImplementedError
    # plumbing
    def add_listener(self, listener: EngineListener) -> None: raise NotImplementedError
    def close(self) -> None: raise NotImplementedError
