"""The built installers, installed for real under wine64 in a fresh prefix, like a candidate would:
refusal of an unsupported Windows, silent install, the installed program's self-test, its login window
(screenshot), the Start-menu self-check, silent uninstall with and without the exam data, and then
nothing of ExamDesk left (folder, shortcuts, uninstall key, registry, temp folders, host menus).

Installers come from EXAMDESK_INSTALLERS (default dist/installers, made by tools/build-installer.sh);
`./dev test` builds them and sets EXAMDESK_REQUIRE_INSTALLERS=1 so a missing one fails instead of
skipping. Figures (seconds, the leftover check) are printed: run with -s to see them.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.installer.winebox import ROOT, WinePrefix, Xvfb, have_wine, leftovers

INSTALLERS = Path(os.environ.get("EXAMDESK_INSTALLERS", ROOT / "dist/installers"))
SHOTS = ROOT / "build/installer/smoke"
UNINST_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\ExamDesk"
# lane -> (installer file pattern, the prefix's Windows, one it must refuse and the exit code, stand-in DLLs)
EDITIONS = {
    "win10": ("ExamDesk-*-Setup.exe", "win10", ("win81", 10), True),
    "win7": ("ExamDesk-*-Win7-Setup.exe", "win7", ("win10", 11), False),
}


def _installer(lane: str) -> Path:
    found = sorted(p for p in INSTALLERS.glob(EDITIONS[lane][0]) if lane == "win7" or "-Win7-" not in p.name)
    if not found or not have_wine():
        if os.environ.get("EXAMDESK_REQUIRE_INSTALLERS") == "1":
            pytest.fail("no %s installer in %s (or no wine64/Xvfb/mingw)" % (lane, INSTALLERS))
        pytest.skip("no %s installer in %s: build it with tools/build-installer.sh" % (lane, INSTALLERS))
    return found[-1]


def _build_info(lane: str) -> dict:
    path = INSTALLERS / ("build-%s.json" % lane)
    return json.loads(path.read_text()) if path.exists() else {}


def _say(lane: str, text: str) -> None:
    print("[smoke %s] %s" % (lane, text), flush=True)


@pytest.fixture
def screen():
    x = Xvfb()
    yield x
    x.close()


def _wait_window(screen: Xvfb, needles, timeout: float = 90) -> str:
    needles = (needles,) if isinstance(needles, str) else needles
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        titles = [t for t, prog in screen.windows() if prog.lower() == "examdesk.exe" and any(n in t for n in needles)]
        if titles:
            return titles[0]
        time.sleep(0.5)
    raise AssertionError("no window with %r after %d s: %s" % (needles, timeout, screen.windows()))


def _close_program(prefix: WinePrefix, proc) -> str:
    rc, out = prefix.run(["taskkill", "/IM", "ExamDesk.exe"], timeout=60)   # WM_CLOSE, as a user would
    assert rc == 0, out
    try:
        proc.wait(timeout=60)
    except Exception:
        proc.kill()
        raise
    return proc.stdout.read().decode("utf-8", "replace")


def _install(prefix: WinePrefix, setup: Path) -> float:
    t0 = time.monotonic()
    rc, out = prefix.run([str(setup), "/S"], timeout=600)
    prefix.wait_server()
    assert rc == 0, out
    return time.monotonic() - t0


def _uninstall(prefix: WinePrefix, *options: str) -> float:
    """As Windows' Apps settings do: the UninstallString of the key, silently; wait for its relaunch."""
    command = prefix.reg_query(UNINST_KEY)["QuietUninstallString"]
    exe = command.split('"')[1]
    t0 = time.monotonic()
    rc, out = prefix.run([exe, "/S", *options], timeout=300)
    prefix.wait_server()
    assert rc == 0, out
    return time.monotonic() - t0


@pytest.mark.parametrize("lane", sorted(EDITIONS))
def test_install_self_test_uninstall_leaves_nothing(lane, tmp_path, screen):
    setup = _installer(lane)
    _pattern, windows, (refused_windows, refused_code), stubs = EDITIONS[lane]
    info = _build_info(lane)
    prefix = WinePrefix(tmp_path / "prefix", windows, screen.display, stubs)
    try:
        t0 = time.monotonic()
        prefix.create()
        _say(lane, "%s (%.1f MB), fresh %s prefix in %.1f s" % (setup.name, setup.stat().st_size / 1e6, windows,
                                                                   time.monotonic() - t0))
        install_dir = prefix.local_appdata / "Programs/ExamDesk"
        data_dir = prefix.local_appdata / "ExamDesk"

        # an unsupported Windows is refused, and nothing is written
        prefix.set_windows(refused_windows)
        rc, out = prefix.run([str(setup), "/S"], timeout=300)
        prefix.wait_server()
        assert rc == refused_code, (rc, out)
        assert not install_dir.exists() and not prefix.reg_query(UNINST_KEY)
        _say(lane, "refused on %s with exit code %d" % (refused_windows, rc))
        prefix.set_windows(windows)
        # silent install, per user
        seconds = _install(prefix, setup)
        _say(lane, "installed in %.1f s" % seconds)
        for name in ("ExamDesk.exe", "ExamDesk-console.exe", "Uninstall.exe", "_internal"):
            assert (install_dir / name).exists(), name
        shortcuts = sorted(p.name for p in prefix.start_menu.glob("*.lnk"))
        assert shortcuts == ["ExamDesk 设备自检.lnk", "ExamDesk.lnk"], shortcuts
        key = prefix.reg_query(UNINST_KEY)
        assert key["DisplayName"] == "ExamDesk" and key["DisplayVersion"] == info.get("version", key["DisplayVersion"])
        assert prefix.unix(key["InstallLocation"]) == install_dir
        assert not prefix.registry_lines("Policies\\\\ExamDesk"), "no policy"

        # the installed program's self-test: the GUI exe's exit code, the console twin's readable report
        t0 = time.monotonic()
        rc, out = prefix.run([str(install_dir / "ExamDesk.exe"), "--self-test"], timeout=300)
        assert rc == 0, out
        gui_seconds = time.monotonic() - t0
        rc, out = prefix.run([str(install_dir / "ExamDesk-console.exe"), "--self-test"], timeout=300)
        report = json.loads(out[out.index("{"):])
        assert rc == 0 and report["ok"], out
        assert set(report["checks"]) >= {"qt", "face_detector", "voice_detector", "journal", "crypto", "config"}
        # both builds ship the CNN face detector and the WebRTC voice detector (pyproject.toml), not a fallback
        assert report["checks"]["face_detector"]["detail"].startswith("yuface, "), report
        assert "webrtcvad" in report["checks"]["voice_detector"]["detail"], report
        if info.get("server_url"):     # the URL baked in at build time is what the program uses
            assert report["checks"]["config"]["detail"].startswith("server %s" % info["server_url"]), report
        if info.get("ca_cert"):
            assert "CA examdesk-ca.pem" in report["checks"]["config"]["detail"], report
        assert not list(prefix.temp.glob("examdesk-selftest-*")), "the self-test cleans up"
        _say(lane, "self-test exit 0 in %.1f s (ExamDesk.exe); console report: %s" % (
            gui_seconds, {k: v["detail"] for k, v in report["checks"].items()}))

        # the exam program: its login window, as a candidate sees it
        prefix.start_services()
        t0 = time.monotonic()
        proc = prefix.start([str(install_dir / "ExamDesk.exe"), "--windowed"])
        title = _wait_window(screen, "ExamDesk")
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = screen.painted(SHOTS / ("%s-login.png" % lane))
        log = _close_program(prefix, proc)
        assert proc.returncode == 0, log
        _say(lane, "login window %r up in %.1f s, screenshot %s" % (title, time.monotonic() - t0, shot))

        # the Start-menu self-check, through its shortcut
        proc = prefix.start(["start", "/wait", "/unix", str(prefix.start_menu / "ExamDesk 设备自检.lnk")])
        check_title = _wait_window(screen, ("自检", "self-check"))
        screen.painted(SHOTS / ("%s-selfcheck.png" % lane))
        _close_program(prefix, proc)
        _say(lane, "self-check shortcut opened %r" % check_title)
        prefix.kill()        # the services' persistent wineserver: the uninstaller's relaunch is waited for below
        assert data_dir.exists(), "the program keeps its data in %LOCALAPPDATA%\\ExamDesk"

        # uninstall without ticking the data: the exam data stays, everything else goes
        seconds = _uninstall(prefix)
        assert not install_dir.exists() and not list(prefix.start_menu.glob("*.lnk")) and not prefix.reg_query(UNINST_KEY)
        assert data_dir.exists(), "exam data is deleted only when ticked"
        _say(lane, "uninstalled in %.1f s, exam data kept" % seconds)

        # again, ticking the data (silent: /REMOVEDATA)
        _install(prefix, setup)
        seconds = _uninstall(prefix, "/REMOVEDATA")
        pending = prefix.pending_deletions()
        before = leftovers(prefix, install_dir, data_dir)
        _say(lane, "uninstalled with /REMOVEDATA in %.1f s; left until the next restart: %s" % (seconds, before or "nothing"))
        assert all("~nsu" in item for item in before), before          # only the uninstaller's own copy
        assert all("~nsu" in p for p in pending), pending
        prefix.reboot()
        after = leftovers(prefix, install_dir, data_dir)
        _say(lane, "leftover check after a restart: %s" % (after or "nothing left"))
        assert after == []
    finally:
        prefix.close()
