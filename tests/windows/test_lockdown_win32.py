"""The Windows lockdown for real (wine lane or Windows): an exam window in a child process under a
LockdownSession with the Windows backend, driven from here with real user32 calls: SendInput keys,
SetForegroundWindow to another program's window, another program's clipboard content and overlay."""
from __future__ import annotations

import json

import psutil
import pytest

from client.lockdown import events as ev
from client.lockdown.record import LockdownRecord, record_path
from client.lockdown.session import LockdownSession
from client.win32 import clipboard, keyboard, windows
from client.win32.api import wine_version
from tests.windows.lockdown_children import Child, wait_until

VK_MENU, VK_TAB, VK_LWIN, VK_A = 0x12, 0x09, 0x5B, 0x41
WINE = wine_version() is not None


@pytest.fixture
def children():
    started = []

    def start(*args):
        c = Child(*args)
        started.append(c)
        return c
    yield start
    for c in reversed(started):
        c.close()


def exam(children, tmp_path, policy=None):
    return children("exam", str(tmp_path / "data"), json.dumps(dict({"forbidden_processes": []}, **(policy or {}))))


def focus(child):
    windows.SetForegroundWindow(child.hwnd)
    wait_until(lambda: windows.foreground_window() == child.hwnd, "the window in front")


def test_hook_on_its_own_thread_swallows_injected_alt_tab_and_win_and_reports_them(children, tmp_path):
    # injected keys allowed here, so the window's own key log proves what got through and what did not
    e = exam(children, tmp_path, {"injected_input": "allow"})
    focus(e)
    keyboard.send_keys([(VK_MENU, False), (VK_TAB, False), (VK_TAB, True), (VK_MENU, True),
                        (VK_LWIN, False), (VK_LWIN, True), (VK_A, False), (VK_A, True)])
    wait_until(lambda: VK_A in e.keys(), "the A key in the exam window")
    assert VK_TAB not in e.keys() and VK_LWIN not in e.keys()
    alt_tab = e.wait_event(ev.KEY_BLOCKED, lambda d: d["combo"] == "alt+tab")
    win = e.wait_event(ev.KEY_BLOCKED, lambda d: d["combo"] == "win")
    assert alt_tab[2]["injected"] is True and win[2]["injected"] is True
    assert alt_tab[2]["vk"] == VK_TAB and win[2]["vk"] == VK_LWIN
    assert ev.candidate_message(ev.KEY_BLOCKED, alt_tab[2])[0].startswith("考试期间不能切换")
    started = e.events(ev.STARTED)[0][2]
    assert "keyboard_filter" in started["performed"]


def test_injected_typing_is_blocked_by_default(children, tmp_path):
    e = exam(children, tmp_path)
    focus(e)
    keyboard.send_keys([(VK_A, False), (VK_A, True)])
    blocked = e.wait_event(ev.KEY_BLOCKED, lambda d: d["combo"] == "injected")
    assert blocked[1] == ev.WARN and blocked[2]["vk"] == VK_A


def test_foreground_watch_brings_the_exam_back_and_reports_who_took_it(children, tmp_path):
    e = exam(children, tmp_path)
    intruder = children("window", "Intruder")
    focus(e)
    windows.SetForegroundWindow(intruder.hwnd)        # as another program grabbing the front would
    loss = e.wait_event(ev.FOCUS_LOST)
    assert loss[2]["taken_by"]["pid"] == intruder.pid
    assert loss[2]["taken_by"]["exe"].lower() == "python.exe" and loss[2]["taken_by"]["title"] == "Intruder"
    assert loss[2]["ended"] == "raised" and loss[2]["duration_ms"] >= 0
    wait_until(lambda: windows.foreground_window() == e.hwnd, "the exam back in front")
    # every loss is found by polling GetForegroundWindow; wine never raises EVENT_SYSTEM_FOREGROUND


def test_capture_exclusion_is_attempted_with_full_signatures_and_reported_honestly(children, tmp_path):
    e = exam(children, tmp_path)
    (capture,) = [x for x in e.events(ev.CAPTURE_BLOCK)]
    started = e.events(ev.STARTED)[0][2]
    fn = windows.SetWindowDisplayAffinity.resolve()
    assert fn.argtypes == windows.SetWindowDisplayAffinity.argtypes and len(fn.argtypes) == 2
    if WINE:   # wine 8 fails SetWindowDisplayAffinity (ERROR_NOT_ENOUGH_MEMORY): said so, the exam goes on
        assert capture[1] == ev.WARN and capture[2]["ok"] is False and capture[2]["last_error"] == 8
        assert "capture_exclusion" in [s["operation"] for s in started["skipped"]]
        assert windows.window_affinity(e.hwnd) == windows.WDA_NONE
    else:
        assert capture[2]["ok"] is True and windows.window_affinity(e.hwnd) in (windows.WDA_MONITOR,
                                                                                 windows.WDA_EXCLUDEFROMCAPTURE)


def test_clipboard_emptied_at_start_and_other_programs_content_cleared(children, tmp_path):
    before = children("clipboard", "answers copied before the exam")
    wait_until(lambda: clipboard.format_count() > 0 and clipboard.owner_pid() == before.pid, "clipboard content")
    e = exam(children, tmp_path)
    assert clipboard.format_count() == 0                      # emptied by the lockdown's first operation
    helper = children("clipboard", "answer pushed in during the exam")
    cleared = e.wait_event(ev.CLIPBOARD_CLEARED)
    assert cleared[2]["owner_pid"] == helper.pid and cleared[2]["reason"] == "foreign"
    wait_until(lambda: clipboard.format_count() == 0, "clipboard cleared")


def test_overlay_window_of_another_process_above_the_exam_is_flagged(children, tmp_path):
    e = exam(children, tmp_path)
    overlay = children("overlay")
    raw = windows.describe(overlay.hwnd)
    needed = windows.WS_EX_TOPMOST | windows.WS_EX_LAYERED | windows.WS_EX_TRANSPARENT | windows.WS_EX_TOOLWINDOW
    assert raw.ex_style & needed == needed                    # what Qt made of the helper's window flags
    found = e.wait_event(ev.HIDDEN_OVERLAY, lambda d: d["pid"] == overlay.pid)
    assert found[2]["reason"] == "topmost_overlay" and found[2]["handle"] == "0x%x" % overlay.hwnd


def test_stop_reverts_everything(children, tmp_path):
    e = exam(children, tmp_path)
    assert windows.describe(e.hwnd).ex_style & windows.WS_EX_TOPMOST      # set by the lockdown, not by Qt
    assert LockdownRecord.load(record_path(str(tmp_path / "data"))) is not None
    assert e.stop_lockdown() == []
    assert not windows.describe(e.hwnd).ex_style & windows.WS_EX_TOPMOST
    assert LockdownRecord.load(record_path(str(tmp_path / "data"))) is None
    assert e.events()[-1][0] == ev.STOPPED
    focus(e)
    keyboard.send_keys([(VK_TAB, False), (VK_TAB, True), (VK_LWIN, False), (VK_LWIN, True)])
    wait_until(lambda: VK_TAB in e.keys() and VK_LWIN in e.keys(), "Tab and Win after the lockdown")  # hook gone


@pytest.mark.expected_log(r"recovered after an unclean exit")
def test_killed_with_the_lockdown_on_then_next_start_reverts_and_reports(children, tmp_path):
    e = exam(children, tmp_path)
    data = str(tmp_path / "data")
    psutil.Process(e.pid).kill()                              # TerminateProcess: nothing of ours runs after it
    e.proc.wait(timeout=30)
    events = []
    report = LockdownSession.recover_after_crash(data, lambda *x: events.append(x))
    assert report is not None and report.failed == []
    outcomes = {r["operation"]: r["outcome"] for r in report.reverted}
    assert outcomes["clipboard"] == "emptied" and outcomes["accessibility_shortcuts"] == "restored"
    assert outcomes["keyboard_filter"] == "ended with the process"
    assert events[0][0] == ev.UNCLEAN_EXIT and events[0][2]["previous"]["pid"] == e.pid
    assert LockdownRecord.load(record_path(data)) is None
