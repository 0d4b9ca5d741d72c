"""AudioWatch on WAV files: real synthetic speech (espeak-ng), room noise and noise bursts (sox),
digital silence; written to disk and read back with `wave`, fed in blocks at 48 kHz."""
from __future__ import annotations

import shutil
import subprocess
import wave

import numpy as np
import pytest

from client.monitor.audio_watch import AudioWatch
from client.monitor.events import policy_with
from client.monitor.voice import PitchVad, default_vad

RATE = 48000
BLOCK = 4800  # 100 ms


def tool(name):
    if shutil.which(name) is None:
        pytest.skip("%s is not installed (apt-get install espeak-ng sox)" % name)


def read_wav(path):
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), np.int16), w.getframerate()


def write_wav(path, samples, rate=RATE):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype(np.int16).tobytes())
    return path


def sox(path, seconds, kind, vol):
    tool("sox")
    subprocess.run(["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", "-e", "signed-integer", str(path),
                    "synth", str(seconds), kind, "vol", str(vol)], check=True, timeout=60)
    return read_wav(path)[0]


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    tool("espeak-ng")
    path = tmp_path_factory.mktemp("speech") / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "zh", "-w", str(path), "我已阅读考试须知，承诺独立完成本次客服联络咨询师考试。"
                    "请问这道题的答案是什么？"], check=True, capture_output=True, timeout=60)
    raw, rate = read_wav(path)
    out = np.interp(np.arange(int(len(raw) * RATE / rate)) * (rate / float(RATE)), np.arange(len(raw)), raw.astype(np.float32))
    return np.trim_zeros(out.astype(np.int16))


def feed_file(path, watch):
    samples, rate = read_wav(path)
    events = []
    for i in range(0, len(samples), BLOCK):
        events += watch.feed(samples[i:i + BLOCK], rate, i / float(rate))
    return events, len(samples) / float(rate)


VADS = [pytest.param(default_vad, id="default"), pytest.param(PitchVad, id="pitch-fallback")]


@pytest.mark.parametrize("make_vad", VADS)
def test_speech_loud_bang_and_muted_microphone_in_one_recording(tmp_path, speech, make_vad):
    room = sox(tmp_path / "room.wav", 60, "pinknoise", 0.004)
    bang = sox(tmp_path / "bang.wav", 0.6, "whitenoise", 0.9)
    parts, timeline, n = [], {}, 0
    for name, x in [("quiet", room[:RATE * 5]), ("speech", speech), ("quiet2", room[:RATE * 7]), ("bang", bang),
                    ("quiet3", room[:RATE * 5]), ("silence", np.zeros(RATE * 13, np.int16)), ("quiet4", room[:RATE * 4])]:
        if name == "speech":
            x = np.clip(x.astype(np.int32) + room[:len(x)], -32768, 32767).astype(np.int16)
        timeline[name] = (n / float(RATE), (n + len(x)) / float(RATE))
        parts.append(x)
        n += len(x)
    path = write_wav(tmp_path / "exam.wav", np.concatenate(parts))
    policy = policy_with()
    watch = AudioWatch(policy, vad=make_vad())
    events, _ = feed_file(path, watch)
    got = [(e.type, e.state) for e in events]
    assert got == [("audio.talking", "start"), ("audio.talking", "end"), ("audio.loud_noise", "start"),
                   ("audio.loud_noise", "end"), ("audio.muted", "start"), ("audio.muted", "end")], \
        [(e.type, e.state, e.t) for e in events]
    rules = policy["audio"]["rules"]
    step = 0.1
    talk, loud, mute = events[0], events[2], events[4]
    assert abs(talk.t - timeline["speech"][0]) <= 0.3 and talk.confirmed_t <= timeline["speech"][0] + rules["audio.talking"]["hold_s"] + policy["audio"]["thresholds"]["talk_window_s"]
    assert abs(events[1].t - timeline["speech"][1]) <= 1.0 and talk.action == "notify_proctor"
    assert abs(loud.t - timeline["bang"][0]) <= 0.25 and loud.detail["dbfs"] > -14
    assert abs(mute.t - timeline["silence"][0]) <= step and \
        mute.confirmed_t <= timeline["silence"][0] + rules["audio.muted"]["hold_s"] + step
    assert abs(events[5].t - timeline["silence"][1]) <= step + 0.03
    assert watch.state()["microphone"] == "ok"


@pytest.mark.parametrize("make_vad", VADS)
@pytest.mark.parametrize("kind,vol", [("pinknoise", 0.02), ("pinknoise", 0.2), ("brownnoise", 0.5), ("whitenoise", 0.01)])
def test_steady_room_noise_is_never_talking(tmp_path, kind, vol, make_vad):
    sox(tmp_path / "noise.wav", 20, kind, vol)
    watch = AudioWatch(vad=make_vad())
    events, _ = feed_file(tmp_path / "noise.wav", watch)
    assert [e for e in events if e.type == "audio.talking"] == []
    assert watch.state()["sound"] in ("quiet", "loud")


def test_a_cough_or_one_word_is_not_talking(tmp_path, speech):
    room = sox(tmp_path / "room.wav", 10, "pinknoise", 0.004)
    word = speech[:int(RATE * 0.6)]
    x = np.concatenate([room[:RATE * 4], np.clip(word.astype(np.int32) + room[:len(word)], -32768, 32767), room[:RATE * 5]])
    events, _ = feed_file(write_wav(tmp_path / "word.wav", x.astype(np.int16)), AudioWatch())
    assert events == []


def test_stream_lost_and_back():
    watch = AudioWatch()
    rng = np.random.default_rng(1)
    hiss = rng.normal(0, 40, RATE).astype(np.int16)
    assert watch.feed(hiss, RATE, 0.0) == []
    lost = watch.lost(1.0)
    assert [(e.type, e.state, e.t) for e in lost] == [("audio.lost", "start", 1.0)]
    assert watch.state()["microphone"] == "lost" and lost[0].severity == "alert"
    back = watch.feed(hiss, RATE, 5.0)
    assert [(e.type, e.state) for e in back] == [("audio.lost", "end")] and watch.state()["microphone"] == "ok"


def test_any_rate_and_float_input_are_accepted_stereo_refused():
    watch = AudioWatch()
    for rate in (8000, 16000, 22050, 44100, 48000):
        assert watch.feed(np.zeros(rate // 10, np.int16) + 3, rate, 0.0) == []
    assert watch.feed(np.zeros(1600, np.float32), 16000, 0.1) == []
    with pytest.raises(ValueError):
        watch.feed(np.zeros((100, 2), np.int16), 16000, 0.2)
