"""Camera device names, and which of them are virtual cameras (OBS, ManyCam, XSplit, e2eSoft...).

Linux: /dev/video* with names from sysfs. Windows: PnP Camera/Image class devices via SetupAPI
(through client.win32, read-only) plus DirectShow video-input filters from the registry (where virtual cameras
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
    from client.win32.devices import device_names

    return device_names(class_guids)
