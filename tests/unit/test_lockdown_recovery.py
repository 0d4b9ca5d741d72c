"""A client killed with the lockdown on: the next start finds the record, reverts what it changed and
reports the unclean exit. A real subprocess is SIGKILLed; the system setting that must survive it is a
file (the null backend's stand-in for a setting that outlives the process)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from client.lockdown.backends.null import NullBackend
from client.lockdown.record import LockdownRecord, record_path
from client.lockdown.session import LockdownSession

ROOT = Path(__file__).resolve().parents[2]
CHILD = textwrap.dedent("""
    import sys, time
    from client.lockdown.backends.null import NullBackend
    from client.lockdown.session import LockdownSession

    class Window:
        def native_handle(self): return 0x42
        def is_active(self): return True
        def bring_to_front(self): pass

    lock = LockdownSession(sys.argv[1], {}, backend=NullBackend(setting_file=sys.argv[2]))
    lock.start(Window())
    print("locked", flush=True)
    time.sleep(600)
""")


def setting(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))["value"]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX; the wine lane kills with TerminateProcess")
@pytest.mark.expected_log(r"belongs to running process", r"recovered after an unclean exit")
def test_sigkill_with_lockdown_active_then_next_start_reverts_and_reports(tmp_path):
    data, system_setting = tmp_path / "data", tmp_path / "setting.json"
    data.mkdir()
    system_setting.write_text(json.dumps({"value": "as the candidate had it"}), encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(data), str(system_setting)], stdout=subprocess.PIPE,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)), text=True)
    try:
        assert child.stdout.readline().strip() == "locked"
        assert setting(system_setting) == "locked"
        # while its owner lives, the record is not ours to revert (a second client started by mistake)
        assert LockdownSession.recover_after_crash(str(data), backend=NullBackend()) is None
        assert setting(system_setting) == "locked"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    events = []
    backend = NullBackend()
    report = LockdownSession.recover_after_crash(str(data), lambda *e: events.append(e), backend=backend)
    assert setting(system_setting) == "as the candidate had it"
    assert report is not None and report.failed == []
    outcomes = {r["operation"]: r["outcome"] for r in report.reverted}
    assert outcomes["simulated_setting"] == "restored"
    assert outcomes["clipboard"] == "emptied"                       # nothing of the paper left on it
    assert outcomes["watch"] == "ended with the process"
    assert [what for call, what in backend.calls if call == "recover"] == [
        "watch", "simulated_setting", "keyboard_filter", "clipboard"]         # newest first
    assert len(events) == 1 and events[0][0] == "lockdown.unclean_exit" and events[0][1] == "warn"
    assert events[0][2]["previous"]["pid"] == child.pid and events[0][2]["previous"]["backend"] == "null"
    assert events[0][2]["previous"]["started_at_ms"] > 0
    assert LockdownRecord.load(record_path(str(data))) is None
    assert LockdownSession.recover_after_crash(str(data), backend=NullBackend()) is None   # reported once


@pytest.mark.expected_log(r"unreadable lockdown record")
def test_unreadable_record_is_reported_once_and_moved_aside(tmp_path):
    path = Path(record_path(str(tmp_path)))
    path.parent.mkdir(parents=True)
    path.write_text("{torn", encoding="utf-8")
    events = []
    report = LockdownSession.recover_after_crash(str(tmp_path), lambda *e: events.append(e), backend=NullBackend())
    assert report is not None and report.unreadable
    assert events[0][0] == "lockdown.unclean_exit" and events[0][2]["record_unreadable"] is True
    assert not path.exists() and list(path.parent.glob("*.unreadable-*"))
    assert LockdownSession.recover_after_crash(str(tmp_path), backend=NullBackend()) is None


def test_clean_start_has_nothing_to_recover(tmp_path):
    assert LockdownSession.recover_after_crash(str(tmp_path), backend=NullBackend()) is None
