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


def test_the_camera_opens_with_the_exam_and_feeds_the_monitor_only_during_it(qtbot, tmp_path):
    from client.app import attach_camera
    from client.exam import api
    from client.ui.main_window import ExamDeskWindow
    from tests.helpers.fake_engine import FakeEngine

    engine = FakeEngine()
    events = []
    engine.report_event = lambda type_, severity, detail, evidence_path=None: events.append(type_) or 1
    window = ExamDeskWindow(engine)
    qtbot.addWidget(window)
    window.show()
    attach_camera(window, make_demo_video(str(tmp_path / "camera.mp4"), seconds=1.0), DEMO_CAMERA_LABEL)
    assert getattr(window, "camera_feed", None) is None      # nothing opened before the exam (or consent)
    engine.set_state(api.IN_EXAM)
    window.on_paper(engine.start_exam())
    header = window.exam.header
    qtbot.waitUntil(lambda: header.camera.pixmap() is not None and not header.camera.pixmap().isNull(),
                    timeout=30000)
    monitor = window.exam_monitor
    qtbot.waitUntil(lambda: monitor.analysed >= 2, timeout=30000)
    window.seal_and_submit("candidate")
    assert window.camera_feed is None and window.exam_monitor is None   # closed with the seal
    assert all(e.startswith("camera.") for e in events)
