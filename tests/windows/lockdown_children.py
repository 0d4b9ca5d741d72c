"""Driving lockdown_helper.py children from a test: start one, read its JSON lines on a thread, wait for
what it reports, stop it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from typing import Any, Callable, Dict, List, Optional

HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lockdown_helper.py")


def wait_until(condition: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout   # a hang guard, not a speed requirement
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.02)


class Child:
    def __init__(self, *args: str) -> None:
        self.mode = args[0]
        self.lines: List[Dict[str, Any]] = []
        self.proc = subprocess.Popen([sys.executable, HELPER, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        ready = wait_until(lambda: next((x for x in self.lines if "ready" in x), None), "child ready")
        self.hwnd, self.pid = int(ready["ready"]), int(ready["pid"])
        assert self.pid == self.proc.pid

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            line = line.strip()
            if line.startswith("{"):
                self.lines.append(json.loads(line))

    def events(self, type_: Optional[str] = None) -> List[List[Any]]:
        return [x["event"] for x in list(self.lines) if "event" in x and (type_ is None or x["event"][0] == type_)]

    def keys(self) -> List[int]:
        return [x["key"] for x in list(self.lines) if "key" in x]

    def wait_event(self, type_: str, pred: Callable[[Dict[str, Any]], bool] = lambda d: True) -> List[Any]:
        return wait_until(lambda: next((e for e in self.events(type_) if pred(e[2])), None), type_)

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def stop_lockdown(self) -> List[Any]:
        self.send("stop")
        return wait_until(lambda: next((x for x in self.lines if "stopped" in x), None), "stopped")["stopped"]

    def close(self) -> None:
        """Lockdown stopped (if it still runs), then the process killed: Qt's own exit takes seconds in wine."""
        if self.proc.poll() is None:
            try:
                if self.mode == "exam" and not any("stopped" in x for x in self.lines):
                    self.stop_lockdown()
            finally:
                self.proc.kill()
                self.proc.wait()
