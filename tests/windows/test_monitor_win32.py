"""The self-check's Windows paths run for real (wine lane or Windows): SetupAPI camera listing, the
DirectShow registry where virtual cameras register, SM_REMOTESESSION, SM_CMONITORS, BIOS strings,
process names, and the whole system check."""
from __future__ import annotations

import os
import sys
import uuid

import pytest

from client.monitor import camera_devices as cd
from client.monitor import system_check as sc
from client.monitor.processes import find_forbidden
from client.monitor.vm_detect import firmware_strings

GUID_DEVCLASS_DISPLAY = "{4D36E968-E325-11CE-BFC1-08002BE10318}"


@pytest.fixture
def obs_virtual_camera():
    """Register a DirectShow video source the way OBS does (per user, under Software\\Classes), then remove it."""
    import winreg

    base = "Software\\Classes\\CLSID\\%s\\Instance" % cd.DSHOW_VIDEO_INPUT_CATEGORY
    sub = "{%s}" % str(uuid.uuid4()).upper()
    key = winreg.CreateKey(winreg.HKEY_CURRENT_USER, base + "\\" + sub)
    winreg.SetValueEx(key, "FriendlyName", 0, winreg.REG_SZ, "OBS Virtual Camera")
    winreg.CloseKey(key)
    try:
        yield "OBS Virtual Camera"
    finally:
        winreg.DeleteKey(winreg.HKEY_CURRENT_USER, base + "\\" + sub)


def test_setupapi_enumeration_runs_and_returns_names():
    # Camera/Image classes may be empty (no camera here); the Display class shows the calls really work
    assert isinstance(cd.windows_pnp_camera_names(), list)
    names = cd._setupapi_names([GUID_DEVCLASS_DISPLAY])
    assert names and all(isinstance(n, str) and n for n in names)  # e.g. "Wine Adapter", a real GPU on Windows


def test_virtual_camera_registered_with_directshow_is_listed_and_flagged(obs_virtual_camera):
    assert obs_virtual_camera in cd.windows_dshow_filter_names()
    cams = cd.list_cameras(allow_probe=False)
    obs = [c for c in cams if c.name == obs_virtual_camera]
    assert obs and obs[0].virtual


def test_local_session_single_display_and_rdp_marker():
    assert sc.remote_session_evidence(env={}) == []          # SM_REMOTESESSION = 0 in this session
    rdp = sc.remote_session_evidence(env={"SESSIONNAME": "RDP-Tcp#2"})
    assert rdp == ["SESSIONNAME=RDP-Tcp#2"]
    assert sc.count_displays_win32() >= 1


def test_windows_version_and_bios_strings():
    r = sc.os_result()
    assert r.status == "pass" and r.value.startswith("Windows ")
    assert sys.getwindowsversion()[:2] >= (6, 1)
    assert isinstance(firmware_strings(), dict)


def test_process_names_with_exe_suffix():
    me = os.path.basename(sys.executable)   # python.exe
    found = find_forbidden([me])
    assert any(f["pid"] == os.getpid() for f in found)


def test_whole_system_check_on_windows(tmp_path):
    results = sc.run_system_check({"forbidden_processes": ["NoSuchProgram.exe"]}, data_dir=tmp_path)
    by_id = {r.id: r for r in results}
    assert "system.error" not in by_id, by_id.get("system.error")
    assert by_id["system.os"].status == "pass"
    assert by_id["system.displays"].value >= 1
    assert by_id["system.remote_session"].status == "pass"
    assert by_id["system.processes"].status == "pass"


def test_adapters_from_getadaptersaddresses_drive_the_link_check():
    from client.monitor import network_check as nc
    from client.monitor.win_adapters import Adapter, list_adapters, primary_adapter

    adapters = list_adapters()
    assert adapters and any(a.kind == "loopback" for a in adapters)
    primary = primary_adapter()
    assert primary is not None and primary.has_gateway and primary.up
    assert nc.default_interface() == primary.name
    assert nc.link_kind(primary.name) == ("wireless" if primary.if_type == 71 else "wired")
    assert nc.vpn_result().status == "pass"
    # the selection rules, on a typical laptop with Wi-Fi, a VPN tunnel and Teredo
    wifi = Adapter("WLAN", "Intel(R) Wi-Fi 6 AX201", 71, True, True)
    teredo = Adapter("Teredo", "Teredo Tunneling Pseudo-Interface", 131, True, False)
    vpn = Adapter("Corp", "WireGuard Tunnel", 131, True, True)
    assert primary_adapter([vpn, teredo, wifi]) is wifi and wifi.kind == "wireless"
