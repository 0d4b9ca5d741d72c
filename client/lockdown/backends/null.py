"""A scripted backend for tests and the demo: every answer comes from plain attributes a test sets, and
every request is logged in `calls`. `setting_file` stands in for a system setting that outlives the
process (what the accessibility shortcuts are on Windows): a file the operation changes, and that
recovery after a kill must put back."""
from __future__ import annotations

import json
import os
from typing import Any, Callable, Dict, List, Optional, Tuple

from client.durable import write_json_atomic
from client.lockdown import backend as B
from client.lockdown import events as ev
from client.lockdown.backend import KeyReport, KioskWindow, WindowEventHint, WindowInfo
from client.lockdown.keys import KeyFilter
from client.lockdown.operations import FunctionOperation, Operation


class NullBackend:
    name = "null"

    def __init__(self, setting_file: Optional[str] = None) -> None:
        self.setting_file = setting_file
        self.calls: List[Tuple[str, Any]] = []
        self.front_is_ours = True
        self.front_window: Optional[WindowInfo] = None
        self.raise_works = True
        self.top_windows: List[WindowInfo] = []
        self.desktop: Optional[str] = "Default"
        self.on_console: Optional[bool] = True
        self.clipboard_seq = 1
        self.clipboard_owner: Optional[int] = None
        self.clipboard_has_content = False
        self.display_counts: Tuple[Optional[int], Optional[int]] = (1, 1)
        self.remote: List[str] = []
        self.identities: Dict[str, Dict[str, str]] = {}
        self.sessions: Dict[int, int] = {}
        self.key_filter: Optional[KeyFilter] = None
        self.on_key: Optional[KeyReport] = None
        self.hint: Optional[WindowEventHint] = None

    def capabilities(self) -> Dict[str, str]:
        return {c: "" for c in B.CAPABILITIES}

    def operations(self, window: KioskWindow, keys: KeyFilter, on_key: KeyReport, hint: WindowEventHint,
                   on_event: ev.EventSink) -> List[Operation]:
        self.key_filter, self.on_key, self.hint = keys, on_key, hint
        ops: List[Operation] = [
            FunctionOperation("clipboard", self.empty_clipboard, self.empty_clipboard),
            FunctionOperation("keyboard_filter", lambda: self.calls.append(("hook", True)),
                              lambda: self.calls.append(("hook", False))),
        ]
        if self.setting_file:
            ops.append(self._setting_op(self.setting_file))
        return ops

    def _setting_op(self, path: str) -> Operation:
        before: Dict[str, Any] = {}

        def plan() -> Dict[str, Any]:
            before["value"] = _read_setting(path)
            return {"path": path, "value": before["value"]}

        def perform() -> None:
            write_json_atomic(path, {"value": "locked"})

        def revert() -> None:
            write_json_atomic(path, {"value": before.get("value")})

        return FunctionOperation("simulated_setting", perform, revert, plan=plan)

    # test helper: what the hook would do for one key
    def press(self, vk: int, flags: int = 0, message: int = 0x100) -> bool:
        assert self.key_filter is not None and self.on_key is not None
        out = self.key_filter.on_key(vk, flags, message)
        if out.combo is not None:
            self.on_key(out, vk)
        return out.swallow

    def foreground(self, window: KioskWindow) -> Tuple[bool, Optional[WindowInfo]]:
        return self.front_is_ours, (None if self.front_is_ours else self.front_window)

    def bring_to_front(self, window: KioskWindow) -> bool:
        self.calls.append(("raise", window.native_handle()))
        if self.raise_works:
            self.front_is_ours = True
        return self.raise_works

    def windows(self) -> List[WindowInfo]:
        return list(self.top_windows)

    def input_desktop(self) -> Optional[str]:
        return self.desktop

    def session_on_console(self) -> Optional[bool]:
        return self.on_console

    def clipboard_state(self) -> Tuple[int, Optional[int], bool]:
        return self.clipboard_seq, self.clipboard_owner, self.clipboard_has_content

    def empty_clipboard(self) -> None:
        self.calls.append(("empty_clipboard", None))
        self.clipboard_seq += 1
        self.clipboard_owner, self.clipboard_has_content = None, False

    def displays(self) -> Tuple[Optional[int], Optional[int]]:
        return self.display_counts

    def remote_evidence(self) -> List[str]:
        return list(self.remote)

    def program_identity(self, path: str) -> Dict[str, str]:
        return dict(self.identities.get(path, {}))

    def session_of(self, pid: int) -> Optional[int]:
        return self.sessions.get(pid, 1)

    def process_name(self, pid: int) -> str:
        return "pid%d.exe" % pid

    def ask_to_close(self, pid: int) -> bool:
        self.calls.append(("ask_to_close", pid))
        try:
            import signal

            os.kill(pid, signal.SIGTERM)
            return True
        except OSError:
            return False

    def recover(self, kind: str, plan: Dict[str, Any]) -> str:
        self.calls.append(("recover", kind))
        if kind == "simulated_setting":
            write_json_atomic(str(plan["path"]), {"value": plan.get("value")})
            return "restored"
        if kind == "clipboard":
            self.empty_clipboard()
            return "emptied"
        return "ended with the process"


def _read_setting(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f).get("value")
    except (OSError, ValueError, AttributeError):
        return None


_conforms: Callable[[], B.LockdownBackend] = NullBackend   # mypy checks the class against the Protocol
