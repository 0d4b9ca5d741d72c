"""The header's camera thumbnail fed by the proctoring session's capture of a recorded video (real cv2)."""
from __future__ import annotations

from client.demo import DEMO_CAMERA_LABEL, make_demo_video
from client.monitor.camera_source import source_for
from client.monitor.capture import LIVE, LOST, CameraCapture
from client.ui.camera_feed import CameraThumbnail
from client.ui.header import ExamHeader


def test_recorded_video_shows_in_the_header_with_its_label(qtbot, tmp_path):
    video = make_demo_video(str(tmp_path / "camera.mp4"), seconds=1.0)
    header = ExamHeader()
    qtbot.addWidget(header)
    capture = CameraCapture(lambda: source_for(video, pace=False, loop=True), fps=20.0)
    thumb = CameraThumbnail(capture, fps=20.0)
    thumb.frame.connect(lambda img: header.set_camera_frame(img, DEMO_CAMERA_LABEL))
    capture.start()
    try:
        qtbot.waitUntil(lambda: header.camera.pixmap() is not None and not header.camera.pixmap().isNull(),
                        timeout=20000)
    finally:
        thumb.close()
        capture.stop()
    assert header.camera.toolTip() in DEMO_CAMERA_LABEL.split(" / ")
    image = header.camera.pixmap().toImage()
    assert image.width() <= header.camera.width()


def test_a_missing_camera_is_reported_lost_and_retried(qtbot, tmp_path):
    statuses = []
    capture = CameraCapture(lambda: source_for(str(tmp_path / "missing.mp4")), retry_s=0.05,
                            on_status=lambda s, why: statuses.append((s, why)))
    capture.start()
    try:
        qtbot.waitUntil(lambda: bool(statuses) and statuses[0][0] == LOST, timeout=20000)
        assert statuses[0][1] == "file.missing"
        make_demo_video(str(tmp_path / "missing.mp4"), seconds=1.0)        # the camera comes back
        qtbot.waitUntil(lambda: statuses[-1][0] == LIVE, timeout=20000)
    finally:
        capture.stop()


def test_the_camera_opens_with_the_exam_and_feeds_the_monitor_only_during_it(qtbot, tmp_path):
    from client.app import build_proctoring
    from client.exam import api
    from client.ui.main_window import ExamDeskWindow
    from tests.helpers.fake_engine import FakeEngine

    engine = FakeEngine()
    proctoring = build_proctoring(engine, make_demo_video(str(tmp_path / "camera.mp4"), seconds=1.0)).attach()
    window = ExamDeskWindow(engine, camera=proctoring, camera_label=DEMO_CAMERA_LABEL, proctoring=proctoring)
    qtbot.addWidget(window)
    window.show()
    assert not proctoring.running                                  # nothing opened before the exam (or consent)
    engine.set_state(api.IN_EXAM)
    window.on_paper(engine.start_exam())
    header = window.exam.header
    qtbot.waitUntil(lambda: header.camera.pixmap() is not None and not header.camera.pixmap().isNull(),
                    timeout=30000)
    monitor = proctoring.monitor
    qtbot.waitUntil(lambda: monitor.analysed >= 2, timeout=30000)
    qtbot.waitUntil(lambda: engine.device_status.get("camera") == "live", timeout=30000)
    assert engine.device_status["monitor"] == "on" and engine.device_status["microphone"] == "none"
    indicator = window.exam.header.recording
    assert indicator.isVisible() and indicator.property("recording") == "true"   # the candidate sees it
    window.seal_and_submit("candidate")
    qtbot.waitUntil(lambda: not proctoring.running, timeout=10000)  # closed with the seal
    assert engine.device_status["camera"] == "off"
    assert indicator.property("recording") == "false"
    assert all(t.startswith("camera.") for _, t, _, _ in engine.reported)
