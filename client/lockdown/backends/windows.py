"""The Windows lockdown, all through client.win32: a low-level keyboard hook on its own thread, the exam
window top-most and excluded from capture, the accessibility shortcuts off, the clipboard emptied;
foreground, desktop, display, clipboard and window scans for the watch loop."""
from __future__ import annotations

import logging
import os
from typing import Any, Callable, Dict, List, Optional, Tuple

from client.lockdown import backend as B
from client.lockdown import events as ev
from client.lockdown.backend import KeyReport, KioskWindow, WindowEventHint, WindowInfo
from client.lockdown.keys import KeyFilter
from client.lockdown.operations import FunctionOperation, Operation
from client.win32 import accessibility, clipboard, desktop, fileinfo, keyboard, windows
from client.win32.api import Win32Error, windows_build

log = logging.getLogger(__name__)
ENDS_WITH_PROCESS = "ended with the process"


class ProcessNames:
    """pid -> executable name, cached (a window scan asks for the same few processes again and again)."""

    def __init__(self) -> None:
        self._names: Dict[int, str] = {}

    def __call__(self, pid: int) -> str:
        name = self._names.get(pid)
        if name is None:
            try:
                import psutil

                name = str(psutil.Process(pid).name())
            except Exception:  # noqa: BLE001 - gone, or another user's: still a window to report
                name = ""
            if len(self._names) > 2000:
                self._names.clear()
            self._names[pid] = name
        return name


class WindowsBackend:
    name = "windows"

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.names = ProcessNames()
        self.hooks: Optional[keyboard.HookThread] = None

    def capabilities(self) -> Dict[str, str]:
        caps = {c: "" for c in B.CAPABILITIES}
        if not windows.GetWindowDisplayAffinity.available():
            caps[B.OVERLAY_SCAN] = "GetWindowDisplayAffinity is missing on this Windows version"
        return caps

    # -- operations --------------------------------------------------------------------------------
    def operations(self, window: KioskWindow, keys: KeyFilter, on_key: KeyReport, hint: WindowEventHint,
                   on_event: ev.EventSink) -> List[Operation]:
        return [self._clipboard_op(), self._shortcuts_op(), self._hook_op(keys, on_key, hint),
                self._topmost_op(window), self._capture_op(window, on_event)]

    def _clipboard_op(self) -> Operation:
        # emptied at the start (nothing brought in) and at the end (nothing of the paper taken out)
        return FunctionOperation("clipboard", clipboard.empty, clipboard.empty)

    def _shortcuts_op(self) -> Operation:
        before: Dict[str, int] = {}

        def plan() -> Dict[str, Any]:
            before.clear()
            before.update(accessibility.shortcut_flags())
            return {"flags": dict(before)}

        def perform() -> None:
            for kind, flags in before.items():
                if accessibility.without_hotkey(flags) != flags:
                    accessibility.set_flags(kind, accessibility.without_hotkey(flags))

        def revert() -> None:
            _restore_shortcuts(before)
        return FunctionOperation("accessibility_shortcuts", perform, revert, plan=plan)

    def _hook_op(self, keys: KeyFilter, on_key: KeyReport, hint: WindowEventHint) -> Operation:
        def decide(vk: int, flags: int, message: int) -> bool:
            outcome = keys.on_key(vk, flags, message)
            if outcome.combo is not None:
                on_key(outcome, vk)
            return outcome.swallow

        def on_winevent(event: int, _hwnd: int) -> None:
            hint("desktop" if event == keyboard.EVENT_SYSTEM_DESKTOPSWITCH else "foreground")

        def perform() -> None:
            from client.lockdown.keys import MODIFIERS

            keys.seed(keyboard.keys_down(sorted(MODIFIERS)))
            self.hooks = keyboard.HookThread(decide, on_winevent)
            self.hooks.start()

        def revert() -> None:
            if self.hooks is not None:
                self.hooks.stop()
                self.hooks = None
        return FunctionOperation("keyboard_filter", perform, revert)

    def _topmost_op(self, window: KioskWindow) -> Operation:
        return FunctionOperation("topmost", lambda: windows.set_topmost(window.native_handle(), True),
                                 lambda: _if_window(window, lambda h: windows.set_topmost(h, False)))

    def _capture_op(self, window: KioskWindow, on_event: ev.EventSink) -> Operation:
        build = windows_build()
        mode = windows.capture_exclusion_mode(build)
        label = "exclude_from_capture" if mode == windows.WDA_EXCLUDEFROMCAPTURE else "monitor"

        def perform() -> None:
            try:
                windows.set_capture_exclusion(window.native_handle(), mode)
            except Win32Error as e:
                # e.g. wine (always), or Windows 7 with desktop composition off
                on_event(ev.CAPTURE_BLOCK, ev.WARN, {"ok": False, "mode": label, "windows_build": build,
                                                     "error": "SetWindowDisplayAffinity failed",
                                                     "last_error": e.winerror_code})
                raise
            on_event(ev.CAPTURE_BLOCK, ev.INFO, {"ok": True, "mode": label, "windows_build": build,
                                                 "affinity": windows.window_affinity(window.native_handle())})

        return FunctionOperation("capture_exclusion", perform,
                                 lambda: _if_window(window, lambda h: windows.set_capture_exclusion(h, windows.WDA_NONE)))

    # -- what the watch loop asks --------------------------------------------------------------------
    def _info(self, hwnd: int) -> WindowInfo:
        return to_window_info(windows.describe(hwnd), self.names)

    def foreground(self, window: KioskWindow) -> Tuple[bool, Optional[WindowInfo]]:
        hwnd = windows.foreground_window()
        if not hwnd:
            return False, None
        pid, _tid = windows.window_pid(hwnd)
        if pid == self.pid:
            return True, None           # our own dialogs count as the exam
        return False, self._info(hwnd)

    def bring_to_front(self, window: KioskWindow) -> bool:
        handle = window.native_handle()
        if handle and windows.bring_to_front(handle):
            return True
        window.bring_to_front()         # through the GUI toolkit as well; the next poll tells
        return False

    def windows(self) -> List[WindowInfo]:
        return [to_window_info(r, self.names) for r in windows.visible_top_level_windows()]

    def input_desktop(self) -> Optional[str]:
        return desktop.input_desktop_name()

    def session_on_console(self) -> Optional[bool]:
        own, console = desktop.own_session(), desktop.console_session()
        if own is None or console is None:
            return None
        return own == console

    def clipboard_state(self) -> Tuple[int, Optional[int], bool]:
        return clipboard.sequence_number(), clipboard.owner_pid(), clipboard.format_count() > 0

    def empty_clipboard(self) -> None:
        clipboard.empty()

    def displays(self) -> Tuple[Optional[int], Optional[int]]:
        return desktop.monitor_count(), desktop.active_outputs()

    def remote_evidence(self) -> List[str]:
        from client.monitor.system_check import remote_session_evidence

        return remote_session_evidence()

    def program_identity(self, path: str) -> Dict[str, str]:
        out = dict(fileinfo.version_strings(path))
        signer = fileinfo.signer_name(path)
        if signer:
            out["Signer"] = signer
        return out

    def session_of(self, pid: int) -> Optional[int]:
        return desktop.session_of(pid)

    def process_name(self, pid: int) -> str:
        return self.names(pid)

    def ask_to_close(self, pid: int) -> bool:
        return windows.close_windows_of(pid) > 0

    def recover(self, kind: str, plan: Dict[str, Any]) -> str:
        if kind == "accessibility_shortcuts":
            _restore_shortcuts({k: int(v) for k, v in dict(plan.get("flags") or {}).items()
                                if k in accessibility.KINDS})
            return "restored"
        if kind == "clipboard":
            clipboard.empty()
            return "emptied"
        return ENDS_WITH_PROCESS        # hooks, top-most and capture flags die with their process


def to_window_info(raw: windows.RawWindow, names: Callable[[int], str]) -> WindowInfo:
    """The Win32 record of a window as the backend-neutral WindowInfo (where client.win32 ends)."""
    return WindowInfo(raw.handle, raw.pid, names(raw.pid) if raw.pid else "", raw.title, raw.class_name,
                      raw.ex_style, raw.rect, raw.affinity)


def _restore_shortcuts(flags: Dict[str, int]) -> None:
    """Put back the hotkey bits as they were; every other bit stays as it is now."""
    bits = accessibility.HOTKEYACTIVE | accessibility.CONFIRMHOTKEY
    now = accessibility.shortcut_flags()
    for kind, value in flags.items():
        want = (now.get(kind, 0) & ~bits) | (value & bits)
        if now.get(kind) != want:
            accessibility.set_flags(kind, want)


def _if_window(window: KioskWindow, action: Any) -> None:
    handle = window.native_handle()
    if handle and windows.IsWindow(handle):
        action(handle)


_conforms: Callable[[], B.LockdownBackend] = WindowsBackend   # mypy checks the class against the Protocol
