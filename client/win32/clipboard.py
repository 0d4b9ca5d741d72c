"""The clipboard: empty it, read its change counter and the process that owns its content."""
from __future__ import annotations

import ctypes
import time
from ctypes import wintypes
from typing import Optional

from client.win32.api import Fn, Win32Error, last_error
from client.win32.windows import window_pid

OpenClipboard = Fn("user32", "OpenClipboard", wintypes.BOOL, [wintypes.HWND])
CloseClipboard = Fn("user32", "CloseClipboard", wintypes.BOOL, [])
EmptyClipboard = Fn("user32", "EmptyClipboard", wintypes.BOOL, [])
GetClipboardSequenceNumber = Fn("user32", "GetClipboardSequenceNumber", wintypes.DWORD, [])
GetClipboardOwner = Fn("user32", "GetClipboardOwner", wintypes.HWND, [])
CountClipboardFormats = Fn("user32", "CountClipboardFormats", ctypes.c_int, [])


def sequence_number() -> int:
    return int(GetClipboardSequenceNumber())


def owner_pid() -> Optional[int]:
    """Process owning the current content; None when nobody does (emptied, or set without a window)."""
    hwnd = GetClipboardOwner()
    if not hwnd:
        return None
    return window_pid(int(hwnd))[0] or None


def format_count() -> int:
    return int(CountClipboardFormats())


def empty(attempts: int = 10, wait_s: float = 0.02) -> None:
    """Empty the clipboard. Another program may hold it open for a moment: retry briefly."""
    for i in range(attempts):
        if OpenClipboard(None):
            try:
                if not EmptyClipboard():
                    raise Win32Error("EmptyClipboard", last_error())
                return
            finally:
                CloseClipboard()
        if i + 1 < attempts:
            time.sleep(wait_s)
    raise Win32Error("OpenClipboard", last_error())
