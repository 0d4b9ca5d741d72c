"""Present PnP devices of given setup classes and their names (SetupAPI, read-only)."""
from __future__ import annotations

import ctypes
from ctypes import wintypes
from typing import List

from client.win32.api import Fn


class GUID(ctypes.Structure):
    _fields_ = [("Data1", wintypes.DWORD), ("Data2", wintypes.WORD), ("Data3", wintypes.WORD),
                ("Data4", ctypes.c_ubyte * 8)]


class SP_DEVINFO_DATA(ctypes.Structure):
    _fields_ = [("cbSize", wintypes.DWORD), ("ClassGuid", GUID), ("DevInst", wintypes.DWORD),
                ("Reserved", ctypes.c_void_p)]


CLSIDFromString = Fn("ole32", "CLSIDFromString", ctypes.c_long, [wintypes.LPCWSTR, ctypes.POINTER(GUID)])
SetupDiGetClassDevsW = Fn("setupapi", "SetupDiGetClassDevsW", ctypes.c_void_p,
                          [ctypes.POINTER(GUID), wintypes.LPCWSTR, wintypes.HWND, wintypes.DWORD])
SetupDiEnumDeviceInfo = Fn("setupapi", "SetupDiEnumDeviceInfo", wintypes.BOOL,
                           [ctypes.c_void_p, wintypes.DWORD, ctypes.POINTER(SP_DEVINFO_DATA)])
SetupDiGetDeviceRegistryPropertyW = Fn("setupapi", "SetupDiGetDeviceRegistryPropertyW", wintypes.BOOL,
                                       [ctypes.c_void_p, ctypes.POINTER(SP_DEVINFO_DATA), wintypes.DWORD,
                                        ctypes.POINTER(wintypes.DWORD), ctypes.c_void_p, wintypes.DWORD,
                                        ctypes.POINTER(wintypes.DWORD)])
SetupDiDestroyDeviceInfoList = Fn("setupapi", "SetupDiDestroyDeviceInfoList", wintypes.BOOL, [ctypes.c_void_p])
DIGCF_PRESENT, SPDRP_DEVICEDESC, SPDRP_FRIENDLYNAME = 0x2, 0x0, 0xC
INVALID_HANDLE_VALUE = ctypes.c_void_p(-1).value


def device_names(class_guids: List[str]) -> List[str]:
    """Friendly name (or description) of each present device of these classes, in SetupAPI's order."""
    names: List[str] = []
    for text in class_guids:
        guid = GUID()
        if CLSIDFromString(text, ctypes.byref(guid)) != 0:
            continue
        hdev = SetupDiGetClassDevsW(ctypes.byref(guid), None, None, DIGCF_PRESENT)
        if not hdev or hdev == INVALID_HANDLE_VALUE:
            continue
        try:
            i = 0
            while True:
                info = SP_DEVINFO_DATA()
                info.cbSize = ctypes.sizeof(SP_DEVINFO_DATA)
                if not SetupDiEnumDeviceInfo(hdev, i, ctypes.byref(info)):
                    break  # ERROR_NO_MORE_ITEMS
                i += 1
                buf = ctypes.create_unicode_buffer(512)
                for prop in (SPDRP_FRIENDLYNAME, SPDRP_DEVICEDESC):
                    if SetupDiGetDeviceRegistryPropertyW(hdev, ctypes.byref(info), prop, None, buf,
                                                         ctypes.sizeof(buf), None):
                        if buf.value and buf.value not in names:
                            names.append(buf.value)
                        break
        finally:
            SetupDiDestroyDeviceInfoList(hdev)
    return names
