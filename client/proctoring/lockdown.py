"""The lockdown's place in the proctoring session: started when the exam is in progress and the exam
window has been handed in (the UI does that for formal exams only), stopped at sealing. Its events go to
the exam journal like every monitoring event; what concerns the candidate goes to `on_notice` (zh, en).
A recovery report from the last run (an unclean exit) is journalled as soon as there is a sitting."""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Dict, List, Optional, Protocol, Tuple

from client.exam import api
from client.lockdown import events as ev
from client.lockdown.backend import KioskWindow
from client.lockdown.guard import ProgramFinding
from client.lockdown.session import LockdownSession, Preflight, RecoveryReport

log = logging.getLogger(__name__)
LockdownFactory = Callable[[Dict[str, Any], ev.EventSink], LockdownSession]   # (policy, sink)
Notice = Callable[[str, str], None]


class LockdownControl(Protocol):
    """What the UI may ask of the lockdown (ExamDeskWindow is typed against this, tests fake it)."""

    def preflight(self) -> Preflight: ...
    def close_programs(self, findings: List[ProgramFinding], force: bool = False) -> Dict[int, str]: ...
    def set_window(self, window: Optional[KioskWindow]) -> None: ...
    def set_notice(self, notice: Optional[Notice]) -> None: ...


class ExamLockdown:
    def __init__(self, engine: api.MonitoredExam, factory: LockdownFactory,
                 recovery: Optional[RecoveryReport] = None) -> None:
        self.engine, self.factory = engine, factory
        self.session: Optional[LockdownSession] = None
        self.window: Optional[KioskWindow] = None
        self.notice: Optional[Notice] = None
        self._pending: List[Tuple[str, str, Dict[str, Any]]] = [recovery.event()] if recovery is not None else []
        self._untold = list(self._pending)     # shown to the candidate once a notice sink is set
        self._lock = threading.RLock()
        self.failed: Optional[str] = None

    # -- the UI's side (LockdownControl) -------------------------------------------------------
    def _session(self) -> LockdownSession:
        with self._lock:
            if self.session is None:
                self.session = self.factory(self.engine.policy(), self._event)
            return self.session

    def preflight(self) -> Preflight:
        return self._session().preflight()

    def close_programs(self, findings: List[ProgramFinding], force: bool = False) -> Dict[int, str]:
        return self._session().close_programs(findings, force=force)

    def set_window(self, window: Optional[KioskWindow]) -> None:
        with self._lock:
            self.window = window
        if window is None:
            self.stop()
        else:
            self.follow(self.engine.state())

    def set_notice(self, notice: Optional[Notice]) -> None:
        self.notice = notice
        untold, self._untold = self._untold, []
        for type_, _severity, detail in untold:
            self._tell(type_, detail)

    # -- the proctoring session's side -----------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.session is not None and self.session.active

    def follow(self, state: str) -> None:
        self.deliver_pending()
        if state == api.IN_EXAM:
            self.start()
        elif state in (api.SEALED, api.SUBMITTED):
            self.stop()

    def start(self) -> None:
        with self._lock:
            if self.window is None or self.active:
                return
            try:
                self._session().start(self.window)
                self.failed = None
            except Exception as e:  # noqa: BLE001 - the exam goes on unlocked, and the proctor is told
                self.failed = str(e)[:300]
                log.error("lockdown could not start: %r", e)
                self._event(ev.OPERATION_FAILED, ev.ALERT, {"operation": "lockdown", "error": self.failed})
        self._devices()

    def stop(self) -> None:
        with self._lock:
            session = self.session
            if session is None or not session.active:
                return
            session.stop()
            self.session = None   # a later sitting gets a fresh session with its own policy
        self._devices()

    def deliver_pending(self) -> None:
        """Journal what waited for a sitting (the recovery report of an unclean exit)."""
        while self._pending:
            type_, severity, detail = self._pending[0]
            try:
                self.engine.report_event(type_, severity, detail)
            except Exception as e:  # noqa: BLE001 - no sitting yet: kept for the next state change
                log.info("lockdown event %s waits for a sitting: %r", type_, e)
                return
            self._pending.pop(0)

    # -- plumbing --------------------------------------------------------------------------------
    def _event(self, type_: str, severity: str, detail: Dict[str, Any]) -> None:
        try:
            self.engine.report_event(type_, severity, detail)
        except Exception as e:  # noqa: BLE001 - lockdown never stops the exam
            log.warning("lockdown event %s not recorded: %r", type_, e)
        self._tell(type_, detail)

    def _tell(self, type_: str, detail: Dict[str, Any]) -> None:
        message = ev.candidate_message(type_, detail)
        notice = self.notice
        if message is not None and notice is not None:
            try:
                notice(*message)
            except Exception:  # noqa: BLE001
                log.exception("lockdown notice not shown")

    def _devices(self) -> None:
        state = "on" if self.active else ("failed" if self.failed else "off")
        try:
            self.engine.set_device_status({"lockdown": state})
        except Exception:  # noqa: BLE001
            log.exception("device status not recorded")
