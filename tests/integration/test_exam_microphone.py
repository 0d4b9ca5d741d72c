"""The exam-time microphone through real PortAudio, recording from our own PulseAudio null sink: talking
becomes an event whose sealed snippet carries the sound, and a microphone that stops (its source
suspended) is `audio.lost` until it delivers again, with the heartbeat saying so."""
from __future__ import annotations

import time

import numpy as np
import pytest

from client.exam import api
from client.monitor.mic_check import SoundDeviceInput
from client.monitor.snippet import read_wav
from client.proctoring.session import ProctoringSession
from examcore.evidence import open_package
from tests.helpers import audio
from tests.helpers.exam_client import wait_for
from tests.helpers.fake_engine import FakeEngine

pytestmark = pytest.mark.audio
pulse_mic = audio.pulse_mic

POLICY = {"microphone": {"stall_s": 1.0, "retry_s": 0.5},
          "evidence": {"pre_s": 3.0, "post_s": 3.0, "snapshot_interval_s": 0.0}}


def states(engine, kind):
    return [d["state"] for _, t, _, d in engine.reported if t == kind]


@pytest.mark.expected_log(r"microphone")
def test_talking_and_a_microphone_that_stops(pulse_mic, tmp_path):
    engine = FakeEngine()
    engine.server_policy = {"monitor": POLICY}
    session = ProctoringSession(engine, None, lambda: SoundDeviceInput("default"), str(tmp_path / "ev"))
    engine.set_state(api.IN_EXAM)
    try:
        wait_for(lambda: session.microphone is not None and session.microphone.status == "live", timeout=30,
                 what="microphone live")
        pulse_mic.play(pulse_mic.noise(30, 0.003))                   # a quiet room ...
        time.sleep(3.0)
        pulse_mic.play(pulse_mic.speech_wav)                          # ... and someone talks
        wait_for(lambda: "start" in states(engine, "audio.talking"), timeout=60, what="talking noticed")
        wait_for(lambda: any(p == "evidence" for _, p, _ in engine.evidence), timeout=60, what="the snippet")
        pulse_mic.pactl("suspend-source", "exammic", "1")             # the microphone stops delivering
        wait_for(lambda: "start" in states(engine, "audio.lost"), timeout=60, what="microphone lost")
        wait_for(lambda: engine.device_status.get("microphone") == "lost", timeout=30, what="heartbeat: lost")
        pulse_mic.pactl("suspend-source", "exammic", "0")             # and comes back
        wait_for(lambda: "end" in states(engine, "audio.lost"), timeout=60, what="microphone back")
        wait_for(lambda: engine.device_status.get("microphone") == "ok", timeout=30, what="heartbeat: ok")
        assert session.microphone is not None and session.microphone.opened >= 2   # reopened after the loss
    finally:
        pulse_mic.pactl("suspend-source", "exammic", "0")
        pulse_mic.stop_players()
        session.stop()
    talking = [(seq, d) for seq, t, _, d in engine.reported if t == "audio.talking" and d["state"] == "start"][0]
    [(path, seq)] = [(p, s) for p, purpose, s in engine.evidence if purpose == "evidence" and s == talking[0]]
    header, meta, members = open_package(open(path, "rb").read(), engine.sealing_private)
    assert header["event_type"] == "audio.talking" and "audio.wav" in members and "video.mp4" not in members
    samples, rate = read_wav(members["audio.wav"])
    at = meta["event_at_s"]
    rms = lambda a, b: float(np.sqrt(np.mean(samples[int(a * rate):int(b * rate)].astype(float) ** 2)))  # noqa: E731
    assert rms(at, min(at + 2.0, len(samples) / rate)) > 3 * rms(0.0, max(0.2, at - 1.0))
