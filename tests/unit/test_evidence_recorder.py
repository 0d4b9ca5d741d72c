"""EvidenceRecorder's limits on real frames: a clip over max_bytes is encoded again smaller (half the
rate, then half the size), and past the hourly byte budget events go without snippets."""
from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from client.monitor.evidence import EvidenceRecorder, Snippet
from client.monitor.ring import FrameRing
from examcore.evidence import open_package
from examcore.keys import b64e, raw_public
from examcore.monitor_policy import monitor_policy
from tests.helpers import media, scenes


@pytest.fixture(scope="module")
def frames():
    sc = scenes.candidate_scenes()
    ring = FrameRing(12.0, 320, 5.0)
    seq = media.sensor_noise(sc["good"], 25) + media.sensor_noise(sc["two"], 25)
    for i, f in enumerate(seq):
        ring.push(f, i / 5.0)
    return ring.window(0.0, 10.0)


def recorder(tmp_path, key, **evidence):
    pol = monitor_policy({"evidence": evidence})["evidence"]
    got = []
    rec = EvidenceRecorder(str(tmp_path), b64e(raw_public(key.public_key())), "s-1", pol,
                           lambda p, h: got.append(p), threaded=False)
    return rec, got


def test_a_clip_over_max_bytes_is_encoded_again_smaller(tmp_path, frames):
    key = X25519PrivateKey.generate()
    rec, got = recorder(tmp_path, key, max_bytes=10000)
    rec.submit(Snippet(1, "camera.multiple_faces", 5.0, 0.0, 10.0, frames))
    header, meta, members = open_package(open(got[0], "rb").read(), key)
    assert meta["video"]["fps"] == 2.5 and meta["video"]["width"] == 160      # half the rate, then half the size
    roomy, got2 = recorder(tmp_path / "b", key)
    roomy.submit(Snippet(1, "camera.multiple_faces", 5.0, 0.0, 10.0, frames))
    _, meta2, members2 = open_package(open(got2[0], "rb").read(), key)
    assert meta2["video"]["fps"] == 5.0 and meta2["video"]["width"] == 320
    assert len(members["video.mp4"]) < len(members2["video.mp4"])


@pytest.mark.expected_log(r"evidence budget for this hour spent")
def test_past_the_hourly_budget_events_go_without_snippets(tmp_path, frames):
    key = X25519PrivateKey.generate()
    rec, got = recorder(tmp_path, key, max_bytes_per_hour=20000)
    for i in range(4):
        rec.submit(Snippet(i + 1, "camera.face_absent", 5.0 + 60 * i, 60 * i, 10.0 + 60 * i,
                           [(t + 60 * i, f) for t, f in frames]))
    assert len(got) < 4 and [s["event_seq"] for s in rec.skipped] == list(range(len(got) + 1, 5))
    later, got_later = recorder(tmp_path / "c", key, max_bytes_per_hour=20000)
    later._spent(0.0, 10 ** 6)                                              # an hour ago: forgotten
    later.submit(Snippet(9, "camera.face_absent", 3605.0, 3600.0, 3610.0, [(t + 3600, f) for t, f in frames]))
    assert len(got_later) == 1
