"""Linux and macOS: what they honestly allow a user program. Focus loss comes from the window system
(through the exam window's toolkit), the process guard works (psutil), remote-login evidence is read,
displays come from the toolkit's screen list. Nothing is changed on the system, so nothing needs
reverting; the capabilities say what is missing and why."""
from __future__ import annotations

import os
import signal
import sys
from typing import Any, Callable, Dict, List, Optional, Tuple

from client.lockdown import backend as B
from client.lockdown import events as ev
from client.lockdown.backend import KeyReport, KioskWindow, WindowEventHint, WindowInfo
from client.lockdown.keys import KeyFilter
from client.lockdown.operations import Operation

ENDS_WITH_PROCESS = "ended with the process"

LINUX_CANNOT = {
    B.KEYBOARD_FILTER: "the desktop (X11 window manager or Wayland compositor) owns system shortcuts; "
                       "a user program cannot swallow them",
    B.FOCUS_EVENTS: "focus changes are polled from the exam window",
    B.TOPMOST: "kept in front by re-raising only; stacking is the window manager's",
    B.CAPTURE_EXCLUSION: "no window flag hides a window from screen capture on X11 or Wayland",
    B.OVERLAY_SCAN: "other programs' windows and their capture flags are not readable (Wayland) or have no such flag (X11)",
    B.CLIPBOARD: "the clipboard belongs to the window system; not isolated here",
    B.ACCESSIBILITY_SHORTCUTS: "set by the desktop environment; not changed",
    B.DESKTOP_SWITCH: "virtual-terminal and session switches are not visible to a user program",
    B.PROGRAM_IDENTITY: "executables carry no version resource; matched by name only",
}
MACOS_CANNOT = dict(LINUX_CANNOT, **{
    B.KEYBOARD_FILTER: "swallowing Cmd+Tab needs an event tap with the Accessibility permission (not implemented)",
    B.CAPTURE_EXCLUSION: "NSWindow.sharingType needs the Cocoa bridge (not implemented)",
    B.OVERLAY_SCAN: "CGWindowListCopyWindowInfo (kCGWindowSharingState) needs the Cocoa bridge (not implemented)",
    B.DESKTOP_SWITCH: "fast user switching is not watched",
    B.PROGRAM_IDENTITY: "bundle names and code signatures are not read (not implemented); matched by name only",
})


class PosixBackend:
    def __init__(self, display_probe: Optional[Callable[[], Optional[int]]] = None, name: str = "") -> None:
        self.name = name or ("macos" if sys.platform == "darwin" else "linux")
        self.display_probe = display_probe

    def capabilities(self) -> Dict[str, str]:
        cannot = MACOS_CANNOT if self.name == "macos" else LINUX_CANNOT
        caps = {c: cannot.get(c, "") for c in B.CAPABILITIES}
        if self.display_probe is None:
            caps[B.DISPLAYS] = "no screen list was given (the toolkit provides it)"
        return caps

    def operations(self, window: KioskWindow, keys: KeyFilter, on_key: KeyReport, hint: WindowEventHint,
                   on_event: ev.EventSink) -> List[Operation]:
        return []

    def foreground(self, window: KioskWindow) -> Tuple[bool, Optional[WindowInfo]]:
        return bool(window.is_active()), None

    def bring_to_front(self, window: KioskWindow) -> bool:
        window.bring_to_front()
        return False   # asynchronous: the next poll tells whether it worked

    def windows(self) -> List[WindowInfo]:
        return []

    def input_desktop(self) -> Optional[str]:
        return ""

    def session_on_console(self) -> Optional[bool]:
        return None

    def clipboard_state(self) -> Tuple[int, Optional[int], bool]:
        return 0, None, False

    def empty_clipboard(self) -> None:
        return None

    def displays(self) -> Tuple[Optional[int], Optional[int]]:
        return (self.display_probe() if self.display_probe is not None else None), None

    def remote_evidence(self) -> List[str]:
        from client.monitor.system_check import remote_session_evidence

        return remote_session_evidence()

    def program_identity(self, path: str) -> Dict[str, str]:
        return {}

    def session_of(self, pid: int) -> Optional[int]:
        """The owner's user id stands in for the session: another user's processes are not ours to close."""
        try:
            import psutil

            return int(psutil.Process(pid).uids().real)
        except Exception:  # noqa: BLE001
            return None

    def process_name(self, pid: int) -> str:
        try:
            import psutil

            return str(psutil.Process(pid).name())
        except Exception:  # noqa: BLE001
            return ""

    def ask_to_close(self, pid: int) -> bool:
        try:
            os.kill(pid, signal.SIGTERM)
            return True
        except OSError:
            return False

    def recover(self, kind: str, plan: Dict[str, Any]) -> str:
        return ENDS_WITH_PROCESS


_conforms: Callable[[], B.LockdownBackend] = PosixBackend   # mypy checks the class against the Protocol
