"""The process guard against real Windows processes built here with mingw: a renamed copy of a listed
program whose version resource still names it, a Chinese product name in a zh-CN resource, a program
known only by its (test) code signature; and the Win32 layer's declarations, desktop and accessibility."""
from __future__ import annotations

import importlib
import os
import shutil
import subprocess

import pytest

from client.lockdown.backends.windows import WindowsBackend
from client.lockdown.guard import ProcessGuard
from client.win32 import accessibility, api, desktop, fileinfo
from examcore.programs import ForbiddenProgram, programs_from_policy
from tests.windows.lockdown_children import Child
from tests.windows.native_build import Builder, can_sign, under_wine

ANYDESK = {"CompanyName": "AnyDesk Software GmbH", "FileDescription": "AnyDesk", "InternalName": "AnyDesk",
           "OriginalFilename": "AnyDesk.exe", "ProductName": "AnyDesk"}
SIGNER = "ExamDesk Test Signer"


@pytest.fixture(scope="module")
def built():
    try:
        b = Builder()
    except RuntimeError as e:
        pytest.skip(str(e))
    exes = {"anydesk": b.exe("AnyDesk.exe", ANYDESK),
            "wemeet": b.exe("meeting.exe", {"OriginalFilename": "meeting.exe", "ProductName": "腾讯会议"}, lang="0804")}
    if under_wine() and can_sign():
        exes["signed"] = b.exe("tool.exe", sign_as=SIGNER)
    b.build()
    # the renamed copies are what runs: names that say nothing
    renamed = {"anydesk": os.path.join(b.work, "notes.exe"), "wemeet": os.path.join(b.work, "svc_helper.exe")}
    for k, path in renamed.items():
        shutil.copy(exes[k], path)
    if "signed" in exes:
        renamed["signed"] = exes["signed"]
    yield renamed
    b.cleanup()


@pytest.fixture
def running(built):
    procs = {k: subprocess.Popen([p], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for k, p in built.items()}
    yield procs
    for p in procs.values():
        if p.poll() is None:
            p.kill()
        p.wait()


def test_version_resource_and_signer_are_read_from_the_files(built):
    assert fileinfo.version_strings(built["anydesk"])["OriginalFilename"] == "AnyDesk.exe"
    assert fileinfo.version_strings(built["wemeet"])["ProductName"] == "腾讯会议"
    assert fileinfo.signer_name(built["anydesk"]) is None                  # unsigned
    if "signed" not in built:
        pytest.skip("osslsigncode/openssl not available to sign a test program")
    assert fileinfo.signer_name(built["signed"]) == SIGNER


def test_guard_catches_renamed_programs_and_closes_them(built, running):
    programs = programs_from_policy({"forbidden_processes": ["AnyDesk.exe", "wemeetapp.exe"]})
    if "signed" in running:
        programs.append(ForbiddenProgram("test_vendor", "Test vendor", "测试厂商", "other", (), (), (SIGNER,)))
    guard = ProcessGuard(programs, WindowsBackend())
    found = {f.pid: f for f in guard.running()}
    by_key = {k: found.get(p.pid) for k, p in running.items()}
    assert by_key["anydesk"] is not None and by_key["anydesk"].name.lower() == "notes.exe"
    assert (by_key["anydesk"].program.key, by_key["anydesk"].matched_by) == ("anydesk", "original_filename")
    assert (by_key["wemeet"].program.key, by_key["wemeet"].matched_by) == ("wemeet", "product_name")
    if "signed" in running:
        assert (by_key["signed"].program.key, by_key["signed"].matched_by) == ("test_vendor", "signer")
    assert all(f.own_session for f in by_key.values())
    assert all(p.poll() is None for p in running.values())              # finding closes nothing
    mine = list(by_key.values())
    # console programs have no window to ask: still running after the polite round, ended with consent
    assert set(guard.close(mine, grace_s=0.5).values()) == {"alive"}
    assert guard.close(mine, force=True) == {f.pid: "closed" for f in mine}
    for p in running.values():
        p.wait(timeout=30)


def test_a_windowed_program_closes_on_the_polite_request():
    child = Child("window", "Chat")
    try:
        prog = ForbiddenProgram("py", "Python", "Python", "other", ("python.exe",))
        guard = ProcessGuard([prog], WindowsBackend())
        (f,) = [x for x in guard.running() if x.pid == child.pid]
        assert guard.close([f], grace_s=30) == {child.pid: "closed"}       # WM_CLOSE, no force needed
        assert child.proc.wait(timeout=30) == 0
    finally:
        child.close()


def test_every_win32_function_is_declared_with_its_full_signature():
    for m in api.all_modules():
        importlib.import_module(m)
    declared = api.declared()
    assert len(declared) > 60
    missing = [f for f in declared if not f.available()]
    assert missing == [], missing
    for f in declared:
        fn = f.resolve()
        assert isinstance(fn.argtypes, (list, tuple)) and list(fn.argtypes) == f.argtypes, f
        assert fn.restype is f.restype, f


def test_desktop_and_session_probes():
    assert desktop.input_desktop_name() == "Default"       # the switch to Winlogon cannot be made here
    assert desktop.own_session() == desktop.console_session()
    assert desktop.monitor_count() >= 1 and desktop.active_outputs() in (None, desktop.monitor_count())
    assert desktop.remote_session() is False


def test_accessibility_shortcuts_read_and_their_change_reported_honestly():
    flags = accessibility.shortcut_flags()
    assert set(flags) == {"sticky", "filter", "toggle"}
    if under_wine():
        # wine answers the reads (hotkeys already off) and refuses the writes: ERROR_INVALID_SPI_VALUE
        with pytest.raises(api.Win32Error) as err:
            accessibility.set_flags("sticky", flags["sticky"])
        assert err.value.winerror_code == 1439
        return
    accessibility.set_flags("sticky", accessibility.without_hotkey(flags["sticky"]))
    try:
        assert not accessibility.shortcut_flags()["sticky"] & accessibility.HOTKEYACTIVE
    finally:
        accessibility.set_flags("sticky", flags["sticky"])
    assert accessibility.shortcut_flags() == flags
