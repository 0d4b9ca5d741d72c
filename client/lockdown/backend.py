"""What a lockdown backend offers, as typed Protocols: Windows (through client.win32), Linux and macOS
(what they honestly can), and a scripted null backend for tests, all checked against the same contract.
A backend says in capabilities() what it cannot do; the session reports that once at the start."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Protocol, Tuple

from client.lockdown.events import EventSink
from client.lockdown.keys import KeyFilter, KeyOutcome
from client.lockdown.operations import Operation

# capability names; the value in capabilities() is "" when available, else the reason it is not
KEYBOARD_FILTER = "keyboard_filter"
FOCUS_WATCH = "focus_watch"
FOCUS_EVENTS = "focus_events"          # pushed foreground changes (polling covers their absence)
TOPMOST = "topmost"
CAPTURE_EXCLUSION = "capture_exclusion"
OVERLAY_SCAN = "overlay_scan"
CLIPBOARD = "clipboard"
ACCESSIBILITY_SHORTCUTS = "accessibility_shortcuts"
DESKTOP_SWITCH = "desktop_switch"
DISPLAYS = "displays"
PROGRAM_IDENTITY = "program_identity"  # version resource and signer of an executable
CAPABILITIES = (KEYBOARD_FILTER, FOCUS_WATCH, FOCUS_EVENTS, TOPMOST, CAPTURE_EXCLUSION, OVERLAY_SCAN, CLIPBOARD,
                ACCESSIBILITY_SHORTCUTS, DESKTOP_SWITCH, DISPLAYS, PROGRAM_IDENTITY)


@dataclass(frozen=True)
class WindowInfo:
    """One top-level window, backend-neutral."""

    handle: int
    pid: int
    exe: str = ""
    title: str = ""
    class_name: str = ""
    ex_style: int = 0
    rect: Tuple[int, int, int, int] = (0, 0, 0, 0)   # left, top, right, bottom
    affinity: Optional[int] = 0                       # display affinity; None when unreadable

    def to_detail(self) -> Dict[str, Any]:
        return {"handle": "0x%x" % self.handle, "pid": self.pid, "exe": self.exe, "title": self.title[:120],
                "class": self.class_name[:80]}


class KioskWindow(Protocol):
    """The exam window as the lockdown sees it; the UI's adapter makes these calls safe from any thread."""

    def native_handle(self) -> int:
        """HWND on Windows, the window-system id elsewhere, 0 if there is none yet."""
        ...

    def is_active(self) -> bool:
        """The window system says this window has the keyboard focus."""
        ...

    def bring_to_front(self) -> None:
        """Raise and activate (queued to the GUI thread by the adapter)."""
        ...


KeyReport = Callable[[KeyOutcome, int], None]          # (outcome, vk) for a swallowed press
WindowEventHint = Callable[[str], None]                # "foreground" | "desktop": look now, do not wait for the poll


class LockdownBackend(Protocol):
    name: str

    def capabilities(self) -> Dict[str, str]: ...

    def operations(self, window: KioskWindow, keys: KeyFilter, on_key: KeyReport, hint: WindowEventHint,
                   on_event: EventSink) -> List[Operation]:
        """The system changes for this exam window, in the order they are performed."""
        ...

    def foreground(self, window: KioskWindow) -> Tuple[bool, Optional[WindowInfo]]:
        """(is the exam window in front, the window that is if it is not: None when unknown or none)."""
        ...

    def bring_to_front(self, window: KioskWindow) -> bool: ...

    def windows(self) -> List[WindowInfo]:
        """Visible top-level windows in z-order, topmost first (empty without OVERLAY_SCAN)."""
        ...

    def input_desktop(self) -> Optional[str]:
        """Name of the desktop receiving input ("Default"); None when it cannot be opened (secure desktop)."""
        ...

    def session_on_console(self) -> Optional[bool]: ...

    def clipboard_state(self) -> Tuple[int, Optional[int], bool]:
        """(change counter, pid owning the content or None, whether it holds anything)."""
        ...

    def empty_clipboard(self) -> None: ...

    def displays(self) -> Tuple[Optional[int], Optional[int]]:
        """(displays on the desktop, active monitor outputs incl. mirrored ones); None where unknown."""
        ...

    def remote_evidence(self) -> List[str]: ...

    def program_identity(self, path: str) -> Dict[str, str]:
        """Version-resource strings and "Signer" of an executable ({} where not readable)."""
        ...

    def session_of(self, pid: int) -> Optional[int]:
        """Session id (Windows) or owner's user id (POSIX): another session's processes are not ours."""
        ...

    def process_name(self, pid: int) -> str: ...

    def ask_to_close(self, pid: int) -> bool:
        """The polite request (WM_CLOSE to its windows, SIGTERM): True if it was asked."""
        ...

    def recover(self, kind: str, plan: Dict[str, Any]) -> str:
        """Undo an operation of a process that died, from its record alone; returns what was done."""
        ...
