"""One camera setting feeds the self-check wizard, the thumbnail and the monitor (the demo's recorded video)."""
from __future__ import annotations

from client.config import load_config


def test_camera_comes_from_the_command_line_over_the_environment(tmp_path):
    env = {"EXAMDESK_DATA_DIR": str(tmp_path), "EXAMDESK_CAMERA": "1"}
    assert load_config([], env).camera == "1"
    assert load_config(["--camera", "/tmp/demo.mp4", "--windowed"], env).camera == "/tmp/demo.mp4"
    assert load_config([], {"EXAMDESK_DATA_DIR": str(tmp_path)}).camera == ""


def test_the_wizard_opens_the_configured_recorded_camera(qtbot, tmp_path):
    import cv2
    import numpy as np

    from client.ui.selfcheck import SelfCheckWizard

    video = str(tmp_path / "cam.avi")
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*"MJPG"), 10, (320, 240))
    for _ in range(5):
        writer.write(np.full((240, 320, 3), 128, np.uint8))
    writer.release()
    config = load_config(["--camera", video], {"EXAMDESK_DATA_DIR": str(tmp_path)})
    wizard = SelfCheckWizard(config=config)
    qtbot.addWidget(wizard)
    assert wizard.camera_page.camera == video
