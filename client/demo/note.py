"""The demo folder's note of what runs for it (`demo-state.json`): the server port and the processes this
folder's launcher started, each by pid and start time, so a recycled pid is never taken for ours and a
launcher that was killed can be cleaned up after by the next one."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, Optional

STATE = "demo-state.json"


def say(text: str) -> None:
    print("[demo] " + text, flush=True)


class Note:
    """`demo-state.json`: the port, and the processes running for this folder (pid + start time, so a
    recycled pid is never taken for ours)."""

    def __init__(self, home: Path) -> None:
        self.path = home / STATE
        try:
            self.data: Dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}
        self.data.setdefault("processes", {})

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=1), encoding="utf-8")
        os.replace(str(tmp), str(self.path))

    def record(self, role: str, proc: Optional[subprocess.Popen], pid: Optional[int] = None) -> None:
        pid = proc.pid if proc is not None else pid
        if pid is None:
            self.data["processes"].pop(role, None)
        else:
            self.data["processes"][role] = {"pid": pid, "started": _started(pid)}
        self.save()

    def alive(self, role: str) -> Optional[int]:
        entry = self.data["processes"].get(role)
        if not entry:
            return None
        started = _started(int(entry["pid"]))
        return int(entry["pid"]) if started is not None and abs(started - float(entry["started"] or 0)) < 1.0 else None


def _started(pid: int) -> Optional[float]:
    try:
        import psutil

        return float(psutil.Process(pid).create_time())
    except Exception:  # noqa: BLE001 - gone (or not ours to see)
        return None


def stop_leftovers(note: Note) -> None:
    """Children of a launcher that was killed: stop them (the folder is ours again)."""
    import psutil

    for role in ("client", "server", "xvfb"):
        pid = note.alive(role)
        if pid is None:
            continue
        say("上次的演示留下了%s进程 %d，正在停止 / stopping the %s (pid %d) left by a demo that was killed"
            % ({"client": "客户端", "server": "服务器", "xvfb": "Xvfb"}[role], pid, role, pid))
        try:
            p = psutil.Process(pid)
            p.terminate()
            p.wait(10)
        except psutil.TimeoutExpired:
            p.kill()
        except psutil.Error:
            pass
    note.data["processes"] = {}
    note.save()


