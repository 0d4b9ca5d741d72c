"""LockdownSession end to end on the null backend (scripted window system) with real child processes:
preflight blockers, start, what the watch reports during the exam, and stop."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

from client.lockdown import events as ev
from client.lockdown.backend import WindowInfo
from client.lockdown.backends.null import NullBackend
from client.lockdown.backends.posix import PosixBackend
from client.lockdown.keys import LLKHF_ALTDOWN, LLKHF_INJECTED, VK_LMENU, VK_TAB
from client.lockdown.record import LockdownRecord, record_path
from client.lockdown.session import LockdownSession


class Window:
    def __init__(self):
        self.active, self.raised = True, 0

    def native_handle(self):
        return 0x42

    def is_active(self):
        return self.active

    def bring_to_front(self):
        self.raised += 1
        self.active = True


def wait_for(pred, what, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.01)
    raise AssertionError("timed out waiting for " + what)


@pytest.fixture
def forbidden_child(tmp_path):
    sleep = shutil.which("sleep")
    if sleep is None or sys.platform == "win32":
        pytest.skip("needs a POSIX sleep binary")
    exe = tmp_path / "ToDesk"
    shutil.copy(sleep, str(exe))
    procs = []

    def start():
        p = subprocess.Popen([str(exe), "60"])
        procs.append(p)
        return p
    yield start
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()


FAST = {"keys": 0.01, "focus": 0.01, "desktop": 0.01, "clipboard": 0.01, "displays": 0.01, "programs": 0.02,
        "overlays": 0.02, "remote": 0.05, "vm": 60.0}


def test_preflight_lists_what_blocks_the_start_with_instructions(tmp_path, forbidden_child):
    child = forbidden_child()
    backend = NullBackend()
    backend.display_counts = (2, 2)
    backend.remote = ["SM_REMOTESESSION"]
    lock = LockdownSession(str(tmp_path), {"forbidden_processes": ["ToDesk.exe"]}, backend=backend)
    pre = lock.preflight()
    ids = [c.id for c in pre.blockers]
    assert ids == ["system.displays", "system.remote_session", "lockdown.programs"]
    assert not pre.ok and all(c.fix_zh and c.fix_en for c in pre.blockers)
    assert "ToDesk" in pre.blockers[2].message_en and "ToDesk" in pre.blockers[2].message_zh
    assert [f.pid for f in pre.programs] == [child.pid]
    assert lock.close_programs(pre.programs) == {child.pid: "closed"}
    backend.display_counts, backend.remote = (1, 1), []
    assert lock.preflight().ok


def test_policy_weighs_findings_and_a_mirrored_projector_is_a_warning(tmp_path):
    backend = NullBackend()
    backend.display_counts = (1, 2)          # one desktop screen duplicated to a projector
    # the host's own VM evidence is real (a KVM test machine finds it): allowed here, this test is about displays
    lock = LockdownSession(str(tmp_path), {"forbidden_processes": [], "multiple_displays": "warn",
                                           "virtual_machine": "allow"}, backend=backend)
    pre = lock.preflight()
    assert pre.ok and [c.id for c in pre.warnings] == ["lockdown.mirrored_display"]
    backend.display_counts = (2, 2)
    assert [c.id for c in lock.preflight().warnings] == ["system.displays"]


def test_exam_lockdown_reports_and_reverts(tmp_path, forbidden_child):
    events = []
    backend = NullBackend(setting_file=str(tmp_path / "setting.json"))
    lock = LockdownSession(str(tmp_path), {"forbidden_processes": ["ToDesk.exe"]}, lambda *e: events.append(e),
                           backend=backend, intervals=FAST)
    window = Window()
    lock.start(window)
    assert lock.active and LockdownRecord.load(record_path(str(tmp_path))) is not None
    started = [d for t, s, d in events if t == ev.STARTED][0]
    assert started["performed"] == ["clipboard", "keyboard_filter", "simulated_setting", "watch"]
    assert ("empty_clipboard", None) in backend.calls

    # an injected Alt+Tab reaches the hook: swallowed, reported from the watch thread
    assert backend.press(VK_LMENU, LLKHF_INJECTED, 0x104) is True
    assert backend.press(VK_TAB, LLKHF_INJECTED | LLKHF_ALTDOWN, 0x104) is True
    wait_for(lambda: any(d.get("combo") == "alt+tab" for t, s, d in events if t == ev.KEY_BLOCKED), "alt+tab event")

    # another program takes the front: raised back, the loss reported with who took it
    intruder = WindowInfo(0x99, 4242, "QQ.exe", "QQ", "TXGuiFoundation")
    backend.front_window, backend.front_is_ours = intruder, False
    wait_for(lambda: any(t == ev.FOCUS_LOST for t, s, d in events), "focus event")
    loss = [d for t, s, d in events if t == ev.FOCUS_LOST][0]
    assert loss["taken_by"]["exe"] == "QQ.exe" and loss["ended"] == "raised" and loss["duration_ms"] >= 0
    assert ("raise", 0x42) in backend.calls

    # another program fills the clipboard: cleared
    backend.clipboard_seq += 1
    backend.clipboard_owner, backend.clipboard_has_content = 4242, True
    wait_for(lambda: any(t == ev.CLIPBOARD_CLEARED for t, s, d in events), "clipboard event")

    # a second display is plugged in; Ctrl+Alt+Del shows the secure desktop for a while
    backend.display_counts = (2, 2)
    backend.desktop = None
    wait_for(lambda: any(t == ev.DISPLAY_CHANGED for t, s, d in events), "display event")
    backend.desktop = "Default"
    wait_for(lambda: any(t == ev.DESKTOP_SWITCHED for t, s, d in events), "desktop event")

    # a forbidden program starts during the exam: terminated (policy default) and reported
    child = forbidden_child()
    wait_for(lambda: any(t == ev.FORBIDDEN_PROGRAM for t, s, d in events), "program event")
    prog = [(s, d) for t, s, d in events if t == ev.FORBIDDEN_PROGRAM][0]
    assert prog[0] == ev.ALERT and prog[1]["pid"] == child.pid and prog[1]["action"] == "terminated"
    child.wait(timeout=10)

    # an overlay hidden from capture appears
    backend.top_windows = [WindowInfo(0x77, 5151, "Helper.exe", "", "Chrome_WidgetWin_1", 0, (0, 0, 500, 500), 0x11)]
    wait_for(lambda: any(t == ev.HIDDEN_OVERLAY for t, s, d in events), "overlay event")

    assert lock.stop() == []
    assert not lock.active and LockdownRecord.load(record_path(str(tmp_path))) is None
    assert events[-1][0] == ev.STOPPED
    assert backend.calls.count(("empty_clipboard", None)) >= 3        # start, the foreign content, the end
    assert ("hook", False) in backend.calls
    severities = {t: s for t, s, d in events}
    assert severities[ev.DISPLAY_CHANGED] == ev.ALERT and severities[ev.DESKTOP_SWITCHED] == ev.WARN
    assert {s for _t, s, _d in events} <= {ev.INFO, ev.WARN, ev.ALERT}
    messages = [ev.candidate_message(t, d) for t, s, d in events]
    assert any(m and "切换" in m[0] for m in messages) and any(m and "closed" in m[1] for m in messages)


def test_flag_policy_does_not_terminate(tmp_path, forbidden_child):
    events = []
    lock = LockdownSession(str(tmp_path), {"forbidden_processes": ["ToDesk.exe"], "forbidden_during_exam": "flag"},
                           lambda *e: events.append(e), backend=NullBackend(), intervals=FAST)
    lock.start(Window())
    try:
        child = forbidden_child()
        wait_for(lambda: any(t == ev.FORBIDDEN_PROGRAM for t, s, d in events), "program event")
        assert [d["action"] for t, s, d in events if t == ev.FORBIDDEN_PROGRAM] == ["flagged"]
        assert child.poll() is None
    finally:
        lock.stop()


def test_posix_backend_says_what_it_cannot_and_watches_focus(tmp_path):
    events = []
    window = Window()
    lock = LockdownSession(str(tmp_path), {"forbidden_processes": []}, lambda *e: events.append(e),
                           backend=PosixBackend(lambda: 1, name="linux"), intervals=FAST)
    lock.start(window)
    try:
        unavailable = [d for t, s, d in events if t == ev.STARTED][0]["unavailable"]
        assert {"keyboard_filter", "capture_exclusion", "overlay_scan", "clipboard"} <= set(unavailable)
        assert all(isinstance(v, str) and v for v in unavailable.values())
        window.active = False
        wait_for(lambda: any(t == ev.FOCUS_LOST for t, s, d in events), "focus event")
        assert window.raised >= 1
    finally:
        lock.stop()
