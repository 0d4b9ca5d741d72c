"""`python -m client check ...` as a real subprocess: one JSON object on stdout, exit status by verdict."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import media
from tests.helpers.server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {"camera.face_count", "camera.centred", "camera.distance", "camera.brightness", "camera.backlight",
            "camera.sharpness", "camera.frozen"}


def check(*args, env_extra=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT), EXAMDESK_LOG_LEVEL="WARNING")
    env.update(env_extra or {})
    p = subprocess.run([sys.executable, "-m", "client", "check", *args], cwd=str(ROOT), env=env,
                       capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8", "replace")


def check_json(*args, **kw):
    rc, out, err = check(*args, "--json", **kw)
    assert "Traceback" not in err, err
    lines = [ln for ln in out.splitlines() if ln.strip()]
    assert len(lines) == 1, out  # exactly ONE JSON object
    return rc, json.loads(lines[0])


def by_id(report):
    return {c["id"]: c for c in report["checks"]}


def test_good_photo_passes_with_every_required_id():
    rc, report = check_json("--camera", media.face_path("obama-720p.jpg"))
    checks = by_id(report)
    assert REQUIRED <= set(checks)
    # a photo shows everything but motion: frame rate and freezing are "not measured", never "pass"
    assert {c: checks[c]["status"] for c in ("camera.frame_rate", "camera.frozen")} == {
        "camera.frame_rate": "skip", "camera.frozen": "skip"}
    assert rc == 0 and report["overall"] == "skip", [c for c in report["checks"] if c["status"] not in ("pass", "skip")]
    assert [c["id"] for c in report["checks"] if c["status"] != "pass"] == ["camera.frame_rate", "camera.frozen"]
    for c in report["checks"]:
        assert set(c) >= {"id", "status", "value", "message_zh", "message_en", "fix_zh", "fix_en"}


def test_two_faces_fail_with_exit_status_1():
    rc, report = check_json("--camera", media.face_path("obama_and_biden.jpg"))
    c = by_id(report)["camera.face_count"]
    assert rc == 1 and report["overall"] == "fail" and c["status"] == "fail" and c["value"] == 2


def test_backlit_photo_and_frozen_video(tmp_path):
    img = media.write_image(str(tmp_path / "backlit.png"), media.backlit(media.good_frame()))
    rc, report = check_json("--camera", img)
    assert by_id(report)["camera.backlight"]["status"] == "fail" and rc == 1
    video = media.frozen_video(str(tmp_path / "frozen.mp4"), media.good_frame(), n=12)
    rc, report = check_json("--camera", video, "--frames", "12")
    assert by_id(report)["camera.frozen"]["status"] == "fail" and rc == 1


def test_real_video_file():
    rc, report = check_json("--camera", media.face_path("short_hamilton_clip.mp4"), "--frames", "20")
    checks = by_id(report)
    assert checks["camera.frame_rate"]["value"] == pytest.approx(29.97, abs=0.1)
    assert checks["camera.frozen"]["status"] == "pass"


def test_missing_file_is_a_clear_failure_not_a_traceback(tmp_path):
    rc, report = check_json("--camera", str(tmp_path / "nope.mp4"))
    c = by_id(report)["camera.device"]
    assert rc == 1 and c["status"] == "fail" and "找不到" in c["message_zh"] and "not found" in c["message_en"]


def test_bad_command_line_in_both_languages():
    rc, out, err = check("--frames", "many")
    assert rc == 2 and "命令行参数错误" in err and "Bad command line" in err and "Traceback" not in err
    rc, out, err = check("--system", "--policy", "/nonexistent/policy.json")
    assert rc == 2 and "无法读取策略文件" in err and "Cannot read the policy file" in err


def test_system_with_policy_and_save(tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"policy": {"forbidden_processes": ["python", "python3"], "virtual_machine": "warn"}}))
    rc, report = check_json("--system", "--policy", str(policy), "--save", "--data-dir", str(tmp_path / "data"))
    procs = by_id(report)["system.processes"]
    assert procs["status"] == "fail" and any(p["name"].startswith("python") for p in procs["value"])
    saved = Path(report["saved_to"])
    assert saved.parent == tmp_path / "data" / "check-reports" and json.loads(saved.read_text())["overall"] == "fail"


def test_network_against_the_real_server(tmp_path):
    srv = LiveServer(tmp_path / "srv").start()
    try:
        rc, report = check_json("--network", srv.url)
    finally:
        srv.stop()
    checks = by_id(report)
    assert checks["network.server"]["status"] == "pass" and checks["network.upload"]["status"] == "pass"
    assert checks["network.latency"]["value"]["samples"] == 6


def test_list_devices():
    rc, out, err = check("--list-devices", "--json")
    data = json.loads(out)
    assert rc == 0 and isinstance(data["cameras"], list) and isinstance(data["microphones"], list)


def test_camera_device_that_cannot_open_and_text_output(tmp_path):
    rc, report = check_json("--camera", "57")
    c = by_id(report)["camera.device"]
    assert rc == 1 and c["status"] == "fail" and c["details"]["code"] == "camera.busy"
    rc, out, err = check("--camera", media.face_path("obama_and_biden.jpg"))
    assert rc == 1 and "[失败 fail] camera.face_count" in out and "Only you may be in the picture" in out


def test_network_without_an_address_uses_the_configured_server_or_says_none_is_set(tmp_path, monkeypatch):
    monkeypatch.delenv("EXAMDESK_SERVER_URL", raising=False)   # the developer's own setting must not leak in
    data = tmp_path / "data"
    data.mkdir()
    rc, report = check_json("--network", "--data-dir", str(data))
    server = by_id(report)["network.server"]
    assert rc == 0 and server["status"] == "skip" and report["overall"] == "skip"
    assert "no exam server is configured" in server["message_en"] and "examdesk.json" in server["message_zh"]
    assert "127.0.0.1:8765" not in json.dumps(report)             # the developer default is never tested
    srv = LiveServer(tmp_path / "srv").start()
    try:
        (data / "examdesk.json").write_text(json.dumps({"server_url": srv.url}), encoding="utf-8")
        rc, report = check_json("--network", "--data-dir", str(data))
    finally:
        srv.stop()
    assert by_id(report)["network.server"]["status"] == "pass" and by_id(report)["network.server"]["value"] == srv.url


def test_opencv_keeps_quiet_on_the_console():
    rc, out, err = check("--camera", "57", "--json")
    assert rc == 1 and "[ WARN" not in err and "VIDEOIO" not in err, err
