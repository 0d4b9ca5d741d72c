"""In-exam presence events from real frames: nothing on a glance, an event once a condition holds."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from client.monitor.frame_analysis import FrameAnalyzer
from client.monitor.presence import PresenceWatch, Rule
from tests.helpers import media

FPS = 4.0


@pytest.fixture(scope="module")
def scenes():
    good = cv2.resize(media.good_frame(), (640, 360), interpolation=cv2.INTER_AREA)  # small: fast tests
    return {"good": media.sensor_noise(good, 4), "wall": media.sensor_noise(np.full_like(good, 120), 4),
            "two": media.sensor_noise(media.pad_to(media.load_face("two_people.jpg"), 640, 360), 4),
            "black": [media.black(640, 360)], "frozen": [good]}


def play(watch, analyzer, scenes, script, t0=0.0):
    """script: [(scene, seconds)] at FPS frames per second; returns every event."""
    events, t, i = [], t0, 0
    for scene, seconds in script:
        frames = scenes[scene]
        for _ in range(int(seconds * FPS)):
            m = analyzer.analyze(frames[i % len(frames)])
            events += watch.feed(m, t)
            t += 1.0 / FPS
            i += 1
    return events


def test_a_short_absence_is_not_an_event_a_long_one_is(scenes):
    w, a = PresenceWatch(), FrameAnalyzer()
    assert play(w, a, scenes, [("good", 3), ("wall", 3), ("good", 3)]) == []
    ev = play(w, a, scenes, [("wall", 7), ("good", 3)], t0=9.0)
    assert [(e.type, e.state) for e in ev] == [("face_absent", "start"), ("face_absent", "end")]
    assert ev[0].t == pytest.approx(9.0) and ev[0].severity == "warn"
    assert ev[1].detail["duration_s"] == pytest.approx(7.0, abs=0.3)


def test_a_second_person_is_an_alert(scenes):
    w, a = PresenceWatch(), FrameAnalyzer()
    ev = play(w, a, scenes, [("good", 2), ("two", 3)])
    assert [(e.type, e.severity, e.state) for e in ev] == [("multiple_faces", "alert", "start")]
    assert ev[0].detail["count"] == 2 and w.active() == ["multiple_faces"]


def test_covered_lens_and_frozen_picture(scenes):
    w, a = PresenceWatch(), FrameAnalyzer()
    ev = play(w, a, scenes, [("black", 4)])
    assert ("camera_blocked", "start") in [(e.type, e.state) for e in ev]
    w2, a2 = PresenceWatch(), FrameAnalyzer()
    ev2 = play(w2, a2, scenes, [("frozen", 7)])
    assert [(e.type, e.state) for e in ev2] == [("camera_frozen", "start")]
    assert play(PresenceWatch(), FrameAnalyzer(), scenes, [("good", 7)]) == []  # live noise: never frozen


def test_flicker_within_the_clear_time_keeps_one_event(scenes):
    w, a = PresenceWatch(), FrameAnalyzer()
    ev = play(w, a, scenes, [("wall", 6), ("good", 1), ("wall", 3), ("good", 3)])
    assert [(e.type, e.state) for e in ev] == [("face_absent", "start"), ("face_absent", "end")]


def test_real_video_raises_no_alert_with_default_rules_and_finds_absence_with_a_short_hold():
    cap = cv2.VideoCapture(media.face_path("short_hamilton_clip.mp4"))
    frames = []
    while True:
        ok, f = cap.read()
        if not ok:
            break
        frames.append(f)
    cap.release()
    a = FrameAnalyzer()
    metrics = [a.analyze(f) for f in frames[::5]]
    dt = 5 / 29.97
    default, short = PresenceWatch(), PresenceWatch(rules=(Rule("face_absent", "warn", 1.0),))
    ev_default = [e for i, m in enumerate(metrics) for e in default.feed(m, i * dt)]
    ev_short = [e for i, m in enumerate(metrics) for e in short.feed(m, i * dt)]
    assert [e for e in ev_default if e.severity == "alert"] == []
    assert ev_short and ev_short[0].type == "face_absent" and ev_short[0].t < 1.0  # the dark stage at the start
