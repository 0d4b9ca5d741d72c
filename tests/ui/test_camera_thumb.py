"""The header's camera thumbnail fed by a recorded video through the monitor's FrameSource (real cv2)."""
from __future__ import annotations

from client.demo import DEMO_CAMERA_LABEL, make_demo_video
from client.monitor.camera_source import source_for
from client.ui.camera_feed import CameraFeed
from client.ui.header import ExamHeader


def test_recorded_video_shows_in_the_header_with_its_label(qtbot, tmp_path):
    video = make_demo_video(str(tmp_path / "camera.mp4"), seconds=1.0)
    header = ExamHeader()
    qtbot.addWidget(header)
    feed = CameraFeed(source_for(video, pace=False, loop=True), fps=20.0)
    feed.frame.connect(lambda img: header.set_camera_frame(img, DEMO_CAMERA_LABEL))
    feed.start()
    try:
        qtbot.waitUntil(lambda: header.camera.pixmap() is not None and not header.camera.pixmap().isNull(),
                        timeout=20000)
    finally:
        feed.stop()
    assert header.camera.toolTip() in DEMO_CAMERA_LABEL.split(" / ")
    image = header.camera.pixmap().toImage()
    assert image.width() <= header.camera.width()


def test_a_missing_camera_stops_the_feed_quietly(qtbot, tmp_path):
    feed = CameraFeed(source_for(str(tmp_path / "missing.mp4")))
    with qtbot.waitSignal(feed.stopped, timeout=20000):
        feed.start()
    feed.stop()


def test_the_app_feeds_the_same_frames_to_the_exam_monitor_only_during_the_exam(qtbot, tmp_path):
    from client.app import attach_camera
    from client.exam import api
    from client.ui.main_window import ExamDeskWindow
    from tests.helpers.fake_engine import FakeEngine

    engine = FakeEngine()
    events = []
    engine.report_event = lambda type_, severity, detail, evidence_path=None: events.append(type_) or 1
    window = ExamDeskWindow(engine)
    qtbot.addWidget(window)
    video = make_demo_video(str(tmp_path / "camera.mp4"), seconds=1.0)
    feed = attach_camera(window, video, DEMO_CAMERA_LABEL)
    try:
        qtbot.waitUntil(lambda: window.exam_monitor.analysed >= 2, timeout=30000)
        assert events == []                       # not in the exam: nothing reported
        engine.set_state(api.IN_EXAM)
        window.exam_monitor.drain()
    finally:
        feed.stop()
        window.exam_monitor.stop()
    assert all(e.startswith("camera.") for e in events)
