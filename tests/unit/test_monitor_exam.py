"""ExamCameraMonitor: frames offered by the camera reader become presence events, without blocking it."""
from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest

from client.monitor.exam_monitor import ExamCameraMonitor
from tests.helpers import media


def frames(img, n):
    return media.sensor_noise(cv2.resize(img, (640, 360), interpolation=cv2.INTER_AREA), n)


def test_offered_frames_become_events_in_order():
    got = []
    mon = ExamCameraMonitor(got.append, analyze_fps=2.0).start()
    good = media.good_frame()
    script = [(f, False) for f in frames(good, 4)] + [(f, True) for f in frames(media.load_face("two_people.jpg"), 8)]
    try:
        t = 0.0
        for frame, _ in script:
            assert mon.offer(frame, t)
            mon.drain()
            t += 0.5
    finally:
        mon.stop()
    assert [(e.type, e.state) for e in got] == [("multiple_faces", "start")]
    assert got[0].t == 2.0 and mon.analysed == len(script)


@pytest.mark.expected_log(r"unusable frame")
def test_offer_never_blocks_and_rate_limits():
    slow_started, release = threading.Event(), threading.Event()

    class SlowAnalyzer:
        def analyze(self, frame):
            slow_started.set()
            release.wait(5)
            raise ValueError("not analysed in this test")

    mon = ExamCameraMonitor(lambda e: None, analyze_fps=2.0, analyzer=SlowAnalyzer()).start()
    frame = np.zeros((90, 160, 3), np.uint8)
    try:
        assert mon.offer(frame, 0.0)
        assert slow_started.wait(5)
        accepted = [mon.offer(frame, 0.5 * i) for i in range(1, 50)]   # returns while the analysis is stuck
        assert all(accepted) and not mon.offer(frame, 24.6)              # 0.1 s later: skipped by rate
        assert not release.is_set() and mon.analysed == 0
    finally:
        release.set()
        mon.stop()


@pytest.mark.expected_log(r"event callback failed")
def test_a_failing_callback_does_not_stop_monitoring():
    calls = []

    def boom(ev):
        calls.append(ev)
        raise RuntimeError("listener bug")

    mon = ExamCameraMonitor(boom, analyze_fps=2.0).start()
    black = media.black(640, 360)
    try:
        for i in range(10):
            mon.offer(black, i * 0.5)
            mon.drain()
    finally:
        mon.stop()
    assert [e.type for e in calls] == ["camera_blocked"] and mon.analysed == 10
