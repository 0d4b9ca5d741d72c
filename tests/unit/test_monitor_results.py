"""CheckResult, the report, its atomic save, policies; camera device listing from a sysfs tree."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from client.monitor.camera_devices import is_virtual_camera, list_linux_cameras
from client.monitor.results import (
    CheckResult,
    bad,
    build_report,
    merge_results,
    merged_policy,
    ok,
    policy_status,
    save_report,
    skipped,
    worst,
)


def test_status_is_validated_and_values_always_serialise():
    with pytest.raises(ValueError):
        CheckResult("camera.x", "maybe", None, "zh", "en")
    r = ok("camera.x", {"level": np.float32(12.5), "n": np.int64(3), "box": (1, 2), "nan": float("nan")}, "好", "good")
    d = json.loads(json.dumps(r.to_dict()))
    assert d["value"] == {"level": 12.5, "n": 3, "box": [1, 2], "nan": None}
    assert r.area == "camera"


def test_report_counts_and_overall():
    results = [ok("a.one", 1, "好", "good"), bad("a.two", "warn", 2, "注意", "careful", "修", "fix"),
               bad("b.three", "fail", 3, "错", "wrong", "修", "fix")]
    rep = build_report(results)
    assert rep["format"] == "examdesk-check-report/1"
    assert rep["summary"] == {"pass": 1, "skip": 0, "warn": 1, "fail": 1} and rep["overall"] == "fail"
    assert [c["id"] for c in rep["checks"]] == ["a.one", "a.two", "b.three"]
    assert build_report([])["overall"] == "pass"
    assert worst(["pass", "warn"]) == "warn"
    # not measured is never "pass", and never hides a warning
    assert worst(["pass", "skip"]) == "skip" and worst(["skip", "warn"]) == "warn"
    only_skipped = build_report([ok("a.one", 1, "好", "good"), skipped("a.two", "未测", "not measured")])
    assert only_skipped["overall"] == "skip" and only_skipped["summary"]["skip"] == 1


def test_rerun_replaces_only_its_own_checks_in_place():
    old = [ok("camera.a", 1, "", ""), bad("camera.b", "fail", 0, "", "", "", ""), ok("network.c", 1, "", "")]
    new = [ok("camera.b", 1, "", ""), ok("camera.d", 1, "", "")]
    merged = merge_results(old, new)
    assert [(r.id, r.status) for r in merged] == [("camera.a", "pass"), ("camera.b", "pass"), ("network.c", "pass"),
                                                   ("camera.d", "pass")]


def test_save_is_atomic_and_readable(tmp_path):
    rep = build_report([ok("a.b", 1, "好", "good")])
    path = save_report(rep, tmp_path)
    assert path.parent == tmp_path / "check-reports"
    assert json.loads(path.read_text(encoding="utf-8")) == rep
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []  # no temp files left


def test_save_into_an_unwritable_place_raises_oserror(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError):
        save_report(build_report([]), blocker)


def test_policy_defaults_and_overrides():
    assert policy_status({}, "virtual_machine") == "warn"
    assert policy_status({"virtual_machine": "FAIL"}, "virtual_machine") == "fail"
    assert policy_status({"virtual_machine": "allow"}, "virtual_machine") == "pass"
    assert policy_status({"remote_session": "nonsense"}, "remote_session") == "fail"  # unknown -> strict
    p = merged_policy({"forbidden_processes": ["x.exe"], "virtual_machine": None})
    assert p["forbidden_processes"] == ["x.exe"] and p["virtual_machine"] == "warn"


def test_linux_cameras_from_sysfs(tmp_path):
    sys_root = tmp_path / "video4linux"
    for node, name, index in (("video0", "Integrated Camera: Integrated C", "0"),
                              ("video1", "Integrated Camera: Integrated C", "1"),   # UVC metadata node
                              ("video2", "OBS Virtual Camera", "0"),
                              ("video10", "Dummy video device (0x0000)", "0")):
        d = sys_root / node
        d.mkdir(parents=True)
        (d / "name").write_text(name + "\n")
        (d / "index").write_text(index + "\n")
    drv = tmp_path / "drivers" / "v4l2loopback"
    drv.mkdir(parents=True)
    (sys_root / "video10" / "device").mkdir()
    os.symlink(str(drv), str(sys_root / "video10" / "device" / "driver"))
    cams = list_linux_cameras(str(sys_root), "/dev")
    assert [(c.index, c.path, c.virtual) for c in cams] == [(0, "/dev/video0", False), (2, "/dev/video2", True),
                                                             (10, "/dev/video10", True)]


@pytest.mark.parametrize("name,virtual", [
    ("OBS Virtual Camera", True), ("ManyCam Virtual Webcam", True), ("XSplit VCam", True),
    ("e2eSoft iVCam", True), ("Snap Camera", True), ("Integrated Webcam", False), ("Logitech HD Webcam C270", False),
    ("USB2.0 HD UVC WebCam", False)])
def test_virtual_camera_names(name, virtual):
    assert is_virtual_camera(name) is virtual


def test_probe_fallback_lists_only_cameras_that_open():
    from client.monitor.camera_devices import probe_cameras

    opened = {1, 3}
    cams = probe_cameras(lambda i: i in opened, limit=4)
    assert [(c.index, c.name) for c in cams] == [(1, "Camera 2"), (3, "Camera 4")]


def test_reports_survive_being_killed_mid_write(tmp_path):
    """SIGKILL a process that keeps saving reports: every report file on disk is complete JSON."""
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    if not hasattr(signal, "SIGKILL"):
        pytest.skip("needs SIGKILL")
    root = Path(__file__).resolve().parents[2]
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from client.monitor.results import build_report, ok, save_report\n"
            "big = [ok('x.%%d' %% i, 'v' * 2000, '好' * 50, 'good') for i in range(200)]\n"
            "print('ready', flush=True)\n"
            "while True:\n"
            "    save_report(build_report(big), %r)\n") % (str(root), str(tmp_path))
    for _ in range(8):
        p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
        assert p.stdout.readline().strip() == b"ready"
        time.sleep(0.15)
        p.send_signal(signal.SIGKILL)
        p.wait()
        p.stdout.close()
    files = list((tmp_path / "check-reports").glob("check-*.json"))
    assert files
    for f in files:
        assert len(json.loads(f.read_text(encoding="utf-8"))["checks"]) == 200
    old = time.time() - 3600  # crash leftovers are tidied by a later save once they are old
    for tmp in (tmp_path / "check-reports").glob(".check-*.tmp"):
        os.utime(str(tmp), (old, old))
    save_report(build_report([]), tmp_path)
    assert list((tmp_path / "check-reports").glob(".check-*.tmp")) == []
