"""The session and the screen: which desktop gets the input (Ctrl+Alt+Del, UAC and the lock screen
switch to another one), whether our session is the console session, remote-desktop sessions, the
number of active displays and of active monitor outputs (a mirrored projector counts here)."""
from __future__ import annotations

import ctypes
from ctypes import wintypes
from typing import Optional

from client.win32.api import Fn

SM_CMONITORS, SM_REMOTESESSION = 80, 0x1000
UOI_NAME = 2
DESKTOP_READOBJECTS = 0x0001
DISPLAY_DEVICE_ATTACHED_TO_DESKTOP, DISPLAY_DEVICE_MIRRORING_DRIVER = 0x1, 0x8
DISPLAY_DEVICE_ACTIVE = 0x1


class DISPLAY_DEVICEW(ctypes.Structure):
    _fields_ = [("cb", wintypes.DWORD), ("DeviceName", wintypes.WCHAR * 32), ("DeviceString", wintypes.WCHAR * 128),
                ("StateFlags", wintypes.DWORD), ("DeviceID", wintypes.WCHAR * 128), ("DeviceKey", wintypes.WCHAR * 128)]


GetSystemMetrics = Fn("user32", "GetSystemMetrics", ctypes.c_int, [ctypes.c_int])
OpenInputDesktop = Fn("user32", "OpenInputDesktop", wintypes.HANDLE, [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD])
CloseDesktop = Fn("user32", "CloseDesktop", wintypes.BOOL, [wintypes.HANDLE])
GetUserObjectInformationW = Fn("user32", "GetUserObjectInformationW", wintypes.BOOL,
                               [wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD,
                                ctypes.POINTER(wintypes.DWORD)])
EnumDisplayDevicesW = Fn("user32", "EnumDisplayDevicesW", wintypes.BOOL,
                         [wintypes.LPCWSTR, wintypes.DWORD, ctypes.POINTER(DISPLAY_DEVICEW), wintypes.DWORD])
ProcessIdToSessionId = Fn("kernel32", "ProcessIdToSessionId", wintypes.BOOL,
                          [wintypes.DWORD, ctypes.POINTER(wintypes.DWORD)])
WTSGetActiveConsoleSessionId = Fn("kernel32", "WTSGetActiveConsoleSessionId", wintypes.DWORD, [])
GetCurrentProcessId = Fn("kernel32", "GetCurrentProcessId", wintypes.DWORD, [])


def monitor_count() -> int:
    """Displays that are part of the desktop (SM_CMONITORS); a duplicated (mirrored) screen counts once."""
    return int(GetSystemMetrics(SM_CMONITORS))


def remote_session() -> bool:
    return bool(GetSystemMetrics(SM_REMOTESESSION))


def active_outputs() -> Optional[int]:
    """Active monitors on adapters attached to the desktop, mirrored ones included; None if unknown."""
    count = 0
    adapter = DISPLAY_DEVICEW()
    adapter.cb = ctypes.sizeof(DISPLAY_DEVICEW)
    i = 0
    while EnumDisplayDevicesW(None, i, ctypes.byref(adapter), 0):
        i += 1
        flags = int(adapter.StateFlags)
        if not flags & DISPLAY_DEVICE_ATTACHED_TO_DESKTOP or flags & DISPLAY_DEVICE_MIRRORING_DRIVER:
            continue
        monitor = DISPLAY_DEVICEW()
        monitor.cb = ctypes.sizeof(DISPLAY_DEVICEW)
        j = 0
        while EnumDisplayDevicesW(adapter.DeviceName, j, ctypes.byref(monitor), 0):
            j += 1
            if int(monitor.StateFlags) & DISPLAY_DEVICE_ACTIVE:
                count += 1
        adapter = DISPLAY_DEVICEW()
        adapter.cb = ctypes.sizeof(DISPLAY_DEVICEW)
    return count if i else None


def input_desktop_name() -> Optional[str]:
    """Name of the desktop that receives input ("Default" normally). None when it cannot be opened,
    which is what a process sees while the secure desktop (Ctrl+Alt+Del, UAC, lock screen) is up."""
    h = OpenInputDesktop(0, False, DESKTOP_READOBJECTS)
    if not h:
        return None
    try:
        buf = ctypes.create_unicode_buffer(256)
        needed = wintypes.DWORD(0)
        if not GetUserObjectInformationW(h, UOI_NAME, buf, ctypes.sizeof(buf), ctypes.byref(needed)):
            return None
        return buf.value
    finally:
        CloseDesktop(h)


def session_of(pid: int) -> Optional[int]:
    sid = wintypes.DWORD(0)
    if not ProcessIdToSessionId(pid, ctypes.byref(sid)):
        return None
    return int(sid.value)


def own_session() -> Optional[int]:
    return session_of(int(GetCurrentProcessId()))


def console_session() -> Optional[int]:
    """The session attached to the physical console; 0xFFFFFFFF (None here) while it is being switched."""
    sid = int(WTSGetActiveConsoleSessionId())
    return None if sid == 0xFFFFFFFF else sid
