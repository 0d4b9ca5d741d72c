"""CameraWatch on scenario videos built from the real photos and the real clip, written with
cv2.VideoWriter and read back with cv2.VideoCapture: the event sequence and its times, and no event
on the good stretches (darker skin, backlight, a dim room, a microphone at the mouth)."""
from __future__ import annotations

import pytest

from client.monitor.camera_watch import CameraWatch
from client.monitor.detectors import yuface_available
from client.monitor.events import PolicyError, policy_with
from tests.helpers import media

STEP = 2            # the videos run at 10 fps; the watch is fed every 2nd frame: 5 analyses a second
INTERVAL = 0.2
REDETECT = 3 * INTERVAL   # with nobody in view the detector looks again every detect_every (3) frames


def run(path, policy=None, watch=None):
    frames, fps = media.read_video(path)
    assert frames, path
    watch = watch or CameraWatch(policy)
    events = []
    for i in range(0, len(frames), STEP):
        events += watch.feed(frames[i], i / fps)
    return events, watch, len(frames) / fps


def check_sequence(events, expected, policy, slack=0.0):
    """expected: [(type, segment start, segment end)] in order; each gives a start and an end event.
    slack: extra seconds allowed for a detector that misses or invents a face now and then."""
    rules = policy["camera"]["rules"]
    got = [(e.type, e.state) for e in events]
    want = [(k, s) for k, _, _ in expected for s in ("start", "end")]
    assert got == want, [(e.type, e.state, e.t) for e in events]
    for i, (kind, t0, t1) in enumerate(expected):
        start, end = events[2 * i], events[2 * i + 1]
        hold, clear = rules[kind]["hold_s"], rules[kind]["clear_s"]
        assert abs(start.t - t0) <= INTERVAL + 1e-6, (kind, start.t, t0)
        assert t0 + hold - 1e-6 <= start.confirmed_t <= t0 + hold + INTERVAL + slack + 1e-6, (kind, start.confirmed_t)
        assert t1 - 2 * INTERVAL - 1e-6 <= end.t <= t1 + REDETECT + 1e-6, (kind, end.t, t1)
        assert end.confirmed_t <= t1 + REDETECT + clear + INTERVAL + 1e-6
        assert start.severity == rules[kind]["severity"] and start.action == rules[kind]["action"]


@pytest.fixture(scope="module")
def candidate():
    img, box = media.webcam("obama-720p.jpg")
    other = media.load_face("rose_leslie.jpg")
    two, _ = media.add_person(img, box, other, media.FACE_BOXES["rose_leslie.jpg"][0], "left")
    return {"good": img, "empty": media.remove_person(img, box), "two": two,
            "hand": media.hand_over_face(img, box), "palm": media.hand_over_face(img, box, "face"),
            "backlit": media.backlit(img), "dim": media.darkened(img, 0.45), "black": media.black(640, 480),
            "frozen": img, "dark": media.darkened(img, 0.12), "far": media.too_far(img, 0.3)}


needs_yuface = pytest.mark.skipif(not yuface_available(), reason="yuface wheel not installed (CPython 3.12+)")


@needs_yuface
def test_present_absent_two_people_covered_and_back(tmp_path, candidate):
    segments = [("good", 6), ("empty", 8), ("good", 4), ("two", 5), ("good", 4), ("hand", 7), ("good", 4),
                ("palm", 7), ("good", 6)]
    tl = media.scenario_video(str(tmp_path / "scenario.avi"), segments, candidate)
    policy = policy_with()
    events, watch, _ = run(str(tmp_path / "scenario.avi"), policy)
    seg = {i: (s, e) for i, (_, s, e) in enumerate(tl)}
    check_sequence(events, [("camera.face_absent",) + seg[1], ("camera.multiple_faces",) + seg[3],
                            ("camera.face_covered",) + seg[5], ("camera.face_covered",) + seg[7]], policy)
    assert events[2].detail["count"] == 2 and "lower_match" in events[4].detail and "head_match" in events[6].detail
    assert watch.state()["camera"] == "ok" and watch.state()["face"] == "present"
    assert watch.state()["detector"] == "yuface"


@needs_yuface
def test_a_glance_away_or_a_short_absence_never_flags(tmp_path, candidate):
    segments = [("good", 4), ("empty", 2), ("good", 3), ("two", 1), ("good", 3), ("hand", 2.4), ("good", 3)]
    media.scenario_video(str(tmp_path / "short.avi"), segments, candidate)
    events, _, _ = run(str(tmp_path / "short.avi"))
    assert events == []


@needs_yuface
@pytest.mark.parametrize("name", ["obama-720p.jpg", "obama2.jpg", "biden.jpg", "johnsnow_test1.jpg",
                                  "alex-lacamoire.png", "rose_leslie_far.jpg"])
def test_darker_skin_backlight_and_a_dim_room_raise_nothing(tmp_path, name):
    img, box = media.webcam(name)
    scenes = {"good": img, "backlit": media.backlit(img), "dim": media.darkened(img, 0.45)}
    media.scenario_video(str(tmp_path / "good.avi"), [("good", 4), ("backlit", 8), ("dim", 8), ("good", 3)], scenes)
    events, watch, _ = run(str(tmp_path / "good.avi"))
    assert events == [], [(e.type, e.state, e.t, e.detail) for e in events]
    assert watch.state()["face"] == "present"


@needs_yuface
def test_real_clip_face_turned_away_and_back_with_a_microphone_at_the_mouth(tmp_path):
    frames, _ = media.read_video(media.face_path("short_hamilton_clip.mp4"))
    # framed as a webcam would be: the singer alone, then the man in profile without the audience behind
    scenes = {"stage": media.ping_pong(frames, 82, 210, (0, 0, 480, 360)),
              "profile": media.ping_pong(frames, 21, 45, (200, 0, 440, 330))}
    tl = media.scenario_video(str(tmp_path / "clip.avi"), [("stage", 10), ("profile", 8), ("stage", 8)], scenes)
    policy = policy_with()
    events, _, _ = run(str(tmp_path / "clip.avi"), policy)
    check_sequence(events, [("camera.face_turned", tl[1][1], tl[1][2])], policy)
    assert abs(events[0].detail["yaw"]) > 0.55


def test_covered_lens_frozen_picture_and_lights_out(tmp_path, candidate):
    segments = [("good", 4), ("black", 5), ("good", 4), ("frozen", 7), ("good", 4), ("dark", 7), ("good", 4)]
    tl = media.scenario_video(str(tmp_path / "camera.avi"), segments, candidate, still=("frozen",))
    policy = policy_with()
    watch = CameraWatch(policy)
    frames, fps = media.read_video(str(tmp_path / "camera.avi"))
    events, states = [], {}
    for i in range(0, len(frames), STEP):
        events += watch.feed(frames[i], i / fps)
        states[round(i / fps, 1)] = watch.state()["camera"]
    check_sequence(events, [("camera.blocked", tl[1][1], tl[1][2]), ("camera.frozen", tl[3][1], tl[3][2]),
                            ("camera.dark", tl[5][1], tl[5][2])], policy)
    # the heartbeat's state follows confirmed events (after the hold time), not single frames
    assert [states[2.0], states[5.0], states[8.0], states[19.0], states[30.0]] == ["ok", "ok", "blocked", "frozen", "dark"]


@needs_yuface
def test_too_far_is_out_of_frame(tmp_path, candidate):
    tl = media.scenario_video(str(tmp_path / "far.avi"), [("good", 4), ("far", 8), ("good", 4)], candidate)
    policy = policy_with()
    events, _, _ = run(str(tmp_path / "far.avi"), policy)
    check_sequence(events, [("camera.out_of_frame", tl[1][1], tl[1][2])], policy)
    assert events[0].detail["face_width"] < 0.06


def test_haar_fallback_still_finds_absence_and_a_second_person(tmp_path, candidate):
    segments = [("good", 5), ("empty", 8), ("good", 4), ("two", 5), ("good", 5)]
    tl = media.scenario_video(str(tmp_path / "haar.avi"), segments, candidate)
    policy = policy_with({"camera": {"detector": "haar"}})
    events, watch, _ = run(str(tmp_path / "haar.avi"), policy)
    check_sequence(events, [("camera.face_absent", tl[1][1], tl[1][2]), ("camera.multiple_faces", tl[3][1], tl[3][2])],
                   policy, slack=2 * INTERVAL)
    assert watch.state()["detector"] == "haar"


def test_policy_hold_times_come_from_the_policy(tmp_path, candidate):
    media.scenario_video(str(tmp_path / "p.avi"), [("good", 3), ("empty", 3), ("good", 3)], candidate)
    assert run(str(tmp_path / "p.avi"))[0] == []                     # 3 s away: under the default 5 s hold
    quick = policy_with({"camera": {"rules": {"camera.face_absent": {"hold_s": 1.0, "action": "notify_proctor"}}}})
    events, _, _ = run(str(tmp_path / "p.avi"), quick)
    assert [(e.type, e.state, e.action) for e in events] == [("camera.face_absent", "start", "notify_proctor"),
                                                              ("camera.face_absent", "end", "notify_proctor")]


@pytest.mark.parametrize("bad", [{"camera": {"rules": {"camera.nope": {"hold_s": 1}}}},
                                 {"camera": {"rules": {"camera.face_absent": {"hold_s": "5"}}}},
                                 {"camera": {"rules": {"camera.face_absent": {"action": "shout"}}}},
                                 {"camera": {"thresholds": {"turned_yaw": None}}}, {"camera": []}])
def test_malformed_policy_is_refused_with_the_key_named(bad):
    with pytest.raises(PolicyError) as err:
        policy_with(bad)
    assert "policy camera" in str(err.value)


def test_not_a_picture_is_refused_cleanly():
    import numpy as np

    watch = CameraWatch()
    for junk in (None, np.zeros((2, 2), np.uint8), np.zeros((20, 20, 5), np.uint8), "frame"):
        with pytest.raises(ValueError):
            watch.feed(junk, 0.0)
    assert watch.state()["camera"] == "no_frames"
