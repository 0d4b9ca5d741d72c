"""LockdownSession: the lockdown of one exam sitting, Qt-free, with the small API the application calls:

    recovery = LockdownSession.recover_after_crash(data_dir, on_event)   # at client start
    lock = LockdownSession(data_dir, policy, on_event)
    pre = lock.preflight()          # what blocks the start: displays, forbidden programs, remote session
    lock.close_programs(pre.programs)  # "close" (polite); force=True after the candidate agrees
    lock.start(window)              # KioskWindow: the exam window's adapter
    lock.stop()                     # at the end of the exam: everything reverted

Events go to `on_event(type, severity, detail)`, wired to the exam journal by the application."""
from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from client.lockdown import backend as B
from client.lockdown import events as ev
from client.lockdown.backend import KioskWindow, LockdownBackend
from client.lockdown.focus import FocusWatch
from client.lockdown.guard import ProcessGuard, ProcessTable, ProgramFinding
from client.lockdown.keys import KeyFilter
from client.lockdown.operations import FunctionOperation, LockdownFailed, OperationSequence
from client.lockdown.overlay import OverlayScan
from client.lockdown.policy import LockdownPolicy
from client.lockdown.record import LockdownRecord, is_running, quarantine, record_path
from client.lockdown.watch import Check, WatchLoop
from client.lockdown.watchers import (
    ClipboardIsolation,
    DesktopWatch,
    DisplayWatch,
    EvidenceWatch,
    KeyReports,
    ProgramWatch,
    vm_evidence,
)
from client.monitor.results import FAIL, WARN, CheckResult, bad

log = logging.getLogger(__name__)
DisplayProbe = Callable[[], Optional[int]]

# seconds between runs of each check during the exam
INTERVALS: Dict[str, float] = {"keys": 0.1, "focus": 0.25, "desktop": 0.5, "clipboard": 0.5, "displays": 2.0,
                               "programs": 2.0, "overlays": 3.0, "remote": 30.0, "vm": 300.0}


def default_backend(display_probe: Optional[DisplayProbe] = None) -> LockdownBackend:
    if sys.platform == "win32":
        from client.lockdown.backends.windows import WindowsBackend

        return WindowsBackend()
    from client.lockdown.backends.posix import PosixBackend

    return PosixBackend(display_probe)


@dataclass
class Preflight:
    blockers: List[CheckResult] = field(default_factory=list)   # fix these before the start
    warnings: List[CheckResult] = field(default_factory=list)   # shown; the candidate may go on
    programs: List[ProgramFinding] = field(default_factory=list)  # running forbidden programs ("close")

    @property
    def ok(self) -> bool:
        return not self.blockers


@dataclass
class RecoveryReport:
    previous: Dict[str, Any]
    reverted: List[Dict[str, str]]
    failed: List[Dict[str, str]]
    unreadable: bool = False

    def event(self) -> Tuple[str, str, Dict[str, Any]]:
        return ev.UNCLEAN_EXIT, ev.WARN, {"previous": self.previous, "reverted": self.reverted,
                                          "failed": self.failed, "record_unreadable": self.unreadable}


def _quiet(_t: str, _s: str, _d: Dict[str, Any]) -> None:
    return None


class LockdownSession:
    def __init__(self, data_dir: str, policy: Optional[Mapping[str, Any]] = None,
                 on_event: Optional[ev.EventSink] = None, backend: Optional[LockdownBackend] = None,
                 display_probe: Optional[DisplayProbe] = None, process_table: Optional[ProcessTable] = None,
                 intervals: Optional[Mapping[str, float]] = None) -> None:
        self.data_dir = str(data_dir)
        self.raw_policy = dict(policy or {})
        self.policy = LockdownPolicy.from_policy(self.raw_policy)
        self.backend = backend or default_backend(display_probe)
        self.display_probe = display_probe
        self.intervals = dict(INTERVALS, **dict(intervals or {}))
        self._sink = on_event or _quiet
        self._sink_lock = threading.Lock()
        self.guard = ProcessGuard(self.policy.programs, self.backend, process_table)
        self.keys = KeyFilter(self.policy.keys)
        self.events: List[Tuple[str, str, Dict[str, Any]]] = []   # everything reported, for the UI and support
        self.focus: Optional[FocusWatch] = None
        self.desktop: Optional[DesktopWatch] = None
        self.key_reports: Optional[KeyReports] = None
        self.watch: Optional[WatchLoop] = None
        self._sequence: Optional[OperationSequence] = None
        self._record: Optional[LockdownRecord] = None

    @property
    def active(self) -> bool:
        return self._sequence is not None

    def capabilities(self) -> Dict[str, str]:
        return self.backend.capabilities()

    def emit(self, type_: str, severity: str, detail: Dict[str, Any]) -> None:
        with self._sink_lock:
            self.events.append((type_, severity, detail))
            try:
                self._sink(type_, severity, detail)
            except Exception:  # noqa: BLE001 - a failing journal must not break the lockdown
                log.exception("lockdown event %s not delivered", type_)

    # -- before the start --------------------------------------------------------------------------
    def _displays(self) -> Tuple[Optional[int], Optional[int]]:
        monitors, outputs = self.backend.displays()
        if monitors is None and self.display_probe is not None:
            monitors = self.display_probe()
        return monitors, outputs

    def preflight(self) -> Preflight:
        """Everything that must be fixed before the lockdown starts, with plain zh/en instructions."""
        from client.monitor import system_check as sc

        out = Preflight()
        monitors, outputs = self._displays()
        checks = [sc.displays_result(monitors, self.raw_policy), sc.remote_result(self.backend.remote_evidence(),
                                                                                   self.raw_policy)]
        if monitors is not None and outputs is not None and outputs > monitors and self.policy.mirrored_displays != "allow":
            checks.append(bad("lockdown.mirrored_display", FAIL if self.policy.mirrored_displays == "fail" else WARN,
                              {"displays": monitors, "outputs": outputs},
                              "屏幕正被复制到另一台显示器或投影仪。", "The screen is duplicated to another display or projector.",
                              "请断开其他显示器或投影仪（或在“显示设置”中选择“仅在 1 上显示”）。",
                              "Disconnect the other display or projector (or choose \u201cShow only on 1\u201d in "
                              "Display settings)."))
        checks.append(sc.vm_result([_evidence(e) for e in vm_evidence()[1]], self.raw_policy))
        out.programs = self.guard.running()
        mine = [f for f in out.programs if f.own_session]
        others = [f for f in out.programs if not f.own_session]
        if mine:
            names = sorted({f.label for f in mine})
            checks.append(bad("lockdown.programs", FAIL, [f.to_detail() for f in mine],
                              "正在运行考试禁止的程序：%s。" % "、".join(sorted({f.program.label_zh for f in mine})),
                              "Programs not allowed during the exam are running: %s." % ", ".join(names),
                              "请保存这些程序中的内容，然后点击“关闭”；仍未关闭的，可在确认后强制结束。",
                              "Save your work in them, then click \u201cClose\u201d; programs that stay open can be "
                              "ended by force once you agree."))
        if others:
            checks.append(bad("lockdown.services", WARN, [f.to_detail() for f in others],
                              "后台服务正在运行：%s（将被记录）。" % "、".join(sorted({f.program.label_zh for f in others})),
                              "Background services are running: %s (this is recorded)." % ", ".join(
                                  sorted({f.label for f in others})),
                              "如可能，请卸载或停用这些远程控制软件。", "If you can, uninstall or disable these tools."))
        for c in checks:
            if c.status == FAIL:
                out.blockers.append(c)
            elif c.status == WARN:
                out.warnings.append(c)
        return out

    def close_programs(self, findings: List[ProgramFinding], force: bool = False) -> Dict[int, str]:
        """Close forbidden programs: politely; with force (the candidate agreed) end what is left."""
        return self.guard.close(findings, force=force)

    # -- the exam ----------------------------------------------------------------------------------
    def start(self, window: KioskWindow) -> None:
        """Perform every operation (recorded durably first) and start the watch. Raises LockdownFailed
        (with everything reverted) if a required operation fails."""
        if self.active:
            raise RuntimeError("lockdown already active")
        caps = self.backend.capabilities()
        record = LockdownRecord(record_path(self.data_dir))
        record.open(backend=self.backend.name)
        sequence = OperationSequence(record, self.emit)
        self.key_reports = KeyReports(self.emit)
        self.guard.known.clear()   # the exam's first scan reports whatever still runs
        watch = self._watch_loop(window, caps)
        ops = self.backend.operations(window, self.keys, self.key_reports.put, watch.poke_hint, self.emit)
        ops.append(FunctionOperation("watch", watch.start, watch.stop, required=True))
        self._sequence, self._record, self.watch = sequence, record, watch
        try:
            sequence.run(ops)
        except LockdownFailed:
            self._sequence = None
            record.close()
            raise
        self.emit(ev.STARTED, ev.INFO, {"backend": self.backend.name, "performed": sequence.performed,
                                        "skipped": sequence.skipped,
                                        "unavailable": {k: v for k, v in caps.items() if v}})

    def _watch_loop(self, window: KioskWindow, caps: Dict[str, str]) -> _Watch:
        names = self.backend.process_name
        self.focus = FocusWatch(self.backend, window, self.emit)
        self.desktop = DesktopWatch(self.backend, self.emit)
        evidence = EvidenceWatch(self.backend, self.policy, self.emit, vm_evidence)
        assert self.key_reports is not None
        plan: List[Tuple[str, Optional[str], Callable[[], Callable[[], object]]]] = [
            ("keys", None, lambda: self.key_reports.check if self.key_reports else (lambda: None)),
            ("focus", B.FOCUS_WATCH, lambda: self.focus.check if self.focus else (lambda: None)),
            ("desktop", B.DESKTOP_SWITCH, lambda: self.desktop.check if self.desktop else (lambda: None)),
            ("clipboard", B.CLIPBOARD, lambda: ClipboardIsolation(self.backend, self.emit, names).check),
            ("displays", B.DISPLAYS, lambda: DisplayWatch(self.backend, self.policy, self.emit).check),
            ("programs", None, lambda: ProgramWatch(self.guard, self.policy, self.emit).check),
            ("overlays", B.OVERLAY_SCAN, lambda: OverlayScan(self.backend.windows, os.getpid(), window.native_handle,
                                                             self.policy.overlay_allow, self.emit).check),
            ("remote", None, lambda: evidence.check),
            ("vm", None, lambda: evidence.check_vm),
        ]
        return _Watch(plan, caps, self.intervals)

    def stop(self) -> List[Dict[str, str]]:
        """End the lockdown: the watch stops, every operation is reverted (newest first). Returns the
        reverts that failed (then the record stays, and the next start retries them)."""
        sequence, record = self._sequence, self._record
        if sequence is None or record is None:
            return []
        failures = sequence.unwind()
        for w in (self.focus, self.desktop):
            if w is not None:
                w.flush()
        if self.key_reports is not None:
            self.key_reports.check()
        self._sequence = None
        self.emit(ev.STOPPED, ev.INFO if not failures else ev.WARN, {"revert_failures": failures})
        if not failures:
            record.close()
        return failures

    # -- after a crash -----------------------------------------------------------------------------
    @classmethod
    def recover_after_crash(cls, data_dir: str, on_event: Optional[ev.EventSink] = None,
                            backend: Optional[LockdownBackend] = None) -> Optional[RecoveryReport]:
        """At client start: a record left by a lockdown that never ended means the last client died
        with the lockdown on. Revert what it recorded, report the unclean exit, forget the record."""
        path = record_path(str(data_dir))
        try:
            record = LockdownRecord.load(path)
        except ValueError as e:
            log.error("%s: %s", path, e)
            report = RecoveryReport({"record": quarantine(path)}, [], [], unreadable=True)
            (on_event or _quiet)(*report.event())
            return report
        if record is None:
            return None
        owner = dict(record.data.get("owner") or {})
        if is_running(owner):
            log.warning("lockdown record belongs to running process %s: left alone", owner.get("pid"))
            return None
        backend = backend or default_backend()
        reverted, failed = [], []
        for op in reversed(record.pending()):
            kind = str(op.get("kind"))
            try:
                reverted.append({"operation": kind, "outcome": backend.recover(kind, dict(op.get("plan") or {}))})
            except Exception as e:  # noqa: BLE001 - report it; the others still get reverted
                log.exception("recovery of %s failed", kind)
                failed.append({"operation": kind, "error": str(e)[:300]})
        previous = {"pid": owner.get("pid"), "started_at_ms": record.data.get("started_at_ms"),
                    "backend": (record.data.get("about") or {}).get("backend")}
        record.close()
        report = RecoveryReport(previous, reverted, failed)
        (on_event or _quiet)(*report.event())
        log.warning("recovered after an unclean exit: %s", report.event()[2])
        return report


class _Watch(WatchLoop):
    """The watch loop of one exam: checks are built when it starts (after the operations before it)."""

    def __init__(self, plan: List[Tuple[str, Optional[str], Callable[[], Callable[[], object]]]],
                 caps: Dict[str, str], intervals: Dict[str, float]) -> None:
        super().__init__([])
        self.plan, self.caps, self.intervals = plan, caps, intervals

    def start(self) -> None:
        self.checks = [Check(name, self.intervals[name], make()) for name, cap, make in self.plan
                       if cap is None or not self.caps.get(cap)]
        self.by_name = {c.name: c for c in self.checks}
        super().start()

    def poke_hint(self, what: str) -> None:
        self.poke("desktop" if what == "desktop" else "focus")


def _evidence(d: Dict[str, str]) -> Any:
    from client.monitor.vm_detect import Evidence

    return Evidence(d["source"], d["item"], d["weight"])
