"""The shared deny list and the process guard: matching (a renamed binary is still caught), the policy
forms, the PID diff, and closing real child processes politely, then by force."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

from client.lockdown.backends.null import NullBackend
from client.lockdown.guard import ProcessGuard, PsutilTable
from examcore import programs as P
from examcore.programs import Identity, ProgramMatcher, exe_key, programs_from_policy

OLD_CLIENT_LIST = ["obs64.exe", "obs32.exe", "obs", "TeamViewer.exe", "teamviewer", "AnyDesk.exe", "anydesk",
                   "ToDesk.exe", "SunloginClient.exe", "mstsc.exe", "vncviewer.exe", "WeChat.exe", "QQ.exe",
                   "DingTalk.exe", "ManyCam.exe", "XSplit.Core.exe", "Discord.exe", "Zoom.exe"]
OLD_SERVER_LIST = ["obs64.exe", "obs32.exe", "TeamViewer.exe", "AnyDesk.exe", "ToDesk.exe", "SunloginClient.exe",
                   "QQ.exe", "WeChat.exe", "DingTalk.exe", "mstsc.exe", "vncviewer.exe", "Bandicam.exe",
                   "CamtasiaStudio.exe", "bdcam.exe"]


def test_default_list_is_a_superset_of_both_earlier_lists_and_covers_the_named_tools():
    names = {exe_key(n) for n in P.DEFAULT_FORBIDDEN_PROCESSES}
    assert {exe_key(n) for n in OLD_CLIENT_LIST + OLD_SERVER_LIST} <= names
    keys = {p.key for p in P.DEFAULT_PROGRAMS}
    assert {"teamviewer", "anydesk", "rustdesk", "todesk", "sunlogin", "mstsc", "vnc", "wechat", "qq", "dingtalk",
            "feishu", "wemeet", "zoom", "teams", "discord", "telegram", "obs", "bandicam", "camtasia", "sharex",
            "snipaste", "manycam", "obs_virtualcam", "cluely"} <= keys
    assert all(p.category in P.CATEGORIES for p in P.DEFAULT_PROGRAMS)
    assert all(p.label and p.label_zh and p.exe_names for p in P.DEFAULT_PROGRAMS)


def test_every_other_copy_of_the_list_is_covered():
    from client.monitor.results import DEFAULT_POLICY as self_check_defaults
    from examcore.policy import (
        DEFAULT_FORBIDDEN_PROCESSES as policy_defaults,  # the server's and the client's
    )

    mine = {exe_key(n) for n in P.DEFAULT_FORBIDDEN_PROCESSES}
    assert {exe_key(n) for n in policy_defaults} <= mine
    assert {exe_key(n) for n in self_check_defaults["forbidden_processes"]} <= mine


MATCH_TABLE = [
    (Identity("AnyDesk.exe"), "anydesk", "exe_name"),
    (Identity("anydesk"), "anydesk", "exe_name"),                                   # Linux build
    (Identity("C:\\Users\\x\\Downloads\\TEAMVIEWER.EXE"), "teamviewer", "exe_name"),
    (Identity("notes.exe", original_filename="AnyDesk.exe"), "anydesk", "original_filename"),   # renamed copy
    (Identity("svc.exe", internal_name="ToDesk"), "todesk", "internal_name"),
    (Identity("x.exe", product_name="  腾讯会议 "), "wemeet", "product_name"),
    (Identity("x.exe", product_name="obs studio"), "obs", "product_name"),
    (Identity("helper.exe", signer="TeamViewer Germany GmbH"), "teamviewer", "signer"),
    (Identity("Weixin.exe"), "wechat", "exe_name"),
    (Identity("Cluely.exe"), "cluely", "exe_name"),
    (Identity("notepad.exe", product_name="Microsoft® Windows® Operating System"), None, None),
    (Identity("QQMusic.exe", product_name="QQMusic"), None, None),                  # not QQ
    (Identity("PCMgr.exe", signer="Tencent Technology(Shenzhen) Company Limited"), None, None),  # Tencent antivirus
    (Identity(""), None, None),
]


@pytest.mark.parametrize("ident,key,by", MATCH_TABLE)
def test_matching(ident, key, by):
    m = ProgramMatcher(P.DEFAULT_PROGRAMS).match(ident)
    assert (m.program.key if m else None, m.matched_by if m else None) == (key, by)


def test_policy_forms():
    assert [p.key for p in programs_from_policy({"forbidden_processes": []})] == []
    assert len(programs_from_policy(None)) == len(P.DEFAULT_PROGRAMS)
    # an old-style name selects the whole default entry: its products and signers come with it
    (anydesk,) = programs_from_policy({"forbidden_processes": ["anydesk.EXE"]})
    assert anydesk.key == "anydesk" and "AnyDesk Software GmbH" in anydesk.signers
    custom = programs_from_policy({"forbidden_processes": [
        "Unknown.exe", {"key": "helper", "label": "AI Helper", "products": ["AI Helper"], "category": "ai_overlay"},
        {"label": "nothing to match"}, 42, "AnyDesk.exe", "anydesk"]})
    assert [p.key for p in custom] == ["unknown", "helper", "anydesk"]
    assert custom[1].category == "ai_overlay" and custom[0].exe_names == ("Unknown.exe",)


class Table:
    """A process table of 300 processes; counts what the guard asks for."""

    def __init__(self, procs):
        self.procs = dict(procs)
        self.described = 0
        self.start_reads = 0

    def pids(self):
        return list(self.procs)

    def names(self):
        return None

    def describe(self, pid):
        self.described += 1
        p = self.procs.get(pid)
        return None if p is None else (p[0], p[1], p[2])

    def start_time(self, pid, exited_is_gone=False):
        self.start_reads += 1
        p = self.procs.get(pid)
        return None if p is None else p[2]


def test_pid_diff_looks_only_at_new_processes_and_catches_a_reused_pid():
    procs = {1000 + i: ("worker%d.exe" % i, "C:\\w\\worker%d.exe" % i, 100.0) for i in range(300)}
    table, ids = Table(procs), NullBackend()
    ids.identities["C:\\Temp\\notes.exe"] = {"OriginalFilename": "AnyDesk.exe", "ProductName": "AnyDesk"}
    guard = ProcessGuard(P.DEFAULT_PROGRAMS, ids, table, verify_every=3, exempt=[])
    assert guard.scan() == [] and table.described == 300
    assert guard.scan() == [] and table.described == 300               # nothing new: nothing described
    table.procs[5000] = ("notes.exe", "C:\\Temp\\notes.exe", 200.0)     # a renamed AnyDesk starts
    (found,) = guard.scan()
    assert (found.pid, found.program.key, found.matched_by, found.value) == (5000, "anydesk", "original_filename",
                                                                            "AnyDesk.exe")
    assert table.described == 301
    table.procs[1007] = ("TeamViewer.exe", "C:\\tv\\TeamViewer.exe", 300.0)   # pid 1007 reused within one scan
    assert guard.scan() == []                                  # the PID diff alone misses it...
    later = [guard.scan() for _ in range(guard.verify_every - 1)]
    assert [len(x) for x in later] == [0, 1]                   # ...the start-time check within verify_every does not
    (tv,) = later[-1]
    assert tv.pid == 1007 and tv.program.key == "teamviewer"
    assert table.start_reads == 300 + 301                      # two verifying scans in six (3rd, 6th)
    assert {f.pid for f in guard.running()} == {5000, 1007}


@pytest.fixture
def renamed_children(tmp_path):
    """Real processes: a copy of `sleep` named like AnyDesk, and one with an innocent name whose file
    identity (what a version resource says on Windows) names AnyDesk."""
    sleep = shutil.which("sleep")
    if sleep is None or sys.platform == "win32":
        pytest.skip("needs a POSIX sleep binary (the wine lane covers Windows executables)")
    named, renamed = tmp_path / "AnyDesk", tmp_path / "notes"
    shutil.copy(sleep, str(named))
    shutil.copy(sleep, str(renamed))
    procs = [subprocess.Popen([str(p), "60"]) for p in (named, renamed)]
    ids = NullBackend()
    ids.identities[str(renamed)] = {"OriginalFilename": "AnyDesk.exe"}
    yield procs, ids
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()


def test_guard_finds_real_children_and_closes_them(renamed_children):
    procs, ids = renamed_children
    guard = ProcessGuard(programs_from_policy({"forbidden_processes": ["AnyDesk.exe"]}), ids, PsutilTable())
    found = {f.pid: f for f in guard.running()}
    assert set(found) >= {p.pid for p in procs}
    assert found[procs[0].pid].matched_by == "exe_name"
    assert found[procs[1].pid].matched_by == "original_filename"
    assert all(f.own_session for f in found.values())
    assert all(p.poll() is None for p in procs)                         # finding never closes anything
    result = guard.close([found[p.pid] for p in procs], poll_s=0.05)    # polite: SIGTERM ends sleep
    assert result == {procs[0].pid: "closed", procs[1].pid: "closed"}
    assert ("ask_to_close", procs[0].pid) in ids.calls


def test_close_leaves_a_stubborn_program_alive_until_force(tmp_path):
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        programs = [P.ForbiddenProgram("py", "Python", "Python", "other", (PsutilTable().describe(child.pid)[0],))]
        guard = ProcessGuard(programs, NullBackend(), PsutilTable())
        (f,) = [x for x in guard.running() if x.pid == child.pid]
        t0 = time.monotonic()
        assert guard.close([f], grace_s=0.5, poll_s=0.05) == {child.pid: "alive"}   # like WeChat hiding to the tray
        assert time.monotonic() - t0 >= 0.5 and child.poll() is None
        assert guard.close([f], force=True, grace_s=0.2, poll_s=0.05) == {child.pid: "closed"}
        assert child.wait(timeout=10) is not None and not __import__("psutil").pid_exists(child.pid)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_protected_system_processes_are_never_closed():
    prog = P.ForbiddenProgram("bad", "bad policy", "bad", "other", ("explorer.exe",))
    guard = ProcessGuard([prog], NullBackend(), Table({77: ("explorer.exe", "", 1.0)}), exempt=[])
    (f,) = guard.running()
    assert guard.close([f], force=True) == {77: "protected"} and guard.terminate(f) == "protected"


class SnapshotTable(Table):
    """Windows' way: one snapshot gives every pid with its executable name."""

    def names(self):
        return {pid: p[0] for pid, p in self.procs.items()}


def test_a_pid_reused_under_another_name_is_caught_on_the_next_scan_with_a_snapshot():
    table = SnapshotTable({1000 + i: ("worker%d.exe" % i, "", 100.0) for i in range(300)})
    guard = ProcessGuard(P.DEFAULT_PROGRAMS, NullBackend(), table, exempt=[])
    assert guard.scan() == [] and table.described == 300
    table.procs[1007] = ("AnyDesk.exe", "", 300.0)
    (found,) = guard.scan()
    assert found.pid == 1007 and table.described == 301 and table.start_reads == 0


def test_a_process_caught_between_fork_and_exec_is_looked_at_again():
    now = time.time()
    table = Table({42: ("python3", "/usr/bin/python3", now)})    # forked by a launcher, not yet exec'd
    guard = ProcessGuard(P.DEFAULT_PROGRAMS, NullBackend(), table, exempt=[])
    assert guard.scan() == []
    table.procs[42] = ("ToDesk", "/opt/todesk/ToDesk", now)       # exec'd: same pid, same start
    (found,) = guard.scan()
    assert found.program.key == "todesk"
