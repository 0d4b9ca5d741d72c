"""Every process's pid and executable name in one call (a Toolhelp32 snapshot): what lets the process
guard notice a reused pid (Windows hands freed pids out again at once) without opening each process."""
from __future__ import annotations

import ctypes
from ctypes import wintypes
from typing import Dict

from client.win32.api import ULONG_PTR, Fn, Win32Error, last_error

TH32CS_SNAPPROCESS = 0x2
INVALID_HANDLE_VALUE = ctypes.c_void_p(-1).value
MAX_PATH = 260


class PROCESSENTRY32W(ctypes.Structure):
    _fields_ = [("dwSize", wintypes.DWORD), ("cntUsage", wintypes.DWORD), ("th32ProcessID", wintypes.DWORD),
                ("th32DefaultHeapID", ULONG_PTR), ("th32ModuleID", wintypes.DWORD), ("cntThreads", wintypes.DWORD),
                ("th32ParentProcessID", wintypes.DWORD), ("pcPriClassBase", wintypes.LONG),
                ("dwFlags", wintypes.DWORD), ("szExeFile", wintypes.WCHAR * MAX_PATH)]


CreateToolhelp32Snapshot = Fn("kernel32", "CreateToolhelp32Snapshot", wintypes.HANDLE, [wintypes.DWORD, wintypes.DWORD])
Process32FirstW = Fn("kernel32", "Process32FirstW", wintypes.BOOL, [wintypes.HANDLE, ctypes.POINTER(PROCESSENTRY32W)])
Process32NextW = Fn("kernel32", "Process32NextW", wintypes.BOOL, [wintypes.HANDLE, ctypes.POINTER(PROCESSENTRY32W)])
CloseHandle = Fn("kernel32", "CloseHandle", wintypes.BOOL, [wintypes.HANDLE])


def process_names() -> Dict[int, str]:
    """{pid: executable name} of every process (the system idle process, pid 0, left out)."""
    snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0)
    if not snap or snap == INVALID_HANDLE_VALUE:
        raise Win32Error("CreateToolhelp32Snapshot", last_error())
    out: Dict[int, str] = {}
    try:
        entry = PROCESSENTRY32W()
        entry.dwSize = ctypes.sizeof(PROCESSENTRY32W)
        ok = Process32FirstW(snap, ctypes.byref(entry))
        while ok:
            if entry.th32ProcessID:
                out[int(entry.th32ProcessID)] = entry.szExeFile
            ok = Process32NextW(snap, ctypes.byref(entry))
    finally:
        CloseHandle(snap)
    return out
