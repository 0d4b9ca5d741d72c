"""A small in-memory ExamEngine for widget-level UI tests (the journey tests use the real ExamService).

It follows client/exam/api.py: answers are validated with the shared paper model, listeners are called
from another thread (like the real engine's workers), and the clock is driven by the test."""
from __future__ import annotations

import threading
import time
from typing import Any, Dict, List, Optional

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from client.exam import api
from client.exam.clock import WarningSchedule
from examcore.keys import b64e, raw_public
from examcore.paper import Paper, normalise_answer, paper_from_dict
from examcore.policy import merged
from tests.helpers.papers import sample_paper


class FakeEngine:
    def __init__(self, kind: str = "formal", level: str = "中级", start_in_s: float = 0.0,
                 duration_s: int = 7200, retake: bool = False) -> None:
        self.paper = paper_from_dict(sample_paper("fake-paper", kind=kind, level=level))
        if kind == "formal":
            self.paper = self.paper.without_answers()
        self._listeners: List[api.EngineListener] = []
        self._state = api.LOGGED_OUT
        self._answers: Dict[str, Any] = {}
        self._flags: Dict[str, bool] = {}
        self._current: Optional[str] = None
        self.seq = 0
        self.consents: List[Any] = []
        self.reports: List[Dict[str, Any]] = []
        self.login_error: Optional[api.EngineError] = None
        self.offset_ms: Optional[int] = 0
        self.server_policy: Dict[str, Any] = {}
        self.device_status: Dict[str, str] = {}
        self._candidate: Optional[api.CandidateInfo] = None
        self._warnings = WarningSchedule()
        self.online = True
        self.remaining_s = float(duration_s)
        self.until_start_s = float(start_in_s)
        self.extension_s = 0
        self._receipt: Optional[api.Receipt] = None
        self.sealed_reason: Optional[str] = None
        self.answer_calls = 0
        self.exported: List[str] = []
        self.sitting = api.SittingInfo("s-1", "r-1", "theory", kind, "客服联络咨询师（中级）理论知识考试",
                                       level, int(time.time() * 1000 + start_in_s * 1000), duration_s, 0,
                                       2 if retake else 1, retake, "scheduled")
        self.windows: List[Dict[str, Any]] = []
        self.uploaded: List[str] = []
        self.reported: List[Any] = []               # (seq, type, severity, detail) of report_event
        self.evidence: List[Any] = []               # (path, purpose, event_seq) attached
        # a real X25519 key pair standing in for the server's: tests open the sealed evidence with it
        self.sealing_private = X25519PrivateKey.generate()
        self.sealing_public_b64 = b64e(raw_public(self.sealing_private.public_key()))
        self.phone = api.PhoneStatus()
        self.phone_frames: List[api.PhoneFrame] = []   # what the "phone" has sent, newest last
        self.pairings: List[api.PhonePairing] = []
        self.pair_error: Optional[api.EngineError] = None

    # -- helpers for tests --------------------------------------------------------------
    def emit(self, method: str, *args: Any) -> None:
        """Call listeners from a worker thread, as the real engine does."""
        def run() -> None:
            for lst in list(self._listeners):
                getattr(lst, method)(*args)
        t = threading.Thread(target=run)
        t.start()
        t.join()

    def set_state(self, state: str) -> None:
        self._state = state
        self.emit("on_state", state)

    def set_remaining(self, seconds: float) -> None:
        """Move the exam clock, and tell listeners what the real engine's clock ticker would."""
        self.remaining_s = float(seconds)
        if self._state != api.IN_EXAM:
            return
        for minutes in self._warnings.due(self.remaining_s):
            self.emit("on_time_warning", api.TimeWarning(minutes))
        if self.remaining_s <= 0:
            self.seal("time_up")

    # -- session ------------------------------------------------------------------------
    def login(self, ticket: str, id_number: str, password: str) -> api.CandidateInfo:
        if self.login_error is not None:
            raise self.login_error
        self.set_state(api.LOGGED_IN)
        self._candidate = api.CandidateInfo(ticket, "张三", self.sitting.level)
        return self._candidate

    def candidate(self) -> Optional[api.CandidateInfo]:
        return self._candidate

    def policy(self) -> Dict[str, Any]:
        return merged(self.server_policy)

    def clock_offset_ms(self) -> Optional[int]:
        return self.offset_ms

    def set_device_status(self, status: Dict[str, str]) -> None:
        self.device_status.update(status)

    def sittings(self) -> List[api.SittingInfo]:
        return [self.sitting]

    def select_sitting(self, sitting_id: str) -> None:
        assert sitting_id == self.sitting.sitting_id

    def record_consent(self, version: str, text: str) -> None:
        self.consents.append((version, text))

    def record_check_report(self, report: Dict[str, Any]) -> None:
        self.reports.append(report)
        self.set_state(api.CHECKS_PASSED)

    def state(self) -> str:
        return self._state

    def resume(self) -> bool:
        return False

    def start_exam(self) -> Paper:
        if self.until_start_s > 0:
            raise api.EngineError("paper.key_not_yet", "考试尚未开始", "The exam has not started yet")
        self.set_state(api.IN_EXAM)
        return self.paper

    # -- during the exam ---------------------------------------------------------------
    def clock(self) -> api.ClockReading:
        if self.until_start_s > 0:
            return api.ClockReading("not_started", self.remaining_s, self.until_start_s, 0, self.extension_s)
        state = "running" if self.remaining_s > 0 else "ended"
        return api.ClockReading(state, max(0.0, self.remaining_s), 0.0, 0, self.extension_s)

    def answer(self, question_id: str, value: Any) -> api.SaveResult:
        self.answer_calls += 1
        if self._state in (api.SEALED, api.SUBMITTED):
            raise api.EngineError("sitting.sealed", "试卷已封存", "The paper is sealed")
        q = self.paper.question(question_id)
        self._answers[question_id] = normalise_answer(q, value)
        self.seq += 1
        return api.SaveResult(self.seq, question_id)

    def flag(self, question_id: str, flagged: bool) -> api.SaveResult:
        self._flags[question_id] = flagged
        self.seq += 1
        return api.SaveResult(self.seq, question_id)

    def visit(self, question_id: str) -> None:
        self._current = question_id

    def answers(self) -> Dict[str, Any]:
        return dict(self._answers)

    def flags(self) -> Dict[str, bool]:
        return dict(self._flags)

    def current_question(self) -> Optional[str]:
        return self._current

    def report_event(self, type_: str, severity: str, detail: Dict[str, Any],
                     evidence_path: Optional[str] = None) -> int:
        self.seq += 1
        self.reported.append((self.seq, type_, severity, dict(detail)))
        return self.seq

    @property
    def sitting_id(self) -> Optional[str]:
        return self.sitting.sitting_id

    def sealing_key(self) -> Optional[str]:
        return self.sealing_public_b64

    def server_time_ms(self) -> int:
        return int(time.time() * 1000) + int(self.offset_ms or 0)

    def attach_evidence(self, path: str, purpose: str, event_seq: Optional[int]) -> None:
        self.evidence.append((path, purpose, event_seq))

    def sync_status(self) -> api.SyncStatus:
        return api.SyncStatus(self.online, "" if self.online else "connection refused", 0, 0, self.seq)

    # -- the end -----------------------------------------------------------------------
    def seal(self, reason: str) -> None:
        self.sealed_reason = reason
        self.set_state(api.SEALED)
        self.emit("on_sealed", reason)

    def submit(self) -> Optional[api.Receipt]:
        if not self.online:
            return None
        self._receipt = api.Receipt("sub-1", self.sitting.sitting_id, self.seq, "ab" * 32,
                                    int(time.time() * 1000), True)
        self.set_state(api.SUBMITTED)
        return self._receipt

    def seal_reason(self) -> Optional[str]:
        return self.sealed_reason

    def receipt(self) -> Optional[api.Receipt]:
        return self._receipt

    def export_sealed(self, path: str) -> str:
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"format": "examdesk-sealed/1"}')
        self.exported.append(path)
        return path

    def document_windows(self) -> List[Dict[str, Any]]:
        return list(self.windows)

    def upload_document(self, sitting_id: str, path: str) -> str:
        self.uploaded.append(path)
        return "u-%d" % len(self.uploaded)

    # -- the second camera --------------------------------------------------------------
    def set_phone(self, status: api.PhoneStatus) -> None:
        """What a heartbeat answer would bring: the server's new view of the phone."""
        self.phone = status
        self.emit("on_phone", status)

    def pair_phone(self) -> api.PhonePairing:
        if self.pair_error is not None:
            raise self.pair_error
        n = len(self.pairings) + 1
        pairing = api.PhonePairing("p-%d" % n, "https://exam.example.cn:8765/phone/#t=fake-token-%04d" % n,
                                   int(time.time() * 1000) + 300_000, 300)
        self.pairings.append(pairing)
        return pairing

    def phone_live(self, after_seq: int) -> api.PhoneLive:
        newer = [f for f in self.phone_frames if f.seq > after_seq]
        return api.PhoneLive(self.phone, newer[-1] if newer else None)

    def phone_status(self) -> api.PhoneStatus:
        return self.phone

    def add_listener(self, listener: api.EngineListener) -> None:
        self._listeners.append(listener)

    def close(self) -> None:
        self._listeners.clear()


def _typed(fake: FakeEngine) -> tuple[api.ExamEngine, api.MonitoredExam, api.PhoneLink]:
    return fake, fake, fake   # mypy (./dev test) checks the fake against the same Protocols as ExamService
