"""The wizard's microphone page on a real PortAudio device (our PulseAudio null-sink microphone)."""
from __future__ import annotations

import pytest

from client.qt import Qt
from client.ui.selfcheck import SelfCheckWizard
from tests.helpers import audio

pytestmark = pytest.mark.audio
pulse_mic = audio.pulse_mic  # the session fixture: our own PulseAudio with a null-sink microphone


def test_microphone_page_with_a_real_device(qtbot, tmp_path, pulse_mic):
    w = SelfCheckWizard(None, None, {}, camera="none.mp4", server_url="", data_dir=tmp_path,
                        mic_floor_s=1.0, mic_speech_s=6.0)
    qtbot.addWidget(w)
    w.show()
    w.go("microphone")
    page = w.mic_page
    assert page.devices.count() >= 1  # listed from PortAudio when the page is shown
    peak = []
    page.worker.level.connect(lambda _db: peak.append(page.meter.value()))
    page.worker.phase.connect(lambda ph: pulse_mic.play(pulse_mic.speech_wav) if ph == "speech" else None)
    pulse_mic.play(pulse_mic.noise(15, 0.003))
    try:
        assert w.next_button.text() == "开始检测"
        qtbot.mouseClick(w.next_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: page.phase == "speech", timeout=30000)   # the sentence is highlighted to be read
        assert page.meter.floor is not None and "环境噪音" in page.meter.accessibleName()
        qtbot.waitUntil(lambda: "microphone" in w.results, timeout=60000)
    finally:
        pulse_mic.stop_players()
    r = {x.id: x.status for x in w.results["microphone"]}
    assert r["microphone.speech"] == "pass" and r["microphone.noise_floor"] == "pass"
    assert max(peak) > 50 and page.phase == "done"


def test_no_microphone_says_so_before_anything_starts(qtbot, tmp_path, monkeypatch):
    import sounddevice

    # PortAudio on a PC with speakers and no microphone: one output-only device (our enumeration runs for real)
    speakers = [{"name": "HDA Intel PCH: ALC3246 Analog (hw:0,0)", "max_input_channels": 0,
                 "max_output_channels": 2, "default_samplerate": 48000.0}]
    monkeypatch.setattr(sounddevice, "query_devices", lambda *a, **k: speakers)
    w = SelfCheckWizard(None, None, {}, camera="none.mp4", server_url="", data_dir=tmp_path)
    qtbot.addWidget(w)
    w.show()
    w.go("microphone")
    page = w.mic_page
    assert page.devices.currentText() == "未找到麦克风"                 # never "default microphone"
    assert page.verdict.status == "fail" and "没有找到麦克风" in page.issues.rows[0].text()
    assert "怎么做" in page.issues.rows[0].text() and w.next_button.text() == "下一步"
