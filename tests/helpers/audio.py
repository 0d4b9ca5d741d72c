"""A real microphone stand-in: our own PulseAudio daemon with a null sink whose monitor is remapped
as the default source. Whatever `play()` sends to the sink, PortAudio (sounddevice) records on
device `default` in real time; silence records as exact zeros (a muted microphone).

Use: `from tests.helpers import audio` and `pulse_mic = audio.pulse_mic` in the test module.
Skips with the reason when pulseaudio, pactl, paplay or PortAudio are missing.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

SENTENCE = "我已阅读考试须知，承诺独立完成本次客服联络咨询师考试。"


@dataclass
class PulseMic:
    root: Path
    env: Dict[str, str]           # for pactl/paplay: scratch HOME and XDG_RUNTIME_DIR
    speech_wav: Path              # espeak-ng -v zh reading SENTENCE
    players: List[subprocess.Popen] = field(default_factory=list)

    def pactl(self, *args: str) -> str:
        return subprocess.run(["pactl", *args], env=self.env, check=True, capture_output=True, text=True,
                              timeout=20).stdout

    def play(self, wav: Path) -> subprocess.Popen:
        p = subprocess.Popen(["paplay", str(wav)], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.players.append(p)
        return p

    def noise(self, seconds: float, volume: float) -> Path:
        """Pink noise (a room: fan, traffic) at a given linear volume, made with sox."""
        path = self.root / ("noise-%g-%g.wav" % (seconds, volume))
        if not path.exists():
            subprocess.run(["sox", "-n", "-r", "22050", "-c", "1", str(path), "synth", str(seconds), "pinknoise",
                            "vol", str(volume)], check=True, timeout=30)
        return path

    def stop_players(self) -> None:
        for p in self.players:
            if p.poll() is None:
                p.kill()
            p.wait(timeout=5)
        self.players.clear()


def _missing_tools() -> List[str]:
    return [t for t in ("pulseaudio", "pactl", "paplay", "espeak-ng", "sox") if shutil.which(t) is None]


@pytest.fixture(scope="session")
def pulse_mic() -> Iterator[PulseMic]:
    missing = _missing_tools()
    if missing:
        pytest.skip("PulseAudio microphone stand-in unavailable: missing %s (apt-get install pulseaudio "
                    "pulseaudio-utils espeak-ng sox)" % ", ".join(missing))
    try:
        import sounddevice  # noqa: F401
    except OSError as exc:
        pytest.skip("PortAudio is missing (apt-get install libportaudio2): %s" % exc)
    root = Path(tempfile.mkdtemp(prefix="examdesk-pulse-"))
    home, run = root / "home", root / "run"
    home.mkdir()
    run.mkdir(mode=0o700)
    env = dict(os.environ, HOME=str(home), XDG_RUNTIME_DIR=str(run))
    env.pop("PULSE_SERVER", None)
    started = subprocess.run(["pulseaudio", "-D", "--exit-idle-time=-1", "--disallow-exit", "-n",
                              "--load=module-native-protocol-unix auth-anonymous=1"],
                             env=env, capture_output=True, text=True, timeout=30)
    pid_file = run / "pulse" / "pid"
    if started.returncode != 0:
        shutil.rmtree(str(root), ignore_errors=True)
        pytest.skip("pulseaudio did not start: %s" % started.stderr.strip()[-300:])
    saved = {k: os.environ.get(k) for k in ("PULSE_SERVER", "PULSE_COOKIE")}
    mic = PulseMic(root, env, root / "speech.wav")
    try:
        mic.pactl("load-module", "module-null-sink", "sink_name=examsink")
        mic.pactl("load-module", "module-remap-source", "master=examsink.monitor", "source_name=exammic")
        mic.pactl("set-default-sink", "examsink")
        mic.pactl("set-default-source", "exammic")
        subprocess.run(["espeak-ng", "-v", "zh", "-w", str(mic.speech_wav), SENTENCE], check=True, timeout=60,
                       capture_output=True)
        # this test process reaches our daemon through PortAudio -> ALSA -> pulse plugin
        os.environ["PULSE_SERVER"] = "unix:" + str(run / "pulse" / "native")
        os.environ["PULSE_COOKIE"] = str(home / ".config" / "pulse" / "cookie")
        import sounddevice as sd

        sd._terminate()
        sd._initialize()
        yield mic
    finally:
        mic.stop_players()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        _kill_daemon(pid_file)
        shutil.rmtree(str(root), ignore_errors=True)


def _kill_daemon(pid_file: Path) -> None:
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def espeak_samples(text: str = SENTENCE, samplerate: int = 16000, lead_silence_s: float = 0.0,
                   room_noise: float = 0.0005):
    """Real synthetic speech (espeak-ng -v zh) as float32 samples at `samplerate`, after `lead_silence_s`
    of quiet room noise: recorded input for ArrayInput. Skips when espeak-ng is missing."""
    import wave

    import numpy as np

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "s.wav")
        subprocess.run(["espeak-ng", "-v", "zh", "-w", path, text], check=True, capture_output=True, timeout=60)
        with wave.open(path) as w:
            raw = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0
            rate = w.getframerate()
    idx = np.arange(0, len(raw), rate / float(samplerate)).astype(int)
    speech = raw[idx[idx < len(raw)]]
    rng = np.random.default_rng(5)
    lead = rng.normal(0, room_noise, int(lead_silence_s * samplerate)).astype(np.float32)
    tail = rng.normal(0, room_noise, samplerate).astype(np.float32)
    return np.concatenate([lead, speech + rng.normal(0, room_noise, len(speech)).astype(np.float32), tail])
