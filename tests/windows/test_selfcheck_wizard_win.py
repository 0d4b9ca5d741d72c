"""The self-check wizard on Windows' Qt (offscreen) with a recorded video as the camera and recorded
sound as the microphone; a missing camera through DirectShow fails cleanly."""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from client.monitor.camera_check import run_camera_check
from client.monitor.camera_source import CaptureSource
from client.monitor.mic_check import ArrayInput
from tests.helpers import media

SR = 16000


def voice(seconds: float = 3.0) -> np.ndarray:
    """A voiced-speech stand-in (espeak-ng is not available here): 140 Hz harmonics in syllable bursts."""
    t = np.arange(int(SR * seconds)) / SR
    tone = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 8))
    envelope = (np.sin(2 * np.pi * 3.0 * t) > 0).astype(np.float32)
    return (0.2 * tone * envelope).astype(np.float32)


def recording() -> np.ndarray:
    rng = np.random.default_rng(2)
    quiet = rng.normal(0, 0.0005, int(SR * 1.2)).astype(np.float32)
    return np.concatenate([quiet, voice() + rng.normal(0, 0.0005, int(SR * 3.0)).astype(np.float32)])


def wait_until(app, condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout  # a hang guard, not a speed requirement
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        app.processEvents()
        time.sleep(0.02)


@pytest.mark.expected_log(r"camera check: camera\.(busy|missing)")
def test_directshow_without_a_camera_fails_cleanly():
    r = run_camera_check(CaptureSource(0, name="camera 0"))
    assert r[0].id == "camera.device" and r[0].status == "fail" and r[0].details["code"] == "camera.busy"


def test_wizard_end_to_end_on_windows_qt(tmp_path):
    from client.qt import QApplication
    from client.ui.selfcheck import SelfCheckWizard

    app = QApplication.instance() or QApplication([])
    video = media.live_video(str(tmp_path / "candidate.mp4"), media.good_frame(), n=30, fps=15)
    w = SelfCheckWizard(None, None, {"forbidden_processes": []}, camera=video, server_url="",
                        audio_factory=lambda: ArrayInput(recording(), SR), display_count=lambda: 1,
                        data_dir=tmp_path / "data", mic_floor_s=0.8, mic_speech_s=3.0, camera_window=6)
    reports = []
    w.finished.connect(reports.append)
    w.show()
    try:
        wait_until(app, lambda: w.camera_page.ready and w.next_button.isEnabled())
        assert {r.id: r.status for r in w.camera_page.live}["camera.face_count"] == "pass"
        w.next_button.click()                     # takes the camera's verdict
        assert w.current_area() == "microphone" and w.camera_page.worker is None
        w.next_button.click()                     # the microphone's main action: start
        wait_until(app, lambda: "microphone" in w.results)
        assert {r.id: r.status for r in w.results["microphone"]}["microphone.speech"] == "pass"
        w.next_button.click()                     # network: no server configured -> said so, not a crash
        assert w.network_page.not_configured.isVisible() and w.network_page.verdict.status == "skip"
        w.next_button.click()                     # left without a result: recorded as not run
        assert {r.id for r in w.results["network"]} == {"network.not_run"}
        wait_until(app, lambda: "system" in w.results)
        assert {r.id: r.status for r in w.results["system"]}["system.os"] == "pass"
        w.next_button.click()
        w.next_button.click()                     # the summary's main action: finish
        wait_until(app, lambda: bool(reports))
        saved = Path(reports[0]["saved_to"])
        assert json.loads(saved.read_text(encoding="utf-8"))["overall"] == "fail"
    finally:
        w.stop_all()
        w.close()
