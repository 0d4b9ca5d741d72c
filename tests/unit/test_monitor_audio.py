"""Microphone analysis on recorded samples (no device): the same MicrophoneCheck code path as a live
microphone, fed by ArrayInput. Speech is real espeak-ng output when available."""
from __future__ import annotations

import shutil
import subprocess
import wave

import numpy as np
import pytest

from client.monitor.audio_analysis import MicAnalysis, dbfs, meter_fraction
from client.monitor.mic_check import ArrayInput, MicrophoneCheck

SR = 16000


def noise(seconds, level, seed=3):
    return np.random.default_rng(seed).normal(0, level, int(SR * seconds)).astype(np.float32)


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    path = tmp_path_factory.mktemp("speech") / "s.wav"
    subprocess.run(["espeak-ng", "-v", "zh", "-w", str(path), "请朗读这句话。"], check=True, capture_output=True,
                   timeout=60)
    with wave.open(str(path)) as w:
        raw = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0
        rate = w.getframerate()
    idx = np.arange(0, len(raw), rate / float(SR)).astype(int)  # to 16 kHz (nearest sample is enough here)
    return raw[idx[idx < len(raw)]]


def run(samples, floor_s=1.0, speech_s=4.0):
    phases = []
    check = MicrophoneCheck(ArrayInput(samples, SR), floor_s=floor_s, speech_s=speech_s, warmup_s=0.1,
                            on_phase=phases.append)
    return {r.id: r for r in check.run()}, phases


def test_levels():
    t = np.arange(SR) / SR
    assert dbfs(np.sin(2 * np.pi * 440 * t).astype(np.float32)) == pytest.approx(-3.0, abs=0.1)
    assert dbfs(np.zeros(320, np.float32)) == -100.0
    assert meter_fraction(-100) == 0.0 and meter_fraction(0) == 1.0


def test_quiet_room_then_real_speech_passes(speech):
    r, phases = run(np.concatenate([noise(1.1, 0.0005), speech, noise(1, 0.0005)]))
    assert phases == ["floor", "speech", "done"]
    assert [r[k].status for k in ("microphone.signal", "microphone.noise_floor", "microphone.speech")] == ["pass"] * 3


def test_no_speech_fails_and_explains(speech):
    r, _ = run(noise(6, 0.0005))
    assert r["microphone.speech"].status == "fail"
    assert "朗读" in r["microphone.speech"].message_zh and r["microphone.speech"].fix_en


def test_speech_drowned_in_noise_fails(speech):
    loud = noise(6, 0.2)
    mixed = loud.copy()
    mixed[int(1.1 * SR):int(1.1 * SR) + len(speech)] += speech[: len(mixed) - int(1.1 * SR)] * 0.05
    r, _ = run(mixed)
    assert r["microphone.noise_floor"].status == "fail"
    assert r["microphone.speech"].status == "fail"


def test_clipping_voice_warns(speech):
    r, _ = run(np.concatenate([noise(1.1, 0.0005), np.clip(speech * 20, -1, 1)]))
    assert r["microphone.speech"].status == "warn" and "distorted" in r["microphone.speech"].message_en


def test_quiet_voice_warns(speech):
    r, _ = run(np.concatenate([noise(1.1, 0.00005), speech * 0.03]))
    assert r["microphone.speech"].status == "warn", r["microphone.speech"].value


def test_digital_silence_is_muted():
    r, _ = run(np.zeros(SR * 3, np.float32))
    assert list(r) == ["microphone.signal"] and r["microphone.signal"].status == "fail"


def test_no_samples_at_all():
    assert MicAnalysis().results()[0].status == "fail"
