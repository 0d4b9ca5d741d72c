"""The hidden-overlay scan against a window list as the Win32 edge returns it (client.win32.windows.RawWindow,
converted by the Windows backend's to_window_info). The list is a Windows 11 desktop composed from the
documented styles of these windows: an Electron helper with setContentProtection (affinity 0x11) and a
click-through top-most panel, next to the benign ones every PC has (taskbar, input method, GPU overlay)."""
from __future__ import annotations

from client.lockdown import events as ev
from client.lockdown.backends.windows import to_window_info
from client.lockdown.overlay import CAPTURE_EXCLUDED, TOPMOST_OVERLAY, OverlayScan, find_overlays
from client.lockdown.policy import DEFAULT_OVERLAY_ALLOW, LockdownPolicy
from client.win32.windows import (
    WS_EX_LAYERED,
    WS_EX_NOACTIVATE,
    WS_EX_TOOLWINDOW,
    WS_EX_TOPMOST,
    WS_EX_TRANSPARENT,
    RawWindow,
)

OWN_PID, OWN_HWND = 7000, 0x000A0B2C
WS_EX_NOREDIRECTIONBITMAP = 0x200000
OVERLAY = WS_EX_TOPMOST | WS_EX_LAYERED | WS_EX_TOOLWINDOW | WS_EX_TRANSPARENT
FULL = (0, 0, 1920, 1080)
NAMES = {4100: "StudyBuddy.exe", 4200: "HelperOverlay.exe", 3100: "SogouCloud.exe", 900: "explorer.exe",
         3300: "NVIDIA Overlay.exe", 5100: "SomeApp.exe", OWN_PID: "ExamDesk.exe", 5200: "Everything.exe",
         5300: "SecureViewer.exe", 5400: "chrome.exe", 5500: "elevated.exe"}

DESKTOP = [  # EnumWindows order: topmost first
    RawWindow(0x3A01, 4100, 1, True, "", "Chrome_WidgetWin_1", OVERLAY | WS_EX_NOREDIRECTIONBITMAP,
              (1400, 80, 1900, 700), 0x11),
    RawWindow(0x3A02, 4200, 2, True, "Answers", "Qt5152QWindowToolSaveBits", OVERLAY, (100, 100, 700, 500), 0),
    RawWindow(0x3A03, 3100, 3, True, "", "SoPY_Status", WS_EX_TOPMOST | WS_EX_LAYERED | WS_EX_TOOLWINDOW |
              WS_EX_NOACTIVATE, (1700, 1000, 1880, 1036), 0),
    RawWindow(0x10010, 900, 4, True, "", "Shell_TrayWnd", WS_EX_TOPMOST | WS_EX_TOOLWINDOW, (0, 1032, 1920, 1080), 0),
    RawWindow(0x3A04, 3300, 5, True, "NVIDIA GeForce Overlay", "CEF-OSC-WIDGET", OVERLAY, FULL, 0),
    RawWindow(0x3A05, 5100, 6, True, "", "tooltips_class32", OVERLAY, (500, 500, 520, 516), 0),
    RawWindow(OWN_HWND, OWN_PID, 7, True, "ExamDesk 考试", "Qt6110QWindowIcon", WS_EX_TOPMOST, FULL, 0x11),
    RawWindow(0x3A06, OWN_PID, 7, True, "提示", "Qt6110QWindowIcon", WS_EX_TOPMOST, (600, 400, 1300, 700), 0),
    RawWindow(0x3A07, 5200, 8, True, "", "EVERYTHING_TOOLBAR", OVERLAY, (0, 0, 800, 60), 0),   # below the exam
    RawWindow(0x3A08, 5300, 9, True, "Protected document", "SecureViewerWnd", 0, (200, 200, 900, 800), 0x1),
    RawWindow(0x3A09, 5400, 10, True, "新标签页 - Google Chrome", "Chrome_WidgetWin_1", 0, FULL, 0),
    RawWindow(0x3A0A, 5500, 11, True, "Admin tool", "AdminWnd", 0, (0, 0, 400, 300), None),   # affinity unreadable
]


def windows():
    return [to_window_info(r, NAMES.get) for r in DESKTOP]


def test_flags_the_capture_excluded_helper_and_the_click_through_panel_only():
    found = find_overlays(windows(), OWN_PID, OWN_HWND, DEFAULT_OVERLAY_ALLOW)
    assert [(f.window.exe, f.reason) for f in found] == [
        ("StudyBuddy.exe", CAPTURE_EXCLUDED),        # unknown to the deny list: caught by what it does
        ("HelperOverlay.exe", TOPMOST_OVERLAY),
        ("SecureViewer.exe", CAPTURE_EXCLUDED),      # WDA_MONITOR anywhere in the z-order
    ]
    d = found[0].detail()
    assert d["pid"] == 4100 and d["affinity"] == 0x11 and d["reason"] == CAPTURE_EXCLUDED and d["rect"][2] == 1900


def test_allow_list_from_policy_and_position_matter():
    allow = LockdownPolicy.from_policy({"overlay_allow": ["SecureViewer.exe"]}).overlay_allow
    assert "nvidia overlay" in allow and "secureviewer" in allow
    assert [f.window.exe for f in find_overlays(windows(), OWN_PID, OWN_HWND, allow)] == ["StudyBuddy.exe",
                                                                                        "HelperOverlay.exe"]
    # without the exam window in the list (not shown yet) every top-most panel counts as above it
    found = find_overlays(windows(), OWN_PID, 0, DEFAULT_OVERLAY_ALLOW)
    assert ("Everything.exe", TOPMOST_OVERLAY) in [(f.window.exe, f.reason) for f in found]
    assert find_overlays(windows(), OWN_PID, OWN_HWND, frozenset()) [2].window.exe == "NVIDIA Overlay.exe"


def test_scan_reports_each_window_once():
    events = []
    scan = OverlayScan(windows, OWN_PID, lambda: OWN_HWND, DEFAULT_OVERLAY_ALLOW, lambda *e: events.append(e))
    assert len(scan.check()) == 3
    assert scan.check() == []
    assert [(t, s, d["exe"]) for t, s, d in events] == [
        (ev.HIDDEN_OVERLAY, ev.ALERT, "StudyBuddy.exe"), (ev.HIDDEN_OVERLAY, ev.WARN, "HelperOverlay.exe"),
        (ev.HIDDEN_OVERLAY, ev.ALERT, "SecureViewer.exe")]
    assert ev.candidate_message(*events[0][::2]) is not None
