"""Microphone check through real PortAudio, recording from our own PulseAudio null sink."""
from __future__ import annotations

import pytest

from client.monitor.mic_check import (
    MicrophoneCheck,
    SoundDeviceInput,
    list_input_devices,
    run_microphone_check,
)
from tests.helpers import audio

pytestmark = pytest.mark.audio
pulse_mic = audio.pulse_mic  # the session fixture: our own PulseAudio with a null-sink microphone


def by_id(results):
    return {r.id: r for r in results}


def run_with(mic, floor_volume=None, speak=True, **kw):
    """Room noise from the start (if any); the sentence is played when the wizard would show it."""
    if floor_volume is not None:
        mic.play(mic.noise(12, floor_volume))

    def on_phase(phase):
        if phase == "speech" and speak:
            mic.play(mic.speech_wav)

    levels = []
    try:
        return by_id(run_microphone_check(on_phase=on_phase, on_level=levels.append, **kw)), levels
    finally:
        mic.stop_players()


def test_devices_are_listed(pulse_mic):
    names = [d["name"] for d in list_input_devices()]
    assert "default" in names or "pulse" in names


def test_quiet_room_and_speech_pass(pulse_mic):
    r, levels = run_with(pulse_mic, floor_volume=0.003, floor_s=1.5, speech_s=6.0)
    assert r["microphone.device"].status == "pass"
    assert r["microphone.signal"].status == "pass"
    assert r["microphone.noise_floor"].status == "pass" and r["microphone.noise_floor"].value < -50
    assert r["microphone.speech"].status == "pass", r["microphone.speech"].value
    assert r["microphone.speech"].value["margin_db"] > 15
    assert max(levels) > -30  # the level meter saw the speech


def test_silence_is_a_muted_microphone(pulse_mic):
    r, levels = run_with(pulse_mic, floor_volume=None, speak=False, floor_s=0.8, speech_s=0.8)
    assert r["microphone.signal"].status == "fail"
    assert "静音" in r["microphone.signal"].message_zh and "muted" in r["microphone.signal"].message_en
    assert "microphone.speech" not in r


def test_room_noise_but_no_speech_fails_speech(pulse_mic):
    r, _ = run_with(pulse_mic, floor_volume=0.003, speak=False, floor_s=1.0, speech_s=2.0)
    assert r["microphone.signal"].status == "pass"
    assert r["microphone.speech"].status == "fail" and "could not hear" in r["microphone.speech"].message_en


def test_noisy_room_is_flagged(pulse_mic):
    r, _ = run_with(pulse_mic, floor_volume=0.3, speak=False, floor_s=1.0, speech_s=1.0)
    assert r["microphone.noise_floor"].status in ("warn", "fail")
    assert r["microphone.noise_floor"].value > -45 and "安静" in r["microphone.noise_floor"].fix_zh


def test_cancel_stops_a_running_check(pulse_mic):
    import threading

    check = MicrophoneCheck(SoundDeviceInput(), floor_s=30, speech_s=30)
    threading.Timer(0.8, check.cancel).start()
    results = check.run(timeout_s=20)
    assert results and results[0].id == "microphone.signal"


def test_missing_device_is_a_clear_failure(pulse_mic):
    r = by_id(run_microphone_check(device="no such microphone 42", floor_s=0.2, speech_s=0.2))
    assert r["microphone.device"].status == "fail"
    assert r["microphone.device"].message_zh and r["microphone.device"].fix_en


def test_cli_microphone_json_reads_aloud_when_asked(pulse_mic):
    """`examdesk check --microphone --json` as a subprocess; the 'read aloud' prompt on stderr cues the speech."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pulse_mic.play(pulse_mic.noise(15, 0.003))
    proc = subprocess.Popen([sys.executable, "-m", "client", "check", "--microphone", "--json"], cwd=str(root),
                            env=dict(os.environ, PYTHONPATH=str(root)), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        for raw in proc.stderr:
            if b"read aloud" in raw:
                pulse_mic.play(pulse_mic.speech_wav)
                break
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        pulse_mic.stop_players()
    report = json.loads(out.decode("utf-8"))
    checks = {c["id"]: c for c in report["checks"]}
    assert checks["microphone.speech"]["status"] == "pass", checks["microphone.speech"]
    assert checks["microphone.noise_floor"]["status"] == "pass"
    assert proc.returncode == 0
