"""The small watchers of the exam loop: blocked keys (reported off the hook thread), desktop and session
switches, the clipboard, displays, remote sessions and VM evidence, and forbidden programs that start."""
from __future__ import annotations

import collections
import logging
import os
import time
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

from client.lockdown import events as ev
from client.lockdown.backend import LockdownBackend
from client.lockdown.guard import ProcessGuard
from client.lockdown.keys import KeyOutcome
from client.lockdown.policy import SEVERITY_OF, LockdownPolicy

log = logging.getLogger(__name__)
Clock = Callable[[], float]


class KeyReports:
    """The hook thread only puts (combo, injected, vk) on a queue; this reports them from the watch
    thread, folding repeats of one combination within `fold_s` into a count."""

    def __init__(self, on_event: ev.EventSink, clock: Clock = time.monotonic, fold_s: float = 2.0) -> None:
        self.on_event, self.clock, self.fold_s = on_event, clock, fold_s
        # deque append/popleft are atomic: the hook thread never waits for a lock (bounded against a flood)
        self.queue: Deque[Tuple[str, bool, int]] = collections.deque(maxlen=1000)
        self.last: Dict[Tuple[str, bool], float] = {}
        self.folded: Dict[Tuple[str, bool], int] = {}
        self.total = 0

    def put(self, outcome: KeyOutcome, vk: int) -> None:   # on the hook thread: nothing slow here
        self.queue.append((outcome.combo or "", outcome.injected, vk))

    def check(self) -> None:
        while True:
            try:
                combo, injected, vk = self.queue.popleft()
            except IndexError:
                return
            self.total += 1
            key, now = (combo, injected), self.clock()
            if now - self.last.get(key, -1e9) < self.fold_s:
                self.folded[key] = self.folded.get(key, 0) + 1
                continue
            self.last[key] = now
            severity = ev.WARN if injected or combo == "print_screen" else ev.INFO
            self.on_event(ev.KEY_BLOCKED, severity, {"combo": combo, "injected": injected, "vk": vk,
                                                     "repeats_before": self.folded.pop(key, 0)})


class DesktopWatch:
    """Ctrl+Alt+Del, UAC prompts and the lock screen move input to another desktop; a fast user
    switch moves our session off the console. Each is reported when it ends, with its duration."""

    def __init__(self, backend: LockdownBackend, on_event: ev.EventSink, clock: Clock = time.monotonic) -> None:
        self.backend, self.on_event, self.clock = backend, on_event, clock
        self.away: Optional[Tuple[float, str]] = None
        self.off_console: Optional[float] = None

    def check(self) -> None:
        name = self.backend.input_desktop()
        now = self.clock()
        if name is None or name.lower() not in ("default", ""):
            if self.away is None:
                self.away = (now, name or "secure or locked desktop")
        elif self.away is not None:
            since, where = self.away
            self.away = None
            self.on_event(ev.DESKTOP_SWITCHED, ev.WARN, {"desktop": where, "duration_ms": int((now - since) * 1000)})
        console = self.backend.session_on_console()
        if console is False and self.off_console is None:
            self.off_console = now
        elif console and self.off_console is not None:
            self.on_event(ev.SESSION_SWITCHED, ev.WARN, {"duration_ms": int((now - self.off_console) * 1000)})
            self.off_console = None

    def flush(self) -> None:
        now = self.clock()
        if self.away is not None:
            self.on_event(ev.DESKTOP_SWITCHED, ev.WARN, {"desktop": self.away[1], "ongoing": True,
                                                         "duration_ms": int((now - self.away[0]) * 1000)})
            self.away = None


class ClipboardIsolation:
    """Content another program puts on the clipboard during the exam is cleared (and reported): only
    what the candidate copies inside the exam can be pasted."""

    def __init__(self, backend: LockdownBackend, on_event: ev.EventSink, names: Callable[[int], str]) -> None:
        self.backend, self.on_event, self.names = backend, on_event, names
        self.pid = os.getpid()
        self.seq = backend.clipboard_state()[0]
        self.cleared = 0

    def check(self) -> None:
        seq, owner, has_content = self.backend.clipboard_state()
        if seq == self.seq:
            return
        self.seq = seq
        if owner == self.pid or not has_content:
            return
        self.backend.empty_clipboard()
        self.seq = self.backend.clipboard_state()[0]
        self.cleared += 1
        self.on_event(ev.CLIPBOARD_CLEARED, ev.WARN, {"reason": "foreign", "owner_pid": owner,
                                                      "owner_exe": self.names(owner) if owner else ""})


class DisplayWatch:
    def __init__(self, backend: LockdownBackend, policy: LockdownPolicy, on_event: ev.EventSink) -> None:
        self.backend, self.policy, self.on_event = backend, policy, on_event
        self.base = backend.displays()

    def check(self) -> None:
        now = self.backend.displays()
        if now == self.base:
            return
        (m0, o0), (m1, o1) = self.base, now
        self.base = now
        added = (m1 or 0) > (m0 or 0) or (o1 or 0) > (o0 or 0)
        action = self.policy.multiple_displays if (m1 or 0) > (m0 or 0) else self.policy.mirrored_displays
        severity = SEVERITY_OF[action] if added else ev.INFO
        self.on_event(ev.DISPLAY_CHANGED, severity, {"change": "added" if added else "removed", "displays": m1,
                                                     "outputs": o1, "displays_before": m0, "outputs_before": o0})


class EvidenceWatch:
    """Remote-session evidence, re-checked during the exam, and the VM verdict: each reported when it
    appears, weighed by the policy (allow reports nothing)."""

    def __init__(self, backend: LockdownBackend, policy: LockdownPolicy, on_event: ev.EventSink,
                 vm_probe: Optional[Callable[[], Tuple[bool, List[Dict[str, str]]]]] = None) -> None:
        self.backend, self.policy, self.on_event = backend, policy, on_event
        self.vm_probe = vm_probe
        self.remote: List[str] = []
        self.vm: Optional[bool] = None

    def check(self) -> None:
        remote = sorted(self.backend.remote_evidence())
        if remote and remote != self.remote and self.policy.remote_session != "allow":
            self.on_event(ev.REMOTE_SESSION, SEVERITY_OF[self.policy.remote_session], {"evidence": remote})
        self.remote = remote

    def check_vm(self) -> None:
        if self.vm_probe is None:
            return
        virtual, evidence = self.vm_probe()
        if virtual and not self.vm and self.policy.virtual_machine != "allow":
            self.on_event(ev.VIRTUAL_MACHINE, SEVERITY_OF[self.policy.virtual_machine], {"evidence": evidence})
        self.vm = virtual


def vm_evidence() -> Tuple[bool, List[Dict[str, str]]]:
    from client.monitor.vm_detect import collect_evidence, looks_virtual

    evidence = collect_evidence()
    return looks_virtual(evidence), [e.to_dict() for e in evidence]


class ProgramWatch:
    """Forbidden programs that start during the exam: terminated or flagged, per policy; reported."""

    def __init__(self, guard: ProcessGuard, policy: LockdownPolicy, on_event: ev.EventSink) -> None:
        self.guard, self.policy, self.on_event = guard, policy, on_event

    def check(self) -> None:
        for f in self.guard.scan():
            action = "flagged"
            if self.policy.forbidden_during_exam == "terminate" and f.own_session:
                outcome = self.guard.terminate(f)
                action = {"closed": "terminated", "denied": "terminate_denied", "protected": "flagged",
                          "gone": "ended"}.get(outcome, "terminate_failed")
            detail: Dict[str, Any] = dict(f.to_detail(), action=action)
            self.on_event(ev.FORBIDDEN_PROGRAM, ev.ALERT, detail)
