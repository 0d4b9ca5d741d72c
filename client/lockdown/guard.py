"""The process guard: finds forbidden programs by executable name, by the version resource's
OriginalFilename / InternalName / ProductName (a renamed copy is still caught) and by signer, and
closes them politely first, by force only when asked.

Cheap enough to run every two seconds: each scan lists pids (one system call) and looks only at pids
it has not seen. Windows hands a freed pid to the next new process at once, so there the listing is a
Toolhelp snapshot of pid and name, and a known pid under another name is looked at again; elsewhere
(Linux hands out pids in sequence up to pid_max: reuse takes long) the start times of known pids are
re-read every `verify_every` scans (30 s at the exam's 2 s)."""
from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Optional, Protocol, Sequence, Tuple

from examcore.programs import ForbiddenProgram, Identity, ProgramMatcher, is_protected

log = logging.getLogger(__name__)
CLOSED, GONE, ALIVE, DENIED, PROTECTED = "closed", "gone", "alive", "denied", "protected"
SETTLE_S = 1.0   # a clean verdict on a process younger than this is not kept: it is looked at again


class ProcessTable(Protocol):
    def pids(self) -> Sequence[int]: ...

    def names(self) -> Optional[Dict[int, str]]:
        """{pid: executable name} of every process in one call where the system offers it, else None."""
        ...

    def describe(self, pid: int) -> Optional[Tuple[str, str, float]]:
        """(executable name, full path or "", start time); None when the process is gone."""
        ...

    def start_time(self, pid: int, exited_is_gone: bool = False) -> Optional[float]:
        """None when gone (with exited_is_gone: also when it has exited but is not yet reaped)."""
        ...


class PsutilTable:
    def pids(self) -> Sequence[int]:
        import psutil

        return psutil.pids()

    def names(self) -> Optional[Dict[int, str]]:
        if sys.platform != "win32":
            return None
        from client.win32.processes import process_names

        try:
            return process_names()
        except OSError as e:
            log.warning("process snapshot failed, pids only: %s", e)
            return None

    def describe(self, pid: int) -> Optional[Tuple[str, str, float]]:
        import psutil

        try:
            p = psutil.Process(pid)
            with p.oneshot():
                name, created = p.name(), p.create_time()
                try:
                    exe = p.exe()
                except (psutil.AccessDenied, OSError):
                    exe = ""   # another user's or an elevated process: matched by name only
            return str(name), str(exe or ""), float(created)
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            return None
        except psutil.AccessDenied:
            return None

    def start_time(self, pid: int, exited_is_gone: bool = False) -> Optional[float]:
        import psutil

        try:
            p = psutil.Process(pid)                   # reads the start time once, to tell reused pids apart
            if exited_is_gone and p.status() == psutil.STATUS_ZOMBIE:   # ended, not yet reaped
                return None
            return float(p.create_time())
        except (psutil.Error, OSError):
            return None


class IdentitySource(Protocol):
    def program_identity(self, path: str) -> Dict[str, str]: ...

    def session_of(self, pid: int) -> Optional[int]: ...

    def ask_to_close(self, pid: int) -> bool: ...


@dataclass(frozen=True)
class ProgramFinding:
    pid: int
    name: str
    exe: str
    program: ForbiddenProgram
    matched_by: str
    value: str
    own_session: bool
    started: float

    @property
    def label(self) -> str:
        return self.program.label

    def to_detail(self) -> Dict[str, Any]:
        return {"pid": self.pid, "name": self.name, "exe": self.exe, "program": self.program.key,
                "label": self.program.label, "label_zh": self.program.label_zh, "category": self.program.category,
                "matched_by": self.matched_by, "value": self.value, "own_session": self.own_session}


class ProcessGuard:
    def __init__(self, programs: Iterable[ForbiddenProgram], identity: IdentitySource,
                 table: Optional[ProcessTable] = None, verify_every: int = 15,
                 exempt: Iterable[int] = (), exempt_self: bool = True) -> None:
        self.matcher = ProgramMatcher(list(programs))
        self.identity, self.table = identity, table or PsutilTable()
        self.verify_every = verify_every
        # (not os.getppid too: on Windows, Python 3.12+ calls PssCaptureSnapshot for it, which wine lacks)
        self.exempt = set(exempt) | ({os.getpid()} if exempt_self else set())
        self.own_session = identity.session_of(os.getpid())
        # pid -> (start time, finding or None, name in the listing)
        self.known: Dict[int, Tuple[float, Optional[ProgramFinding], str]] = {}
        self._ids: Dict[str, Identity] = {}
        self.scans = 0

    def _identity(self, name: str, path: str) -> Identity:
        if not path:
            return Identity(name)
        ident = self._ids.get(path)
        if ident is None:
            try:
                info = self.identity.program_identity(path)
            except Exception as e:  # noqa: BLE001 - an unreadable file is matched by name
                log.debug("no identity for %s: %r", path, e)
                info = {}
            ident = self._ids[path] = Identity(name, info.get("OriginalFilename", ""), info.get("InternalName", ""),
                                               info.get("ProductName", ""), info.get("Signer", ""))
        return ident if ident.exe_name == name else Identity(name, ident.original_filename, ident.internal_name,
                                                             ident.product_name, ident.signer)

    def _look(self, pid: int) -> Optional[Tuple[float, Optional[ProgramFinding]]]:
        facts = self.table.describe(pid)
        if facts is None:
            return None
        name, path, started = facts
        match = self.matcher.match(Identity(name))
        if match is None:
            match = self.matcher.match(self._identity(name, path))
        if match is None:
            return started, None
        session = self.identity.session_of(pid)
        own = session is None or self.own_session is None or session == self.own_session
        return started, ProgramFinding(pid, name, path, match.program, match.matched_by, match.value, own, started)

    def scan(self) -> List[ProgramFinding]:
        """Forbidden programs that appeared since the last scan (all of them on the first)."""
        self.scans += 1
        listing = self.table.names()
        current = set(listing) if listing is not None else set(self.table.pids())
        for pid in [p for p in self.known if p not in current]:
            del self.known[pid]
        if listing is not None:
            for pid, (_s, _f, name) in list(self.known.items()):
                if listing.get(pid) != name:          # a new process under a reused pid
                    del self.known[pid]
        elif self.verify_every and self.scans % self.verify_every == 0:
            for pid, (started, _f, _n) in list(self.known.items()):
                now = self.table.start_time(pid)
                if now is not None and abs(now - started) > 0.5:   # a new process under a reused pid
                    del self.known[pid]
        new: List[ProgramFinding] = []
        for pid in current:
            if pid in self.known or pid in self.exempt:
                continue
            seen = self._look(pid)
            if seen is None:
                continue
            if seen[1] is None and time.time() - seen[0] < SETTLE_S:
                continue    # just forked, maybe not yet exec'd (POSIX): its name may still be its parent's
            self.known[pid] = (seen[0], seen[1], listing.get(pid, "") if listing is not None else "")
            if seen[1] is not None:
                new.append(seen[1])
        return sorted(new, key=lambda f: (f.label.lower(), f.pid))

    def running(self) -> List[ProgramFinding]:
        """Every forbidden program running now."""
        self.scan()
        alive = [f for _s, f, _n in self.known.values() if f is not None and self._same(f)]   # not ended meanwhile
        return sorted(alive, key=lambda f: (f.label.lower(), f.pid))

    def close(self, findings: Iterable[ProgramFinding], force: bool = False, grace_s: float = 2.5,
              poll_s: float = 0.25, sleep: Callable[[float], None] = time.sleep) -> Dict[int, str]:
        """Ask each program to close (its windows get WM_CLOSE / it gets SIGTERM) and wait up to
        `grace_s`; with force, end what is left (the candidate agreed: unsaved work in it is lost).
        Returns pid -> closed | gone | alive | denied | protected."""
        result: Dict[int, str] = {}
        waiting: List[ProgramFinding] = []
        for f in findings:
            if is_protected(f.name) or f.pid in self.exempt:
                result[f.pid] = PROTECTED
            elif not self._same(f):
                result[f.pid] = GONE
            else:
                self.identity.ask_to_close(f.pid)
                waiting.append(f)
        deadline = time.monotonic() + grace_s
        while waiting and time.monotonic() < deadline:
            sleep(poll_s)
            for f in [w for w in waiting if not self._same(w)]:
                result[f.pid] = CLOSED
                waiting.remove(f)
        for f in waiting:
            result[f.pid] = self.terminate(f) if force else ALIVE
        log.info("forbidden programs closed on request (force=%s): %s", force, result)
        return result

    def terminate(self, f: ProgramFinding, wait_s: float = 3.0) -> str:
        """End the process now (TerminateProcess / SIGKILL)."""
        if is_protected(f.name) or f.pid in self.exempt:
            return PROTECTED
        import psutil

        try:
            p = psutil.Process(f.pid)
            if abs(p.create_time() - f.started) > 0.5:
                return GONE
            p.kill()
            p.wait(timeout=wait_s)
            return CLOSED
        except psutil.NoSuchProcess:
            return CLOSED
        except psutil.AccessDenied:
            return DENIED
        except psutil.TimeoutExpired:
            return ALIVE

    def _same(self, f: ProgramFinding) -> bool:
        """Is this finding's process still running (not a new one under its pid)?"""
        started = self.table.start_time(f.pid, exited_is_gone=True)
        return started is not None and abs(started - f.started) <= 0.5
