"""Camera device names, and which of them are virtual cameras (OBS, ManyCam, XSplit, e2eSoft...).

Linux: /dev/video* with names from sysfs. Windows: PnP Camera/Image class devices via SetupAPI
(ctypes, read-only) plus DirectShow video-input filters from the registry (where virtual cameras
register), in the order DirectShow lists them. Elsewhere: probe indices with cv2.
"""
from __future__ import annotations

import glob
import logging
import os
import re
import sys
from dataclasses import dataclass
from typing import Callable, List, Optional

log = logging.getLogger(__name__)

VIRTUAL_CAMERA_MARKERS = (
    "obs virtual", "obs-camera", "obs camera", "manycam", "xsplit", "e2esoft", "vcam", "splitcam",
    "snap camera", "virtual camera", "virtualcam", "v4l2loopback", "dummy video", "droidcam", "iriun",
    "epoccam", "camtwist", "youcam", "chromacam", "mmhmm", "nvidia broadcast", "fake", "unity video capture",
    "logi capture", "avermedia streaming", "streamlabs",
)


@dataclass
class CameraDevice:
    index: int        # what cv2.VideoCapture(index) opens
    name: str
    path: str = ""    # /dev/videoN or a Windows device id
    virtual: bool = False


def is_virtual_camera(name: str) -> bool:
    low = name.lower()
    return any(m in low for m in VIRTUAL_CAMERA_MARKERS)


def list_cameras(probe: Optional[Callable[[int], bool]] = None, allow_probe: bool = True) -> List[CameraDevice]:
    if sys.platform.startswith("linux"):
        found = list_linux_cameras()
    elif sys.platform == "win32":
        found = list_windows_cameras()
    else:
        found = []
    if not found and allow_probe:  # opening devices is slow and noisy: only when nothing else works
        found = probe_cameras(probe)
    for d in found:
        d.virtual = d.virtual or is_virtual_camera(d.name)
    return found


def list_linux_cameras(sys_root: str = "/sys/class/video4linux", dev_root: str = "/dev") -> List[CameraDevice]:
    out = []
    for node in sorted(glob.glob(os.path.join(sys_root, "video*")), key=_node_number):
        base = os.path.basename(node)
        name = _read(os.path.join(node, "name")) or base
        # a UVC camera exposes two nodes: index 0 captures, index 1 carries metadata only
        if (_read(os.path.join(node, "index")) or "0") != "0":
            continue
        driver = os.path.basename(os.path.realpath(os.path.join(node, "device", "driver"))) if os.path.exists(
            os.path.join(node, "device", "driver")) else ""
        out.append(CameraDevice(_node_number(node), name, os.path.join(dev_root, base),
                                virtual=is_virtual_camera(name) or driver == "v4l2loopback"))
    return out


def _node_number(path: str) -> int:
    m = re.search(r"(\d+)$", path)
    return int(m.group(1)) if m else 0


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return ""


def probe_cameras(probe: Optional[Callable[[int], bool]] = None, limit: int = 4) -> List[CameraDevice]:
    """Last resort: try to open indices 0..limit-1 (slow on some drivers, so only a few)."""
    def default_probe(i: int) -> bool:
        import cv2

        cap = cv2.VideoCapture(i)
        try:
            return bool(cap.isOpened())
        finally:
            cap.release()

    test = probe or default_probe
    return [CameraDevice(i, "Camera %d" % (i + 1)) for i in range(limit) if test(i)]


# -- Windows ----------------------------------------------------------------------------------
DSHOW_VIDEO_INPUT_CATEGORY = "{860BB310-5D01-11D0-BD3B-00A0C911CE86}"
GUID_DEVCLASS_CAMERA = "{CA3E7AB9-B4C3-4AE6-8251-579EF933890F}"
GUID_DEVCLASS_IMAGE = "{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}"


def list_windows_cameras() -> List[CameraDevice]:
    names = windows_pnp_camera_names()
    seen = {n.lower() for n in names}
    names += [n for n in windows_dshow_filter_names() if n.lower() not in seen]
    return [CameraDevice(i, n) for i, n in enumerate(names)]


def windows_dshow_filter_names() -> List[str]:
    """Software video sources registered with DirectShow (where OBS/ManyCam/XSplit cameras live)."""
    if sys.platform != "win32":  # winreg exists only on Windows
        return []
    import winreg
    out: List[str] = []
    path = "CLSID\\%s\\Instance" % DSHOW_VIDEO_INPUT_CATEGORY
    for root, sub in ((winreg.HKEY_CLASSES_ROOT, path), (winreg.HKEY_CURRENT_USER, "Software\\Classes\\" + path)):
        try:
            key = winreg.OpenKey(root, sub, 0, winreg.KEY_READ)
        except OSError:
            continue
        with key:
            i = 0
            while True:
                try:
                    child = winreg.EnumKey(key, i)
                except OSError:
                    break
                i += 1
                try:
                    with winreg.OpenKey(key, child) as ck:
                        name = str(winreg.QueryValueEx(ck, "FriendlyName")[0])
                except OSError:
                    continue
                if name and name not in out:
                    out.append(name)
    return out


def windows_pnp_camera_names() -> List[str]:
    """Present PnP devices of the Camera and Image classes (SetupAPI, read-only)."""
    if sys.platform != "win32":
        return []
    try:
        return _setupapi_names([GUID_DEVCLASS_CAMERA, GUID_DEVCLASS_IMAGE])
    except Exception as exc:  # never let enumeration break the check: fall back to probing
        log.warning("SetupAPI camera enumeration failed: %s", exc)
        return []


def _setupapi_names(class_guids: List[str]) -> List[str]:
    if sys.platform != "win32":  # SetupAPI is Windows-only (windows_pnp_camera_names() checks first)
        raise OSError("SetupAPI is only available on Windows")
    import ctypes
    from ctypes import wintypes

    class GUID(ctypes.Structure):
        _fields_ = [("Data1", wintypes.DWORD), ("Data2", wintypes.WORD), ("Data3", wintypes.WORD),
                    ("Data4", ctypes.c_ubyte * 8)]

    class SP_DEVINFO_DATA(ctypes.Structure):
        _fields_ = [("cbSize", wintypes.DWORD), ("ClassGuid", GUID), ("DevInst", wintypes.DWORD),
                    ("Reserved", ctypes.c_void_p)]

    setupapi = ctypes.WinDLL("setupapi", use_last_error=True)
    ole32 = ctypes.WinDLL("ole32")
    get_devs = setupapi.SetupDiGetClassDevsW
    get_devs.argtypes = [ctypes.POINTER(GUID), wintypes.LPCWSTR, wintypes.HWND, wintypes.DWORD]
    get_devs.restype = ctypes.c_void_p
    enum_info = setupapi.SetupDiEnumDeviceInfo
    enum_info.argtypes = [ctypes.c_void_p, wintypes.DWORD, ctypes.POINTER(SP_DEVINFO_DATA)]
    enum_info.restype = wintypes.BOOL
    get_prop = setupapi.SetupDiGetDeviceRegistryPropertyW
    get_prop.argtypes = [ctypes.c_void_p, ctypes.POINTER(SP_DEVINFO_DATA), wintypes.DWORD,
                         ctypes.POINTER(wintypes.DWORD), ctypes.c_void_p, wintypes.DWORD,
                         ctypes.POINTER(wintypes.DWORD)]
    get_prop.restype = wintypes.BOOL
    destroy = setupapi.SetupDiDestroyDeviceInfoList
    destroy.argtypes = [ctypes.c_void_p]
    invalid = ctypes.c_void_p(-1).value
    DIGCF_PRESENT, SPDRP_DEVICEDESC, SPDRP_FRIENDLYNAME = 0x2, 0x0, 0xC

    names: List[str] = []
    for text in class_guids:
        guid = GUID()
        if ole32.CLSIDFromString(ctypes.c_wchar_p(text), ctypes.byref(guid)) != 0:
            continue
        hdev = get_devs(ctypes.byref(guid), None, None, DIGCF_PRESENT)
        if not hdev or hdev == invalid:
            continue
        try:
            i = 0
            while True:
                info = SP_DEVINFO_DATA()
                info.cbSize = ctypes.sizeof(SP_DEVINFO_DATA)
                if not enum_info(hdev, i, ctypes.byref(info)):
                    break  # ERROR_NO_MORE_ITEMS
                i += 1
                buf = ctypes.create_unicode_buffer(512)
                for prop in (SPDRP_FRIENDLYNAME, SPDRP_DEVICEDESC):
                    if get_prop(hdev, ctypes.byref(info), prop, None, buf, ctypes.sizeof(buf), None):
                        if buf.value and buf.value not in names:
                            names.append(buf.value)
                        break
        finally:
            destroy(hdev)
    return names
