"""Top-level windows: enumerate them (in z-order, topmost first) with owner process, styles and display
affinity; the foreground window; keep a window top-most and bring it back to the front; exclude our own
windows from screen capture; ask another process's windows to close (WM_CLOSE)."""
from __future__ import annotations

import ctypes
import os
from ctypes import wintypes
from dataclasses import dataclass
from typing import List, Optional, Tuple

from client.win32.api import VOID, WINFUNCTYPE, Fn, Win32Error, last_error

WNDENUMPROC = WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)

GWL_STYLE, GWL_EXSTYLE = -16, -20
WS_EX_TOPMOST, WS_EX_TRANSPARENT, WS_EX_TOOLWINDOW = 0x8, 0x20, 0x80
WS_EX_LAYERED, WS_EX_NOACTIVATE = 0x80000, 0x8000000
WDA_NONE, WDA_MONITOR, WDA_EXCLUDEFROMCAPTURE = 0x0, 0x1, 0x11
HWND_TOPMOST, HWND_NOTOPMOST = -1, -2
SWP_NOSIZE, SWP_NOMOVE, SWP_NOACTIVATE, SWP_SHOWWINDOW = 0x1, 0x2, 0x10, 0x40
SW_RESTORE = 9
WM_CLOSE = 0x0010
EXCLUDE_FROM_CAPTURE_BUILD = 19041  # Windows 10 2004: earlier builds treat 0x11 as WDA_MONITOR

EnumWindows = Fn("user32", "EnumWindows", wintypes.BOOL, [WNDENUMPROC, wintypes.LPARAM])
GetWindowThreadProcessId = Fn("user32", "GetWindowThreadProcessId", wintypes.DWORD,
                              [wintypes.HWND, ctypes.POINTER(wintypes.DWORD)])
IsWindowVisible = Fn("user32", "IsWindowVisible", wintypes.BOOL, [wintypes.HWND])
IsWindow = Fn("user32", "IsWindow", wintypes.BOOL, [wintypes.HWND])
IsIconic = Fn("user32", "IsIconic", wintypes.BOOL, [wintypes.HWND])
GetWindowLongW = Fn("user32", "GetWindowLongW", wintypes.LONG, [wintypes.HWND, ctypes.c_int])
GetClassNameW = Fn("user32", "GetClassNameW", ctypes.c_int, [wintypes.HWND, wintypes.LPWSTR, ctypes.c_int])
# InternalGetWindowText never sends WM_GETTEXT, so a hung window cannot stall the scan
InternalGetWindowText = Fn("user32", "InternalGetWindowText", ctypes.c_int, [wintypes.HWND, wintypes.LPWSTR, ctypes.c_int])
GetWindowRect = Fn("user32", "GetWindowRect", wintypes.BOOL, [wintypes.HWND, ctypes.POINTER(wintypes.RECT)])
GetWindowDisplayAffinity = Fn("user32", "GetWindowDisplayAffinity", wintypes.BOOL,
                              [wintypes.HWND, ctypes.POINTER(wintypes.DWORD)])
SetWindowDisplayAffinity = Fn("user32", "SetWindowDisplayAffinity", wintypes.BOOL, [wintypes.HWND, wintypes.DWORD])
GetForegroundWindow = Fn("user32", "GetForegroundWindow", wintypes.HWND, [])
SetForegroundWindow = Fn("user32", "SetForegroundWindow", wintypes.BOOL, [wintypes.HWND])
BringWindowToTop = Fn("user32", "BringWindowToTop", wintypes.BOOL, [wintypes.HWND])
ShowWindow = Fn("user32", "ShowWindow", wintypes.BOOL, [wintypes.HWND, ctypes.c_int])
SetWindowPos = Fn("user32", "SetWindowPos", wintypes.BOOL,
                  [wintypes.HWND, wintypes.HWND, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, wintypes.UINT])
AttachThreadInput = Fn("user32", "AttachThreadInput", wintypes.BOOL, [wintypes.DWORD, wintypes.DWORD, wintypes.BOOL])
PostMessageW = Fn("user32", "PostMessageW", wintypes.BOOL,
                  [wintypes.HWND, wintypes.UINT, wintypes.WPARAM, wintypes.LPARAM])
GetCurrentThreadId = Fn("kernel32", "GetCurrentThreadId", wintypes.DWORD, [])
SetLastError = Fn("kernel32", "SetLastError", VOID, [wintypes.DWORD])


@dataclass(frozen=True)
class RawWindow:
    """What Win32 says about one top-level window (z-order index 0 = topmost)."""

    handle: int
    pid: int
    thread_id: int
    visible: bool
    title: str
    class_name: str
    ex_style: int
    rect: Tuple[int, int, int, int]   # left, top, right, bottom
    affinity: Optional[int]           # None when GetWindowDisplayAffinity fails


def top_level_handles() -> List[int]:
    handles: List[int] = []

    def collect(hwnd: int, _lparam: int) -> bool:
        handles.append(int(hwnd or 0))
        return True

    cb = WNDENUMPROC(collect)   # kept referenced until EnumWindows returns
    EnumWindows(cb, 0)
    return handles


def window_pid(hwnd: int) -> Tuple[int, int]:
    """(pid, thread id) owning the window; (0, 0) for a dead handle."""
    pid = wintypes.DWORD(0)
    tid = GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
    return int(pid.value), int(tid)


def window_affinity(hwnd: int) -> Optional[int]:
    value = wintypes.DWORD(0)
    if not GetWindowDisplayAffinity(hwnd, ctypes.byref(value)):
        return None
    return int(value.value)


def describe(hwnd: int) -> RawWindow:
    pid, tid = window_pid(hwnd)
    cls = ctypes.create_unicode_buffer(256)
    GetClassNameW(hwnd, cls, 256)
    title = ctypes.create_unicode_buffer(256)
    InternalGetWindowText(hwnd, title, 256)
    rect = wintypes.RECT()
    if not GetWindowRect(hwnd, ctypes.byref(rect)):
        rect = wintypes.RECT(0, 0, 0, 0)
    ex = int(GetWindowLongW(hwnd, GWL_EXSTYLE)) & 0xFFFFFFFF
    return RawWindow(int(hwnd), pid, tid, bool(IsWindowVisible(hwnd)), title.value, cls.value, ex,
                     (int(rect.left), int(rect.top), int(rect.right), int(rect.bottom)), window_affinity(hwnd))


def visible_top_level_windows() -> List[RawWindow]:
    """Visible top-level windows in z-order (topmost first). Invisible ones are skipped before the
    per-window calls, which keeps a scan of a busy desktop short."""
    out = []
    for h in top_level_handles():
        if h and IsWindowVisible(h):
            out.append(describe(h))
    return out


def foreground_window() -> int:
    return int(GetForegroundWindow() or 0)


def set_topmost(hwnd: int, on: bool) -> None:
    after = HWND_TOPMOST if on else HWND_NOTOPMOST
    if not SetWindowPos(hwnd, after, 0, 0, 0, 0, SWP_NOMOVE | SWP_NOSIZE | SWP_NOACTIVATE):
        raise Win32Error("SetWindowPos", last_error())


def bring_to_front(hwnd: int) -> bool:
    """Restore, raise and activate `hwnd`. Windows refuses SetForegroundWindow to a background process
    unless its input is attached to the current foreground thread, so attach for the call. True when
    the window is in front afterwards."""
    if IsIconic(hwnd):
        ShowWindow(hwnd, SW_RESTORE)
    fg = foreground_window()
    me = int(GetCurrentThreadId())
    fg_tid = window_pid(fg)[1] if fg else 0
    attached = bool(fg_tid and fg_tid != me and AttachThreadInput(me, fg_tid, True))
    try:
        SetWindowPos(hwnd, HWND_TOPMOST, 0, 0, 0, 0, SWP_NOMOVE | SWP_NOSIZE | SWP_SHOWWINDOW)
        BringWindowToTop(hwnd)
        SetForegroundWindow(hwnd)
    finally:
        if attached:
            AttachThreadInput(me, fg_tid, False)
    return foreground_window() == int(hwnd)


def set_capture_exclusion(hwnd: int, affinity: int) -> None:
    """SetWindowDisplayAffinity on one of our own top-level windows; raises Win32Error when refused."""
    SetLastError(0)
    if not SetWindowDisplayAffinity(hwnd, affinity):
        raise Win32Error("SetWindowDisplayAffinity", last_error())


def capture_exclusion_mode(build: int) -> int:
    return WDA_EXCLUDEFROMCAPTURE if build >= EXCLUDE_FROM_CAPTURE_BUILD else WDA_MONITOR


def close_windows_of(pid: int) -> int:
    """Post WM_CLOSE to every visible top-level window of `pid` (the polite request a user's click
    on X makes). Returns how many windows were asked."""
    asked = 0
    for h in top_level_handles():
        if h and IsWindowVisible(h) and window_pid(h)[0] == pid and pid != os.getpid():
            if PostMessageW(h, WM_CLOSE, 0, 0):
                asked += 1
    return asked
