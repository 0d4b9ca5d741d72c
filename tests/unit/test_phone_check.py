"""The self-check's verdicts on the phone's frames (no Qt), with frames made from the real photos."""
from __future__ import annotations

import cv2

from client.exam.api import PhoneStatus
from client.monitor.phone_check import PhoneFeedCheck, decode_jpeg, overall
from tests.helpers.media import black, darkened, find_face, load_face, remove_person, sensor_noise
from tests.helpers.phone import jpeg, phone_view_frames

LIVE = PhoneStatus(state="live", wake_lock="held", facing="environment", battery_level=0.9, charging=True)


def judged(frames, status=LIVE, interval_ms=1000, expected_s=1.0):
    check = PhoneFeedCheck(expected_interval_s=expected_s)
    for i, f in enumerate(frames):
        check.feed(jpeg(f), i + 1, 1_000_000 + i * interval_ms)
    return {r.id: r for r in check.results(status)}, check


def test_steady_live_frames_showing_a_person_pass():
    r, check = judged(phone_view_frames(8))
    assert check.ready()
    assert {k: v.status for k, v in r.items()} == dict.fromkeys(
        ("phone.link", "phone.frames", "phone.picture", "phone.frozen", "phone.person", "phone.orientation",
         "phone.camera", "phone.screen_on", "phone.battery"), "pass")
    assert overall(list(r.values())) == "pass"


def test_black_dark_frozen_portrait_and_empty_pictures_are_named():
    r, _ = judged([black(640, 360)] * 5)
    assert r["phone.picture"].status == "fail" and "遮挡" in r["phone.picture"].fix_zh
    r, _ = judged([darkened(f, 0.12) for f in phone_view_frames(5)])
    assert r["phone.picture"].status in ("warn", "fail")
    still = phone_view_frames(1)[0]
    r, _ = judged([still] * 5)
    assert r["phone.frozen"].status == "fail"
    upright = [cv2.rotate(f, cv2.ROTATE_90_CLOCKWISE) for f in phone_view_frames(5)]
    r, _ = judged(upright)
    assert r["phone.orientation"].status == "warn" and "横" in r["phone.orientation"].fix_zh
    photo = load_face("rose_leslie_far.jpg")
    empty = cv2.resize(remove_person(photo, find_face(photo)), (640, 400))   # the same room, the candidate gone
    r, _ = judged(sensor_noise(empty, 5))
    assert r["phone.person"].status == "warn"                        # never a failure on its own
    assert r["phone.frozen"].status == "pass" and r["phone.picture"].status == "pass"


def test_gaps_the_front_camera_no_wake_lock_and_a_low_battery_are_warnings_or_failures():
    r, _ = judged(phone_view_frames(6), interval_ms=5000)           # pictures 5 s apart while 1 s is expected
    assert r["phone.frames"].status == "warn"
    r, _ = judged(phone_view_frames(6), PhoneStatus(state="live", facing="user", wake_lock="unsupported",
                                                    battery_level=0.2, charging=False))
    assert r["phone.camera"].status == "fail" and r["phone.screen_on"].status == "warn"
    assert r["phone.battery"].status == "warn" and r["phone.battery"].value == 20
    r, _ = judged([], PhoneStatus(state="hidden"))
    assert list(r) == ["phone.link"] and r["phone.link"].status == "fail"


def test_what_is_not_a_jpeg_is_ignored():
    check = PhoneFeedCheck()
    assert decode_jpeg(b"") is None and decode_jpeg(b"\xff\xd8garbage") is None
    assert check.feed(b"not a picture", 1, 0) is None and check.frames_seen == 0


def test_a_phone_that_does_not_report_its_battery_is_not_measured_never_passed():
    r, _check = judged(phone_view_frames(8), status=PhoneStatus(state="live", wake_lock="held", facing="environment"))
    assert r["phone.battery"].status == "skip" and r["phone.battery"].value is None
    assert "充电器" in r["phone.battery"].fix_zh and "charger" in r["phone.battery"].fix_en
    assert overall(list(r.values())) == "pass"          # the feed itself is fine: nothing to warn about
