"""`python -m client.demo`: the demo server comes up with its data, the client opens at the login screen with
the demo accounts shown and the generated demo camera, and everything is cleaned up at the end."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import cv2
import pytest

from client import demo

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_demo_credentials_come_from_the_server_demo_data():
    creds = demo.demo_credentials()
    assert {c[4] for c in creds} == {"初级", "中级", "高级"}
    hint = demo.credentials_hint(creds)
    assert all(c[0] in hint and c[1] in hint and c[2] in hint for c in creds)


def test_the_generated_demo_video_is_a_readable_camera(tmp_path):
    path = demo.make_demo_video(str(tmp_path / "cam.mp4"), seconds=1.0)
    cap = cv2.VideoCapture(path)
    frames = 0
    while cap.read()[0]:
        frames += 1
    cap.release()
    assert frames == 10


def test_the_demo_camera_passes_the_face_checks_it_demonstrates(tmp_path):
    pytest.importorskip("skimage")  # the real photo comes from scikit-image (dev environment)
    path = demo.make_demo_video(str(tmp_path / "cam.mp4"), seconds=2.0)
    out = subprocess.run([sys.executable, "-m", "client", "check", "--camera", path, "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=ROOT))
    checks = {c["id"]: c for c in json.loads(out.stdout)["checks"]}
    assert checks["camera.face_count"]["value"] == 1
    for cid in ("camera.centred", "camera.distance", "camera.backlight", "camera.sharpness", "camera.frozen"):
        assert checks[cid]["status"] == "pass", checks[cid]


def test_demo_runs_end_to_end_and_cleans_up(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=ROOT, EXAMDESK_LOG_LEVEL="INFO")
    env.setdefault("EXAMDESK_SERVER_PYTHON", sys.executable)
    scratch = tmp_path / "demo"
    proc = subprocess.run([sys.executable, "-m", "client.demo", "--quit-after", "2", "--data-dir", str(scratch),
                           "--camera", ""], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "DEMO-M-001" in out                       # the credentials are printed
    assert "smoke test: screen loginPage" in out     # the client opened at the login screen
    assert (scratch / "server" / "server.log").exists()


def test_examdesk_help_documents_every_option():
    out = subprocess.run([sys.executable, "-m", "client", "--help"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, env=dict(os.environ, PYTHONPATH=ROOT)).stdout
    for option in ("--server-url", "--data-dir", "--language", "--demo", "--upload-bandwidth-bps", "--camera",
                   "--camera-label", "--windowed"):
        assert option in out
