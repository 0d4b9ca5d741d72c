"""`python -m client monitor` as a real subprocess over scenario media written to disk: a webcam video built
from the real photos and a room WAV with real speech. The event sequence and its times (within the hold
time plus one analysis interval), snippets that decode with cv2.VideoCapture and show the moment, audio
in the audio event's snippet, sizes, sealing, a camera and a microphone that go away, bad input."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from client.monitor.detectors import default_detector
from client.monitor.snippet import read_wav
from examcore.evidence import EvidenceError, open_package
from examcore.keys import b64e, raw_public
from examcore.monitor_policy import monitor_policy
from tests.helpers import media, scenes

ROOT = Path(__file__).resolve().parents[2]
INTERVAL = 0.2          # one analysis at 5 fps
POLICY = monitor_policy()


def monitor(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT), EXAMDESK_LOG_LEVEL="WARNING")
    p = subprocess.run([sys.executable, "-m", "client", "monitor", *args], cwd=str(ROOT), env=env,
                       capture_output=True, timeout=900)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8", "replace")


def monitor_json(*args):
    rc, out, err = monitor(*args, "--json")
    assert rc == 0 and "Traceback" not in err, err
    lines = [ln for ln in out.splitlines() if ln.strip()]
    assert len(lines) == 1, out
    return json.loads(lines[0])


def rule(kind):
    for part in ("camera", "audio", "devices"):
        if kind in POLICY[part]["rules"]:
            return POLICY[part]["rules"][kind]
    raise KeyError(kind)


def check_events(events, expected):
    """expected [(type, start, end)] in media seconds; start within one analysis interval, confirmation
    within the hold time plus one interval, end within the clear time plus the re-detection."""
    assert [e["type"] for e in events] == [k for k, _, _ in expected], [(e["type"], e["start"], e["end"]) for e in events]
    for e, (kind, t0, t1) in zip(events, expected):
        hold, clear = rule(kind)["hold_s"], rule(kind)["clear_s"]
        slack = 1.0 if kind.startswith("audio.") else INTERVAL   # voice is judged over a 3 s window
        assert abs(e["start"] - t0) <= slack + 1e-6, (kind, e["start"], t0)
        assert e["confirmed_at"] <= t0 + hold + slack + 1e-6, (kind, e["confirmed_at"])
        assert e["end"] is not None and abs(e["end"] - t1) <= clear + 3 * INTERVAL + slack, (kind, e["end"], t1)


def rms(samples, rate, a, b):
    return float(np.sqrt(np.mean(samples[int(a * rate):int(b * rate)].astype(float) ** 2)))


def faces(frame):
    return [f for f in default_detector("auto").faces(frame) if f.score >= 0.6]


def decode(path):
    cap = cv2.VideoCapture(str(path))
    assert cap.isOpened(), path
    fps = cap.get(cv2.CAP_PROP_FPS)
    frames = []
    while True:
        ok, f = cap.read()
        if not ok:
            break
        frames.append(f)
    cap.release()
    return frames, fps


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scenario")
    segments = [("good", 6), ("empty", 8), ("good", 4), ("two", 5), ("good", 4), ("hand", 7), ("good", 16)]
    tl = media.scenario_video(str(folder / "webcam.avi"), segments, scenes.candidate_scenes(), fps=15.0)
    wav, spans = scenes.room_with_speech(folder, tl[-1][2], [38.0])
    return folder, tl, wav, spans


def test_scenario_events_times_and_snippets(scenario, tmp_path):
    folder, tl, wav, spans = scenario
    out = monitor_json("--camera", str(folder / "webcam.avi"), "--microphone-file", str(wav),
                       "--evidence-dir", str(tmp_path / "ev"))
    assert out["detector"] in ("yuface", "haar") and out["analysed"] >= 5 * out["video_s"] - 2
    expected = [("camera.face_absent", tl[1][1], tl[1][2]), ("camera.multiple_faces", tl[3][1], tl[3][2]),
                ("camera.face_covered", tl[5][1], tl[5][2]), ("audio.talking", spans[0][0], spans[0][1])]
    if out["detector"] == "haar":      # the fallback sees a hand as no face: covered reads as absent
        expected[2] = ("camera.face_absent", tl[5][1], tl[5][2])
    check_events(out["events"], expected)
    snippets = {e["event_seq"]: e for e in out["evidence"] if e["kind"] == "snippet"}
    assert sorted(snippets) == [e["seq"] for e in out["events"]]          # one per event, filed under it
    for e in out["events"]:
        s = snippets[e["seq"]]
        assert abs(s["start"] - (e["start"] - 5.0)) < 1e-6 and abs(s["end"] - (e["start"] + 5.0)) < 1e-6
        assert s["bytes"] <= 200_000, s
        video = [f for f in s["files"] if f.endswith("video.mp4")][0]
        frames, fps = decode(video)
        assert 1 <= fps <= 10 and abs(len(frames) / fps - 10.0) <= 0.3, (len(frames), fps)
        assert frames[0].shape[1] <= 320
        before, after = frames[int(3.5 * fps)], frames[int(7.5 * fps)]     # 1.5 s before, 2.5 s after the moment
        if e["type"] == "camera.face_absent":
            assert len(faces(before)) == 1 and faces(after) == []
        elif e["type"] == "camera.multiple_faces":
            assert len(faces(before)) == 1 and len(faces(after)) == 2
        if e["type"].startswith("audio."):
            wav_file = [f for f in s["files"] if f.endswith("audio.wav")][0]
            samples, rate = read_wav(Path(wav_file).read_bytes())
            assert rate == 8000 and abs(len(samples) / rate - 10.0) < 0.05
            assert rms(samples, rate, 5.5, 9.5) > 4 * rms(samples, rate, 0.0, 4.5)   # the talking starts at the moment
        else:
            assert all(not f.endswith("audio.wav") for f in s["files"])      # camera events carry no sound
    snapshots = [e for e in out["evidence"] if e["kind"] == "snapshot"]
    assert len(snapshots) == 1 + int(out["video_s"] // 60)                 # one at the start, then every 60 s
    assert cv2.imread(snapshots[0]["files"][0]) is not None


def test_evidence_sealed_to_the_servers_key_opens_only_with_it(scenario, tmp_path):
    folder, tl, wav, _ = scenario
    key = X25519PrivateKey.generate()
    out = monitor_json("--camera", str(folder / "webcam.avi"), "--evidence-dir", str(tmp_path / "ev"),
                       "--sealing-key", b64e(raw_public(key.public_key())))
    files = sorted((tmp_path / "ev").glob("*"))
    assert [f.suffix for f in files if f.is_file()] == [".evd"] * len(out["evidence"]) and out["evidence"]
    for item in out["evidence"]:
        data = Path(item["files"][0]).read_bytes()
        assert b"ftyp" not in data and b"JFIF" not in data               # neither MP4 nor JPEG readable
        with pytest.raises(EvidenceError):
            open_package(data, X25519PrivateKey.generate())
        header, meta, members = open_package(data, key)
        assert header["kind"] == item["kind"] and header["sitting_id"] == "recorded"
        if item["kind"] == "snippet":
            assert meta["event_at_s"] == 5.0 and header["event_seq"] == item["event_seq"]
            clip = tmp_path / "clip.mp4"
            clip.write_bytes(members["video.mp4"])
            frames, fps = decode(clip)
            assert abs(len(frames) / fps - 10.0) <= 0.3


def test_a_camera_that_goes_away_and_a_microphone_that_stops(tmp_path):
    sc = scenes.candidate_scenes()
    tl = media.scenario_video(str(tmp_path / "short.avi"), [("good", 10)], sc, fps=15.0)
    # the camera's recording ends at 10 s while the microphone goes on to 25 s: the camera went away
    quiet = scenes.write_wav(tmp_path / "quiet.wav", scenes.room(tmp_path, 25.0))
    out = monitor_json("--camera", str(tmp_path / "short.avi"), "--microphone-file", str(quiet))
    lost = [e for e in out["events"] if e["type"] == "camera.lost"]
    assert len(lost) == 1 and abs(lost[0]["start"] - tl[0][2]) <= 0.25 and lost[0]["detail"]["reason"] == "ended"
    assert lost[0]["confirmed_at"] - lost[0]["start"] >= rule("camera.lost")["hold_s"] - 1e-6
    assert [e["type"] for e in out["events"]] == ["camera.lost"]
    # now the microphone stops at 6 s of a 20 s video
    long_video = media.scenario_video(str(tmp_path / "long.avi"), [("good", 20)], sc, fps=15.0)
    short = scenes.write_wav(tmp_path / "short.wav", scenes.room(tmp_path, 6.0))
    out = monitor_json("--camera", str(tmp_path / "long.avi"), "--microphone-file", str(short))
    assert [e["type"] for e in out["events"]] == ["audio.lost"]
    assert 6.0 < out["events"][0]["start"] <= 6.0 + 1.0 + 0.2 + 1e-6 and long_video[0][2] == 20.0


def test_bad_input_gets_a_clear_message(tmp_path):
    rc, out, err = monitor("--camera", str(tmp_path / "missing.avi"), "--json")
    assert rc == 2 and "找不到视频文件" in err and "not found" in err and out == ""
    junk = tmp_path / "junk.avi"
    junk.write_bytes(os.urandom(5000))
    rc, _, err = monitor("--camera", str(junk), "--json")
    assert rc == 2 and "Traceback" not in err
    good = media.scenario_video(str(tmp_path / "ok.avi"), [("good", 1)], scenes.candidate_scenes(), fps=15.0)
    assert good
    not_wav = tmp_path / "noise.wav"
    not_wav.write_bytes(b"RIFF....nonsense")
    rc, _, err = monitor("--camera", str(tmp_path / "ok.avi"), "--microphone-file", str(not_wav), "--json")
    assert rc == 2 and "PCM WAV" in err and "Traceback" not in err
    bad_policy = tmp_path / "policy.json"
    bad_policy.write_text(json.dumps({"monitor": {"evidence": {"fps": 60}}}))
    rc, _, err = monitor("--camera", str(tmp_path / "ok.avi"), "--policy", str(bad_policy), "--json")
    assert rc == 2 and "evidence.fps" in err
