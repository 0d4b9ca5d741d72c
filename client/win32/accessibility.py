"""The accessibility shortcuts (Shift five times = Sticky Keys, right Shift held 8 s = Filter Keys,
Num Lock held 5 s = Toggle Keys): each opens a dialog that takes the foreground and links to Settings.
Only their hotkey flag is changed, and only for this logon session: fWinIni is 0, so nothing is
written to the user profile and a crash cannot leave it changed past logoff (we restore it anyway)."""
from __future__ import annotations

import ctypes
from ctypes import wintypes
from typing import Dict

from client.win32.api import Fn, Win32Error, last_error

SPI_GETFILTERKEYS, SPI_SETFILTERKEYS = 0x0032, 0x0033
SPI_GETTOGGLEKEYS, SPI_SETTOGGLEKEYS = 0x0034, 0x0035
SPI_GETSTICKYKEYS, SPI_SETSTICKYKEYS = 0x003A, 0x003B
HOTKEYACTIVE, CONFIRMHOTKEY = 0x04, 0x08   # same bit in SKF_/FKF_/TKF_ flags
SESSION_ONLY = 0                           # not SPIF_UPDATEINIFILE: never persisted


class STICKYKEYS(ctypes.Structure):
    _fields_ = [("cbSize", wintypes.UINT), ("dwFlags", wintypes.DWORD)]


class TOGGLEKEYS(ctypes.Structure):
    _fields_ = [("cbSize", wintypes.UINT), ("dwFlags", wintypes.DWORD)]


class FILTERKEYS(ctypes.Structure):
    _fields_ = [("cbSize", wintypes.UINT), ("dwFlags", wintypes.DWORD), ("iWaitMSec", wintypes.DWORD),
                ("iDelayMSec", wintypes.DWORD), ("iRepeatMSec", wintypes.DWORD), ("iBounceMSec", wintypes.DWORD)]


SystemParametersInfoW = Fn("user32", "SystemParametersInfoW", wintypes.BOOL,
                           [wintypes.UINT, wintypes.UINT, ctypes.c_void_p, wintypes.UINT])

_KINDS = {"sticky": (STICKYKEYS, SPI_GETSTICKYKEYS, SPI_SETSTICKYKEYS),
          "filter": (FILTERKEYS, SPI_GETFILTERKEYS, SPI_SETFILTERKEYS),
          "toggle": (TOGGLEKEYS, SPI_GETTOGGLEKEYS, SPI_SETTOGGLEKEYS)}
KINDS = tuple(_KINDS)


def _read(kind: str) -> ctypes.Structure:
    struct, get, _set = _KINDS[kind]
    s = struct()
    s.cbSize = ctypes.sizeof(struct)
    if not SystemParametersInfoW(get, ctypes.sizeof(struct), ctypes.byref(s), 0):
        raise Win32Error("SystemParametersInfoW(get %s keys)" % kind, last_error())
    return s


def shortcut_flags() -> Dict[str, int]:
    """{kind: dwFlags} for sticky, filter and toggle keys."""
    return {k: int(_read(k).dwFlags) for k in KINDS}


def set_flags(kind: str, flags: int) -> None:
    """Write dwFlags for one kind (the other fields as they are now), for this session only."""
    struct, _get, setter = _KINDS[kind]
    s = _read(kind)
    s.dwFlags = flags
    if not SystemParametersInfoW(setter, ctypes.sizeof(struct), ctypes.byref(s), SESSION_ONLY):
        raise Win32Error("SystemParametersInfoW(set %s keys)" % kind, last_error())


def without_hotkey(flags: int) -> int:
    return flags & ~(HOTKEYACTIVE | CONFIRMHOTKEY)
