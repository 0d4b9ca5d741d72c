"""The contract between the exam engine (no Qt) and the UI.

`client.exam.service.ExamService` implements `ExamEngine`. The UI (client/ui) depends only on
this module's names; it adapts listener callbacks (which arrive on worker threads) to queued Qt
signals. Everything here is Python 3.8-compatible and Qt-free.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Protocol

from client.sync.status import SyncStatus, UploadProgress
from examcore.errors import ExamError
from examcore.paper import Paper

# Session states, in order (persisted; a restart resumes the last one).
LOGGED_OUT = "logged_out"
LOGGED_IN = "logged_in"
CHECKS_PASSED = "checks_passed"
WAITING = "waiting"
IN_EXAM = "in_exam"
SEALED = "sealed"
SUBMITTED = "submitted"
STATES = (LOGGED_OUT, LOGGED_IN, CHECKS_PASSED, WAITING, IN_EXAM, SEALED, SUBMITTED)


# A failure to show the candidate: stable `code` plus messages in both languages (the shared core's
# ExamError; paper, answer and sealed-file errors are subclasses).
EngineError = ExamError


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
class TimeWarning:
    minutes_left: int           # 30, 15, 5, 1


# The second camera (docs/protocol.md, "Phone"): states the server reports for the candidate's phone.
PHONE_STATES = ("unknown", "unpaired", "pairing", "connecting", "live", "hidden", "frozen", "stopped")
PHONE_TROUBLE = ("hidden", "frozen", "stopped")   # the candidate is told at once and may re-pair


@dataclass(frozen=True)
class PhonePairing:
    """A one-time pairing URL for the phone (shown as a QR code); it works once, until `expires_at_ms`."""
    pairing_id: str
    url: str
    expires_at_ms: int          # server time
    ttl_s: int


@dataclass(frozen=True)
class PhoneStatus:
    """What the server (which sees the frames) says of the phone; `unknown` until it said anything."""
    state: str = "unknown"      # one of PHONE_STATES
    since_ms: Optional[int] = None
    last_frame_at_ms: Optional[int] = None
    frames: int = 0
    visibility: str = "unknown"  # visible | hidden | unknown
    battery_level: Optional[float] = None
    charging: Optional[bool] = None
    battery_low: bool = False
    wake_lock: str = "unknown"  # held | released | unsupported | failed | unknown
    facing: str = "unknown"     # environment | user | unknown
    last_interruption: Dict[str, Any] = field(default_factory=dict)   # {reason, duration_ms, signals, at_ms}
    required: bool = False
    stalled_s: float = 20.0
    pairing_id: str = ""        # the pairing whose phone this is ("" before any phone claimed a code)

    @property
    def trouble(self) -> bool:
        return self.state in PHONE_TROUBLE


@dataclass(frozen=True)
class PhoneFrame:
    seq: int
    jpeg: bytes
    received_at_ms: int         # server time
    width: int
    height: int


@dataclass(frozen=True)
class PhoneLive:
    status: PhoneStatus
    frame: Optional[PhoneFrame]   # None when nothing newer than the seq asked after


class EngineListener:
    """Override what you need. Called on engine worker threads (on_sync also on the thread that just saved
    an op, so the count is never stale): marshal to the GUI thread."""

    def on_state(self, state: str) -> None: ...
    def on_sync(self, status: SyncStatus) -> None: ...
    def on_time_warning(self, warning: TimeWarning) -> None: ...
    def on_sealed(self, reason: str) -> None: ...               # time_up | candidate | proctor
    def on_receipt(self, receipt: Receipt) -> None: ...
    def on_command(self, command: ProctorCommand) -> None: ...
    def on_upload(self, progress: UploadProgress) -> None: ...
    def on_error(self, error: EngineError) -> None: ...
    def on_phone(self, status: PhoneStatus) -> None: ...       # the second camera's state changed


class ExamEngine(Protocol):
    """What the UI may ask of the exam engine (client.exam.service.ExamService implements it; the UI's
    constructors are typed against it, and tests check the test fake against it). Methods that talk
    to the network raise EngineError with a clear message; methods that write answers never need it."""

    # session
    def login(self, ticket: str, id_number: str, password: str) -> CandidateInfo: ...
    def candidate(self) -> Optional[CandidateInfo]: ...   # the logged-in candidate, also after a restart
    def policy(self) -> Dict[str, Any]: ...               # the exam policy: defaults merged with the server's
    def clock_offset_ms(self) -> Optional[int]: ...       # server time minus this PC's clock; None before contact
    def sittings(self) -> List[SittingInfo]: ...
    def select_sitting(self, sitting_id: str) -> None: ...  # downloads + verifies the paper
    def record_consent(self, version: str, text: str) -> None: ...
    def record_check_report(self, report: Dict[str, Any]) -> None: ...
    def state(self) -> str: ...
    def resume(self) -> bool: ...            # True if a sitting on disk was resumed
    def start_exam(self) -> Paper: ...       # needs the key: EngineError 'paper.key_not_yet' before start
    # during the exam
    def clock(self) -> ClockReading: ...
    def answer(self, question_id: str, value: Any) -> SaveResult: ...
    def flag(self, question_id: str, flagged: bool) -> SaveResult: ...
    def visit(self, question_id: str) -> None: ...      # remembered for restarts
    def answers(self) -> Dict[str, Any]: ...
    def flags(self) -> Dict[str, bool]: ...
    def current_question(self) -> Optional[str]: ...
    def report_event(self, type_: str, severity: str, detail: Dict[str, Any],
                     evidence_path: Optional[str] = None) -> int: ...
    def sync_status(self) -> SyncStatus: ...
    # the end
    def seal(self, reason: str) -> None: ...
    def submit(self) -> Optional[Receipt]: ...          # None when offline: it retries on its own
    def receipt(self) -> Optional[Receipt]: ...
    def seal_reason(self) -> Optional[str]: ...         # time_up | candidate | proctor; None = not sealed
    def export_sealed(self, path: str) -> str: ...
    # documents (practical / comprehensive)
    def document_windows(self) -> List[Dict[str, Any]]: ...
    def upload_document(self, sitting_id: str, path: str) -> str: ...
    # the second camera (the phone): see PhoneLink
    def pair_phone(self) -> PhonePairing: ...
    def phone_live(self, after_seq: int) -> PhoneLive: ...
    def phone_status(self) -> PhoneStatus: ...
    # plumbing
    def add_listener(self, listener: EngineListener) -> None: ...
    def close(self) -> None: ...


class PhoneLink(Protocol):
    """What the second-camera widgets (QR code, live view, status light) need of the engine."""

    def pair_phone(self) -> PhonePairing: ...            # a fresh one-time URL for the selected sitting
    def phone_live(self, after_seq: int) -> PhoneLive: ...  # the state, and the newest frame if newer than after_seq
    def phone_status(self) -> PhoneStatus: ...           # the last state the server reported (no network)
    def policy(self) -> Dict[str, Any]: ...
    def add_listener(self, listener: EngineListener) -> None: ...


class MonitoredExam(Protocol):
    """What proctoring (camera, microphone, lockdown) needs of the engine: when to watch, where events
    and their evidence go, the key evidence is sealed to, and the device state each heartbeat carries."""

    def state(self) -> str: ...
    def add_listener(self, listener: EngineListener) -> None: ...
    def policy(self) -> Dict[str, Any]: ...
    def report_event(self, type_: str, severity: str, detail: Dict[str, Any],
                     evidence_path: Optional[str] = None) -> int: ...
    def set_device_status(self, status: Dict[str, str]) -> None: ...
    @property
    def sitting_id(self) -> Optional[str]: ...           # the sitting being taken (evidence names it)
    def sealing_key(self) -> Optional[str]: ...          # the server's X25519 sealing key (base64), pinned
    def server_time_ms(self) -> int: ...                 # the server's time now (monotonic since the last contact)
    def attach_evidence(self, path: str, purpose: str, event_seq: Optional[int]) -> None: ...
    # ^ queue a sealed evidence file (purpose evidence | snapshot) for upload with the event it belongs to
    def phone_status(self) -> PhoneStatus: ...   # the second camera, as the server last reported it
