"""ExamService: the concrete ExamEngine (client.exam.api) — the exam session, offline-tolerant.

Answers go to the AnswerJournal first (durable before `answer()` returns), the SyncWorker
delivers them when it can, and the ExamClock keeps the server's time on a monotonic clock. The
session state (api.STATES) is persisted in the journal, so a restart resumes where it stopped.
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
from typing import Any, Dict, List, Optional, Tuple

from client.config import ClientConfig
from client.durable import write_json_atomic
from client.exam import api as A
from client.exam.clock import ClockSource, ExamClock
from client.exam.phone import PhoneMixin
from client.exam.session import Notifier, SessionMixin
from client.sync.http import Offline, ServerApi
from client.sync.journal import JournalError
from client.sync.repair import open_journal
from client.sync.uploads import file_sha256, mime_type
from client.sync.worker import SyncWorker
from examcore.bundle import open_bundle, verify_bundle
from examcore.paper import AnswerError, Paper, ScoreSheet, normalise_answer, score_paper
from examcore.policy import merged

log = logging.getLogger(__name__)

# the device fields a heartbeat carries (docs/protocol.md, heartbeat)
DEVICE_FIELDS = ("camera", "microphone", "monitor", "phone", "lockdown")


class ExamService(PhoneMixin, SessionMixin, A.ExamEngine):
    def __init__(self, config: ClientConfig, clock_source: Optional[ClockSource] = None) -> None:
        self.config = config
        os.makedirs(config.data_dir, exist_ok=True)
        self.notify = Notifier()
        self._lock = threading.RLock()
        self._anchor_saved_at = 0.0
        self.exam_clock = ExamClock(clock_source, persist=self._persist_anchor,
                               max_skew_s=config.wall_fallback_max_skew_s)
        self.api = ServerApi(config.server_url, self.exam_clock, config.request_timeout_s)
        self.journal, self.repair_report = open_journal(config.data_dir, self._server_ack)
        self.api.token = self.journal.get_meta("token")
        self.api.on_unauthorized = self._relogin
        self.paper: Optional[Paper] = None
        self.worker: Optional[SyncWorker] = None
        self._credentials: Optional[Tuple[str, str, str]] = None
        self._answers: Dict[str, Any] = {}
        self._flags: Dict[str, bool] = {}
        self._current: Optional[str] = None
        self._receipt_event = threading.Event()
        self._ticker: Optional[threading.Thread] = None
        self._closing = threading.Event()
        self._devices: Dict[str, str] = {"camera": "unknown", "microphone": "unknown"}   # until proctoring says
        if self.repair_report is not None:
            r = self.repair_report
            self.notify.error(A.EngineError("journal.repaired", r.message_zh(), r.message_en(),
                                            {"damaged_path": r.damaged_path}))

    # -- plumbing ------------------------------------------------------------------------
    def add_listener(self, listener: A.EngineListener) -> None:
        self.notify.add(listener)

    def _persist_anchor(self, anchor: Dict[str, int]) -> None:
        # at most once a second: an fsync per HTTP response would be waste
        import time

        now = time.monotonic()
        if now - self._anchor_saved_at >= 1.0 and getattr(self, "journal", None) is not None:
            self._anchor_saved_at = now
            try:
                self.journal.set_meta("clock_anchor", anchor)
            except JournalError as e:
                log.error("clock anchor not saved: %s", e)

    def _server_ack(self, sitting_id: str, meta: Dict[str, Any]) -> Optional[Tuple[int, str]]:
        """For a journal repair: what the server holds of `sitting_id` (None when unreachable)."""
        self.api.token = meta.get("token")
        try:
            body = self.api.get("/sittings/%s" % sitting_id)
            return int(body["acked_seq"]), str(body["chain_head"])
        except (A.EngineError, KeyError, TypeError, ValueError) as e:
            log.warning("server ack unknown during repair: %s", e)
            return None

    def state(self) -> str:
        return str(self.journal.get_meta("state", A.LOGGED_OUT))

    def _set_state(self, state: str) -> None:
        if self.state() != state:
            self.journal.set_meta("state", state)
            self.notify.state(state)

    @property
    def sitting_id(self) -> Optional[str]:
        s = self.journal.get_meta("sitting")
        return s["sitting_id"] if s else None

    def close(self) -> None:
        self._closing.set()
        if self._ticker is not None:
            self._ticker.join(5)
        if self.worker is not None:
            self.worker.stop()
        self.exam_clock.checkpoint()
        self.journal.close()

    # -- before the exam -------------------------------------------------------------------
    def select_sitting(self, sitting_id: str) -> None:
        """Download the encrypted paper, verify its signature, store it (still encrypted)."""
        info = self._sitting_info(sitting_id)
        current = self.sitting_id
        if current and current != sitting_id:
            if self.state() in (A.IN_EXAM, A.SEALED) and self.journal.receipt(current) is None:
                raise A.EngineError("exam.in_progress", "另一场考试尚未交卷，不能切换场次。",
                                    "another sitting is still in progress; finish it first")
            self.paper = None
            self._set_state(A.LOGGED_IN)
        bundle = verify_bundle(self.api.get("/sittings/%s/paper" % sitting_id), self._signing_key(), sitting_id)
        write_json_atomic(self._bundle_path(sitting_id), bundle)
        self.journal.set_meta("sitting", info)
        self._fetch_sitting_policy(sitting_id)
        self.exam_clock.set_schedule(info["start_at_ms"], info["duration_s"], info["extension_s"])
        self._start_worker(sitting_id)

    def _bundle_path(self, sitting_id: str) -> str:
        if not re.match(r"^[A-Za-z0-9_.-]{1,80}$", sitting_id) or sitting_id.startswith("."):
            raise A.EngineError("request.invalid", "场次编号无效。", "invalid sitting id %r" % sitting_id[:80])
        folder = os.path.join(self.config.data_dir, "papers")
        os.makedirs(folder, exist_ok=True)
        return os.path.join(folder, "%s.bundle.json" % sitting_id)

    def _load_bundle(self, sitting_id: str) -> Dict[str, Any]:
        try:
            with open(self._bundle_path(sitting_id), encoding="utf-8") as f:
                bundle = json.load(f)
        except (OSError, ValueError):
            raise A.EngineError("paper.missing", "本机没有完整的试卷文件，请联网后重新进入考试。",
                                "the paper is not on this computer; connect and select the sitting again") from None
        return verify_bundle(bundle, self._signing_key(), sitting_id)

    def record_consent(self, version: str, text: str) -> None:
        import hashlib

        self._append("consent", {"version": version, "accepted": True,
                                 "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()})

    def record_check_report(self, report: Dict[str, Any]) -> None:
        self._append("check_report", {"report": report})
        if self.state() in (A.LOGGED_IN,):
            self._set_state(A.CHECKS_PASSED)

    def start_exam(self) -> Paper:
        sid = self._need_sitting()
        bundle = self._load_bundle(sid)
        key = self.journal.get_meta("paper_key:%s" % sid)
        if key is None:
            try:
                body = self.api.get("/sittings/%s/paper-key" % sid)
            except A.EngineError as e:
                if e.code == "paper.key_not_yet" or isinstance(e, Offline):
                    self._set_state(A.WAITING)
                raise
            key = body.get("key") if isinstance(body, dict) else None
        paper = open_bundle(bundle, key)    # a wrong key raises before anything is stored
        self.journal.set_meta("paper_key:%s" % sid, key)
        self._enter_exam(sid, paper)
        return paper

    def _enter_exam(self, sid: str, paper: Paper) -> None:
        self.paper = paper
        state = self.journal.state_of(sid)
        self._answers, self._flags, self._current = state.answers, state.flags, state.current
        if self.journal.seal(sid) is None:
            self._set_state(A.IN_EXAM)
        elif self.journal.receipt(sid) is None:
            self._set_state(A.SEALED)
        else:
            self._set_state(A.SUBMITTED)
        self._start_worker(sid)
        self._start_ticker()

    def resume(self) -> bool:
        """Pick up a sitting left on disk (after a restart or a crash). True if one was resumed."""
        info = self.journal.get_meta("sitting")
        if not info or self.state() in (A.LOGGED_OUT,):
            return False
        sid = info["sitting_id"]
        self.exam_clock.set_schedule(info["start_at_ms"], info["duration_s"], info["extension_s"])
        ext = self.journal.get_meta("extension_s:%s" % sid)
        if ext is not None:
            self.exam_clock.set_extension(int(ext))
        anchor = self.journal.get_meta("clock_anchor")
        if anchor:
            how = self.exam_clock.restore(anchor)
            log.info("clock restored from the saved anchor (%s)", how)
        try:   # re-anchor on the server's time when it answers: its time is the truth
            self.api.get("/server-info")
            body = self.api.get("/sittings/%s" % sid)
            if isinstance(body, dict) and isinstance(body.get("extension_s"), int):
                self._set_extension(sid, body["extension_s"])
            self._fetch_sitting_policy(sid)
        except A.EngineError as e:
            log.info("resuming offline: %s", e.message_en)
        key = self.journal.get_meta("paper_key:%s" % sid)
        if key is not None and self.state() in (A.IN_EXAM, A.SEALED, A.SUBMITTED):
            self._enter_exam(sid, open_bundle(self._load_bundle(sid), key))
        else:
            self._start_worker(sid)
        return True

    # -- during the exam ----------------------------------------------------------------------
    def clock(self) -> A.ClockReading:
        return self.exam_clock.reading()

    def _append(self, kind: str, payload: Dict[str, Any]) -> int:
        sid = self._need_sitting()
        op = self.journal.append(sid, kind, payload, self.exam_clock.exam_ms(), int(self.exam_clock.source.wall() * 1000))
        if self.worker is not None:
            self.worker.kick()
        return op.seq

    def _check_answerable(self, question_id: str) -> None:
        if self.paper is None or self.state() != A.IN_EXAM:
            raise A.EngineError("exam.not_in_exam", "当前不在考试中，不能作答。", "the exam is not in progress")
        if self.exam_clock.reading().state == "ended":
            self.seal("time_up")
            raise A.EngineError("exam.time_up", "考试时间已到，答案已封存。", "time is up; the answers are sealed")
        self.paper.question(question_id)

    def answer(self, question_id: str, value: Any) -> A.SaveResult:
        with self._lock:
            try:
                self._check_answerable(question_id)
                assert self.paper is not None
                value = normalise_answer(self.paper.question(question_id), value)
            except AnswerError as e:
                raise A.EngineError(e.code, e.message_zh, e.message_en) from None
            try:
                seq = self._append("answer", {"question_id": question_id, "value": value})
            except JournalError as e:
                raise A.EngineError(e.code, e.message_zh, e.message_en) from None
            if value is None:
                self._answers.pop(question_id, None)
            else:
                self._answers[question_id] = value
            return A.SaveResult(seq, question_id)

    def flag(self, question_id: str, flagged: bool) -> A.SaveResult:
        with self._lock:
            try:
                self._check_answerable(question_id)
            except AnswerError as e:
                raise A.EngineError(e.code, e.message_zh, e.message_en) from None
            try:
                seq = self._append("flag", {"question_id": question_id, "flagged": bool(flagged)})
            except JournalError as e:
                raise A.EngineError(e.code, e.message_zh, e.message_en) from None
            self._flags[question_id] = bool(flagged)
            return A.SaveResult(seq, question_id)

    def visit(self, question_id: str) -> None:
        with self._lock:
            if self.paper is None or self._current == question_id or self.state() != A.IN_EXAM:
                return
            try:
                self._append("nav", {"question_id": question_id})
                self._current = question_id
            except JournalError as e:
                log.warning("visit not recorded: %s", e)

    def answers(self) -> Dict[str, Any]:
        with self._lock:
            return dict(self._answers)

    def flags(self) -> Dict[str, bool]:
        with self._lock:
            return dict(self._flags)

    def current_question(self) -> Optional[str]:
        return self._current

    def report_event(self, type_: str, severity: str, detail: Dict[str, Any],
                     evidence_path: Optional[str] = None) -> int:
        if severity not in ("info", "warn", "alert"):
            severity = "warn"
        try:
            seq = self._append("event", {"type": type_, "severity": severity, "detail": detail})
        except JournalError as e:
            raise A.EngineError(e.code, e.message_zh, e.message_en) from None
        if evidence_path:
            try:
                sha, size = file_sha256(evidence_path), os.path.getsize(evidence_path)
            except OSError as e:     # the event itself is saved; only its snippet is missing
                log.error("evidence file unreadable, event %d kept without it: %s", seq, e)
                return seq
            self.journal.add_upload(os.path.abspath(evidence_path), self._need_sitting(), "evidence", sha, size, seq)
            if self.worker is not None:
                self.worker.kick()
        return seq

    def attach_evidence(self, path: str, purpose: str, event_seq: Optional[int]) -> None:
        """A sealed snippet or snapshot, whole on disk: uploaded by tus, deleted once the server verified it."""
        if purpose not in ("evidence", "snapshot"):
            raise ValueError("evidence purpose must be evidence or snapshot, not %r" % purpose)
        try:
            sha, size = file_sha256(path), os.path.getsize(path)
        except OSError as e:
            log.error("evidence file unreadable, not queued: %s", e)
            return
        self.journal.add_upload(os.path.abspath(path), self._need_sitting(), purpose, sha, size, event_seq)
        if self.worker is not None:
            self.worker.kick()

    def sealing_key(self) -> Optional[str]:
        key = (self.journal.get_meta("pinned_keys") or {}).get("sealing")
        return str(key) if key else None

    def server_time_ms(self) -> int:
        return int(self.exam_clock.server_now_ms())

    def set_device_status(self, status: Dict[str, str]) -> None:
        """What proctoring reports (camera, microphone, monitor ...), sent up with each heartbeat."""
        with self._lock:
            self._devices = dict(self._devices, **{str(k)[:32]: str(v)[:32] for k, v in status.items()
                                                  if k in DEVICE_FIELDS})

    def device_status(self) -> Dict[str, str]:
        with self._lock:
            return dict(self._devices)

    def candidate(self) -> Optional[A.CandidateInfo]:
        c = self.journal.get_meta("candidate")
        if not isinstance(c, dict) or not c.get("ticket"):
            return None
        return A.CandidateInfo(str(c["ticket"]), str(c.get("name", "")), str(c.get("level", "")))

    def policy(self) -> Dict[str, Any]:
        """The server's policy (from login) with the sitting's room policy over it (kept on disk, so a
        restart without network still watches as the room asked)."""
        policy = merged(self.config.policy)
        sid = self.sitting_id
        room = self.journal.get_meta("policy:%s" % sid) if sid else None
        return merged(room, policy) if isinstance(room, dict) else policy

    def _fetch_sitting_policy(self, sitting_id: str) -> None:
        try:
            body = self.api.get("/sittings/%s/policy" % sitting_id)
        except A.EngineError as e:      # an older server, or offline: the server-wide policy stands
            log.info("no room policy for %s: %s", sitting_id, e.message_en)
            return
        if isinstance(body, dict) and isinstance(body.get("policy"), dict):
            self.journal.set_meta("policy:%s" % sitting_id, body["policy"])

    def clock_offset_ms(self) -> Optional[int]:
        """Server time minus this PC's wall clock, once the server's time is known (a display hint)."""
        if not self.exam_clock.synced:
            return None
        return int(self.exam_clock.server_now_ms() - self.exam_clock.source.wall() * 1000.0)

    def practice_score(self) -> Optional[ScoreSheet]:
        """Extension: a mock paper carries its answers, so the practice run is scored here."""
        if self.paper is None or self.paper.kind != "mock" or not self.paper.has_answers():
            return None
        return score_paper(self.paper, self.answers())

    def sync_status(self) -> A.SyncStatus:
        if self.worker is None:
            return A.SyncStatus(False, "no sitting selected", 0, 0, 0)
        return self.worker.status

    # -- the end ----------------------------------------------------------------------------
    def seal(self, reason: str) -> None:
        with self._lock:
            sid = self._need_sitting()
            if self.journal.seal(sid) is not None:
                return
            self.journal.write_seal(sid, reason, self.exam_clock.server_now_ms())
            self._set_state(A.SEALED)
        self.notify.sealed(reason)
        if self.worker is not None:
            self.worker.kick()

    def submit(self) -> Optional[A.Receipt]:
        sid = self._need_sitting()
        self.seal("candidate")
        if self.journal.receipt(sid) is None and self.worker is not None:
            self._receipt_event.clear()      # a receipt arriving meanwhile is in the journal anyway
            failed = self.worker.failed_steps
            self.worker.kick()
            # wait for the receipt, but not once the worker has found the server unreachable
            waited = 0.0
            while waited < self.config.request_timeout_s and self.worker.failed_steps == failed:
                if self._receipt_event.wait(0.05):
                    break
                waited += 0.05
        return self.receipt()

    def seal_reason(self) -> Optional[str]:
        sid = self.sitting_id
        seal = self.journal.seal(sid) if sid else None
        return str(seal["reason"]) if seal else None

    def receipt(self) -> Optional[A.Receipt]:
        sid = self.sitting_id
        body = self.journal.receipt(sid) if sid else None
        if not body:
            return None
        r = body["receipt"]
        return A.Receipt(r["submission_id"], r["sitting_id"], int(r["final_seq"]), r["chain_head"],
                         int(r["submitted_at_ms"]), bool(body.get("verified")), body)

    def export_sealed(self, path: str) -> str:
        from examcore.sealed import seal as seal_for_server

        sid = self._need_sitting()
        if self.journal.seal(sid) is None:
            self.seal("candidate")
        s = self.journal.seal(sid)
        assert s is not None
        key = (self.journal.get_meta("pinned_keys") or {}).get("sealing")
        if not key:
            raise A.EngineError("sealed.no_key", "缺少服务器封存公钥，无法导出。", "the server's sealing key is unknown")
        content = {"sitting_id": sid, "ops": [op.wire() for op in self.journal.ops(sid) if op.seq <= s["final_seq"]],
                   "final_seq": s["final_seq"], "chain_head": s["chain_head"], "sealed_at_ms": s["sealed_at_ms"],
                   "reason": s["reason"]}
        return write_json_atomic(path, seal_for_server(content, key))

    # -- documents ---------------------------------------------------------------------------
    def document_windows(self) -> List[Dict[str, Any]]:
        body = self.api.get("/documents")
        return list(body.get("windows", [])) if isinstance(body, dict) else []

    def upload_document(self, sitting_id: str, path: str) -> str:
        size = os.path.getsize(path)
        limit = int(self.config.policy.get("max_document_bytes", 20 * 1024 * 1024))
        if size > limit:
            raise A.EngineError("upload.too_large", "文件超过 %d MB 上限。" % (limit // 2 ** 20),
                                "the file is larger than the %d MB limit" % (limit // 2 ** 20))
        types = self.config.policy.get("document_types")
        if isinstance(types, list) and types and mime_type(path) not in types:
            raise A.EngineError("upload.type", "材料须为 PDF 或 Word (docx) 文件。", "documents must be PDF or Word (docx)")
        path = os.path.abspath(path)
        self.journal.add_upload(path, sitting_id, "document", file_sha256(path), size, None)
        if self.worker is None or self.worker.sitting_id != sitting_id:
            self._start_worker(sitting_id)
        assert self.worker is not None
        self.worker.kick()
        return path
