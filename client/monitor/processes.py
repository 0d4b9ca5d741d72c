"""Forbidden programs for the self-check (the list is examcore.programs, edited by the server's policy):
find them, and close them only when the candidate clicks "close" (never on our own). With the real
process list a renamed copy is found too (version resource, signer: see client.lockdown.guard)."""
from __future__ import annotations

import logging
from typing import Dict, Iterable, List, Optional, Protocol, Tuple

from examcore.programs import exe_key, programs_from_policy

log = logging.getLogger(__name__)


class ProcessLister(Protocol):
    def list(self) -> List[Tuple[int, str]]: ...   # (pid, executable name)


class PsutilProcesses:
    def list(self) -> List[Tuple[int, str]]:
        import psutil

        out = []
        for p in psutil.process_iter(["pid", "name"]):
            name = p.info.get("name")
            if name:
                out.append((int(p.info["pid"]), str(name)))
        return out


def find_forbidden(forbidden: Iterable[str], lister: Optional[ProcessLister] = None) -> List[Dict[str, object]]:
    """Running processes on the list (case-insensitive, with or without .exe). A scripted `lister`
    is matched by name; the real process list also by version resource and signer."""
    names = [n for n in forbidden if n and n.strip()]
    if not names:
        return []
    if lister is None:
        from client.lockdown.guard import ProcessGuard
        from client.lockdown.session import default_backend

        guard = ProcessGuard(programs_from_policy({"forbidden_processes": names}), default_backend(), exempt_self=False)
        found = [{"pid": f.pid, "name": f.name} for f in guard.running()]
    else:
        wanted = {exe_key(n) for n in names}
        found = [{"pid": pid, "name": name} for pid, name in lister.list() if exe_key(name) in wanted]
    return sorted(found, key=lambda d: (str(d["name"]).lower(), int(d["pid"])))  # type: ignore[call-overload]


def close_processes(pids: Iterable[int], timeout: float = 3.0) -> Dict[int, str]:
    """The candidate clicked "close": ask each program politely (WM_CLOSE to its windows / SIGTERM),
    end what is left after `timeout`. Returns pid -> closed | gone | denied | alive."""
    import psutil

    from client.lockdown.session import default_backend

    backend = default_backend()
    result: Dict[int, str] = {}
    procs = []
    for pid in pids:
        try:
            p = psutil.Process(int(pid))
            if not backend.ask_to_close(p.pid):
                p.terminate()   # no window to ask (a tray or background process)
            procs.append(p)
        except psutil.NoSuchProcess:
            result[int(pid)] = "gone"
        except psutil.AccessDenied:
            result[int(pid)] = "denied"
    gone, alive = psutil.wait_procs(procs, timeout=timeout)
    for p in gone:
        result[p.pid] = "closed"
    for p in alive:
        try:
            p.kill()
            p.wait(timeout=timeout)
            result[p.pid] = "closed"
        except psutil.NoSuchProcess:
            result[p.pid] = "closed"
        except (psutil.AccessDenied, psutil.TimeoutExpired):
            result[p.pid] = "alive" if p.is_running() else "closed"
    log.info("closed forbidden programs on the candidate's request: %s", result)
    return result
