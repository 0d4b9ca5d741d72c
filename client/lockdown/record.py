"""The durable record of an active lockdown: one JSON file, written with fsync before each change, so
that after a crash or a kill the next start knows exactly what to put back. Removed when the lockdown
ends cleanly; its presence at start-up means the last exam client did not exit normally."""
from __future__ import annotations

import json
import logging
import os
import time
from typing import Any, Dict, List, Optional

from client.durable import write_json_atomic

log = logging.getLogger(__name__)

RECORD_FORMAT = "examdesk-lockdown-record/1"
RECORD_FILE = "lockdown-active.json"
PERFORMING, PERFORMED, FAILED, REVERTED, REVERT_FAILED = "performing", "performed", "failed", "reverted", "revert_failed"
NEEDS_REVERT = (PERFORMING, PERFORMED, REVERT_FAILED)


def record_path(data_dir: str) -> str:
    return os.path.join(data_dir, "lockdown", RECORD_FILE)


def process_identity(pid: Optional[int] = None) -> Dict[str, Any]:
    """pid plus its start time: a reused pid is not mistaken for the process that wrote a record."""
    pid = os.getpid() if pid is None else pid
    created = None
    try:
        import psutil

        created = round(float(psutil.Process(pid).create_time()), 2)
    except Exception:  # noqa: BLE001 - psutil missing or the process is gone
        pass
    return {"pid": pid, "created": created}


def is_running(owner: Dict[str, Any]) -> bool:
    """Is the process that wrote this record still alive (then its lockdown is not ours to revert)?"""
    try:
        import psutil

        pid = int(owner.get("pid") or 0)
        if pid <= 0 or pid == os.getpid() or not psutil.pid_exists(pid):
            return False
        created = owner.get("created")
        return created is None or abs(float(psutil.Process(pid).create_time()) - float(created)) < 1.0
    except Exception:  # noqa: BLE001 - gone between the two calls, or no psutil
        return False


class LockdownRecord:
    def __init__(self, path: str) -> None:
        self.path = path
        self.data: Dict[str, Any] = {}

    def open(self, **about: Any) -> None:
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        self.data = {"format": RECORD_FORMAT, "owner": process_identity(),
                     "started_at_ms": int(time.time() * 1000), "about": dict(about), "ops": []}
        self._write()

    def add(self, kind: str, plan: Dict[str, Any]) -> int:
        self.data.setdefault("ops", []).append({"kind": kind, "plan": plan, "state": PERFORMING})
        self._write()
        return len(self.data["ops"]) - 1

    def mark(self, index: int, state: str, error: str = "") -> None:
        op = self.data["ops"][index]
        op["state"] = state
        if error:
            op["error"] = error
        self._write()

    def pending(self) -> List[Dict[str, Any]]:
        return [op for op in self.data.get("ops", []) if op.get("state") in NEEDS_REVERT]

    def close(self) -> None:
        """The lockdown ended and everything is back: forget it."""
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        self.data = {}

    def _write(self) -> None:
        write_json_atomic(self.path, self.data)

    @classmethod
    def load(cls, path: str) -> Optional[LockdownRecord]:
        """The record left behind, or None. Raises ValueError for a file that is not a record."""
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            raise ValueError("unreadable lockdown record: %s" % e) from e
        if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT or not isinstance(data.get("ops"), list):
            raise ValueError("not a lockdown record")
        rec = cls(path)
        rec.data = data
        return rec


def quarantine(path: str) -> str:
    """Move an unreadable record aside (kept for support), so it is reported once, not at every start."""
    aside = "%s.unreadable-%d" % (path, int(time.time()))
    try:
        os.replace(path, aside)
    except OSError as e:
        log.error("could not move the unreadable lockdown record aside: %s", e)
    return aside
