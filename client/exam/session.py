"""The session half of ExamService: login, server keys, the worker's callbacks, the ticker.

Split from client.exam.service to keep modules small; `SessionMixin` expects the attributes
that ExamService.__init__ sets (config, journal, api, exam_clock, notify, worker ...).
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Dict, List, Optional

from client.exam import api as A
from client.exam.clock import WarningSchedule
from client.sync.worker import SyncCallbacks, SyncWorker
from examcore.bundle import verify_receipt

log = logging.getLogger(__name__)


class Notifier:
    """Fans engine events out to listeners; remembers errors raised before anyone listened."""

    def __init__(self) -> None:
        self._listeners: List[A.EngineListener] = []
        self._early_errors: List[A.EngineError] = []

    def add(self, listener: A.EngineListener) -> None:
        self._listeners.append(listener)
        for e in self._early_errors:
            self._call(lambda lst, e=e: lst.on_error(e))  # type: ignore[misc]  # bind e now
        self._early_errors = []

    def _call(self, call: Callable[[A.EngineListener], None]) -> None:
        for listener in list(self._listeners):
            try:
                call(listener)
            except Exception:  # noqa: BLE001 - one broken listener must not stop the exam
                log.exception("listener %s failed", type(listener).__name__)

    def state(self, s: str) -> None: self._call(lambda lst: lst.on_state(s))
    def sync(self, s: A.SyncStatus) -> None: self._call(lambda lst: lst.on_sync(s))
    def time_warning(self, w: A.TimeWarning) -> None: self._call(lambda lst: lst.on_time_warning(w))
    def sealed(self, reason: str) -> None: self._call(lambda lst: lst.on_sealed(reason))
    def receipt(self, r: A.Receipt) -> None: self._call(lambda lst: lst.on_receipt(r))
    def command(self, c: A.ProctorCommand) -> None: self._call(lambda lst: lst.on_command(c))
    def upload(self, p: A.UploadProgress) -> None: self._call(lambda lst: lst.on_upload(p))
    def phone(self, s: A.PhoneStatus) -> None: self._call(lambda lst: lst.on_phone(s))

    def error(self, e: A.EngineError) -> None:
        log.error("%s / %s", e.message_zh, e.message_en)
        if not self._listeners:
            self._early_errors.append(e)
        self._call(lambda lst: lst.on_error(e))


def _sitting_from(d: Dict[str, Any]) -> A.SittingInfo:
    return A.SittingInfo(str(d["sitting_id"]), str(d.get("room_id", "")), str(d.get("part", "theory")),
                         str(d.get("kind", "formal")), str(d.get("title", "")), str(d.get("level", "")),
                         int(d["start_at_ms"]), int(d["duration_s"]), int(d.get("extension_s", 0)),
                         int(d.get("attempt", 1)), bool(d.get("retake", False)), str(d.get("status", "")))


class _Callbacks(SyncCallbacks):
    def __init__(self, service: SessionMixin) -> None:
        self.s = service

    def status(self, status: A.SyncStatus) -> None:
        self.s.notify.sync(status)

    def heartbeat_body(self) -> Dict[str, Any]:
        body = {"state": self.s.state(), "network": "online",
                "acked_commands": list(self.s.journal.get_meta("acked_commands", []))[-50:]}
        body.update(self.s.device_status())
        return body

    def heartbeat_answer(self, body: Dict[str, Any]) -> None:
        self.s._on_heartbeat(body)

    def receipt(self, body: Dict[str, Any]) -> None:
        self.s._on_receipt(body)

    def upload(self, progress: A.UploadProgress) -> None:
        self.s.notify.upload(progress)

    def error(self, error: A.EngineError) -> None:
        self.s.notify.error(error)

    def relogin(self) -> bool:
        return self.s._relogin()

    def closed_by_server(self) -> None:
        if self.s.state() == A.IN_EXAM:
            self.s.seal("proctor")


class SessionMixin:
    # attributes provided by ExamService
    config: Any
    journal: Any
    api: Any
    exam_clock: Any
    notify: Notifier
    worker: Optional[SyncWorker]
    _credentials: Any
    _receipt_event: threading.Event
    _ticker: Optional[threading.Thread]
    _closing: threading.Event

    def state(self) -> str: raise NotImplementedError
    def device_status(self) -> Dict[str, str]: raise NotImplementedError
    def _phone_from_heartbeat(self, body: Dict[str, Any]) -> None: raise NotImplementedError
    def _set_state(self, state: str) -> None: raise NotImplementedError
    def seal(self, reason: str) -> None: raise NotImplementedError

    # -- server keys ----------------------------------------------------------------------
    def server_info(self) -> Dict[str, Any]:
        """GET /server-info; pins the server's keys on first contact and refuses a changed key."""
        info = self.api.get("/server-info")
        if not isinstance(info, dict) or not isinstance(info.get("signing_public_key"), str):
            raise A.EngineError("server.invalid", "服务器返回的信息无效。", "the server's info is invalid")
        pinned = dict(self.journal.get_meta("pinned_keys") or {})
        expected = self.config.server_signing_key or pinned.get("signing")
        if expected and expected != info["signing_public_key"]:
            raise A.EngineError("server.key_mismatch", "服务器签名密钥与已登记的不一致，已拒绝连接。请联系考点。",
                                "the server's signing key differs from the pinned one; refused. Contact the centre.")
        if not pinned:
            self.journal.set_meta("pinned_keys", {"signing": info["signing_public_key"],
                                                  "sealing": info.get("sealing_public_key", "")})
        if isinstance(info.get("policy"), dict):
            self.config.merge_policy(info["policy"])
        return info

    def _signing_key(self) -> str:
        key = self.config.server_signing_key or (self.journal.get_meta("pinned_keys") or {}).get("signing")
        if not key:
            key = self.server_info()["signing_public_key"]
        return str(key)

    # -- login ------------------------------------------------------------------------------
    def login(self, ticket: str, id_number: str, password: str) -> A.CandidateInfo:
        self.server_info()
        self.api.token = None
        body = self.api.post("/auth/login", {"ticket": ticket, "id_number": id_number, "password": password})
        if not isinstance(body, dict) or not isinstance(body.get("token"), str):
            raise A.EngineError("server.invalid", "服务器登录应答无效。", "the server's login answer is invalid")
        self._credentials = (ticket, id_number, password)   # memory only: lets an expired token renew
        self.api.token = body["token"]
        self.journal.set_meta("token", body["token"])
        self.journal.set_meta("candidate", body.get("candidate", {}))
        self.journal.set_meta("sittings", body.get("sittings", []))
        if self.state() == A.LOGGED_OUT:
            self._set_state(A.LOGGED_IN)
        c = body.get("candidate") or {}
        return A.CandidateInfo(str(c.get("ticket", ticket)), str(c.get("name", "")), str(c.get("level", "")))

    def _relogin(self) -> bool:
        if not self._credentials:
            return False
        try:
            body = self.api.post("/auth/login", dict(zip(("ticket", "id_number", "password"), self._credentials)))
            self.api.token = body["token"]
            self.journal.set_meta("token", body["token"])
            return True
        except (A.EngineError, KeyError, TypeError):
            return False

    def sittings(self) -> List[A.SittingInfo]:
        try:
            me = self.api.get("/me")
            if isinstance(me, dict) and isinstance(me.get("sittings"), list):
                self.journal.set_meta("sittings", me["sittings"])
        except A.EngineError as e:
            log.info("sittings from the last login (%s)", e.message_en)
        return [_sitting_from(d) for d in self.journal.get_meta("sittings", []) if isinstance(d, dict)]

    def _sitting_info(self, sitting_id: str) -> Dict[str, Any]:
        for d in self.journal.get_meta("sittings", []):
            if d.get("sitting_id") == sitting_id:
                info = _sitting_from(d)
                return {"sitting_id": info.sitting_id, "start_at_ms": info.start_at_ms,
                        "duration_s": info.duration_s, "extension_s": info.extension_s, "kind": info.kind,
                        "part": info.part, "title": info.title}
        raise A.EngineError("not_found", "没有这场考试。", "no such sitting for this candidate")

    def _need_sitting(self) -> str:
        s = self.journal.get_meta("sitting")
        if not s:
            raise A.EngineError("exam.no_sitting", "请先选择考试场次。", "select a sitting first")
        return str(s["sitting_id"])

    # -- worker and ticker -------------------------------------------------------------------
    def _start_worker(self, sitting_id: str) -> None:
        if self.worker is not None:
            if self.worker.sitting_id == sitting_id:
                return
            self.worker.stop()
        self.worker = SyncWorker(self.journal, self.api, sitting_id, self.config, _Callbacks(self))
        self.worker.start()

    def _start_ticker(self) -> None:
        if self._ticker is None:
            self._ticker = threading.Thread(target=self._tick_loop, name="examdesk-clock", daemon=True)
            self._ticker.start()

    def _tick_loop(self) -> None:
        warnings = WarningSchedule()
        last_checkpoint = 0.0
        while not self._closing.wait(0.1):
            try:
                reading = self.exam_clock.reading()
                if self.state() == A.IN_EXAM:
                    if reading.state == "ended":
                        self.seal("time_up")
                    elif reading.state == "running":
                        for minutes in warnings.due(reading.remaining_s):
                            self.notify.time_warning(A.TimeWarning(minutes))
                if time.monotonic() - last_checkpoint >= 2.0:
                    last_checkpoint = time.monotonic()
                    self.exam_clock.checkpoint()
            except Exception:  # noqa: BLE001 - the countdown must keep running
                log.exception("clock tick failed")

    def _set_extension(self, sid: str, extension_s: int) -> None:
        self.exam_clock.set_extension(extension_s)
        self.journal.set_meta("extension_s:%s" % sid, int(extension_s))

    def _on_heartbeat(self, body: Dict[str, Any]) -> None:
        sid = self._need_sitting()
        self._phone_from_heartbeat(body)
        if isinstance(body.get("extension_s"), int):
            self._set_extension(sid, body["extension_s"])
        acked = list(self.journal.get_meta("acked_commands", []))
        for c in body.get("commands") or []:
            if not isinstance(c, dict) or not isinstance(c.get("id"), str) or c["id"] in acked:
                continue
            cmd = A.ProctorCommand(c["id"], str(c.get("type", "")), str(c.get("text", c.get("reason", ""))),
                                   int(c.get("seconds", 0) or 0))
            acked.append(cmd.id)
            self.journal.set_meta("acked_commands", acked)
            self.notify.command(cmd)
            if cmd.type == "end" and self.state() == A.IN_EXAM:
                self.seal("proctor")

    def _on_receipt(self, body: Dict[str, Any]) -> None:
        sid = self._need_sitting()
        verified = verify_receipt(body, self._signing_key())
        if not verified:
            self.notify.error(A.EngineError("receipt.unverified", "回执签名校验失败，请截图并联系考点。",
                                            "the receipt's signature does not verify; keep a screenshot"))
        changed = self.state() != A.SUBMITTED
        self.journal.save_receipt(sid, dict(body, verified=verified), state=A.SUBMITTED)
        if changed:
            self.notify.state(A.SUBMITTED)
        r = body["receipt"]
        self.notify.receipt(A.Receipt(r["submission_id"], r["sitting_id"], int(r["final_seq"]), r["chain_head"],
                                      int(r["submitted_at_ms"]), verified, body))
        self._receipt_event.set()     # after the listeners: submit() returns to a UI that was told
