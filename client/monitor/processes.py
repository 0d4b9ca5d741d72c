"""Forbidden programs (from the server's policy list): find them, and close them only when the
candidate clicks "close" (never on our own)."""
from __future__ import annotations

import logging
from typing import Dict, Iterable, List, Optional, Protocol, Tuple

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


def _key(name: str) -> str:
    low = name.strip().lower()
    return low[:-4] if low.endswith(".exe") else low


def find_forbidden(forbidden: Iterable[str], lister: Optional[ProcessLister] = None) -> List[Dict[str, object]]:
    """Running processes whose name matches the list (case-insensitive, with or without .exe)."""
    wanted = {_key(n) for n in forbidden if n and n.strip()}
    if not wanted:
        return []
    found = []
    for pid, name in (lister or PsutilProcesses()).list():
        if _key(name) in wanted:
            found.append({"pid": pid, "name": name})
    return sorted(found, key=lambda d: (str(d["name"]).lower(), int(d["pid"])))  # type: ignore[call-overload]


def close_processes(pids: Iterable[int], timeout: float = 3.0) -> Dict[int, str]:
    """Ask each process to end (terminate), then kill what is left. Returns pid -> closed|gone|denied|alive."""
    import psutil

    result: Dict[int, str] = {}
    procs = []
    for pid in pids:
        try:
            p = psutil.Process(int(pid))
            p.terminate()
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
