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
    page.meter.valueChanged.connect(peak.append)
    page.worker.phase.connect(lambda ph: pulse_mic.play(pulse_mic.speech_wav) if ph == "speech" else None)
    pulse_mic.play(pulse_mic.noise(15, 0.003))
    try:
        qtbot.mouseClick(page.start_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: page.sentence.isVisible(), timeout=30000)   # the sentence appears to be read
        qtbot.waitUntil(lambda: "microphone" in w.results, timeout=60000)
    finally:
        pulse_mic.stop_players()
    r = {x.id: x.status for x in w.results["microphone"]}
    assert r["microphone.speech"] == "pass" and r["microphone.noise_floor"] == "pass"
    assert max(peak) > 50 and not page.sentence.isVisible()
