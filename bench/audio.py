"""Microphone watch cost per second of audio, and how each voice detector labels real synthetic
speech (espeak-ng) and room noise (sox) frame by frame.

    .venv/bin/python bench/audio.py

'speech frames' are the 30 ms frames of the clean espeak recording louder than -35 dBFS; a detector's
hit rate on them and its voiced rate on noise alone (false alarms) are printed per detector, and
the AudioWatch cost (48 kHz input, 100 ms blocks, resampling included) per second of audio."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from client.monitor.audio_watch import AudioWatch  # noqa: E402
from client.monitor.voice import FRAME, BothVad, PitchVad, WebRtcVad  # noqa: E402


def wav(path: str) -> np.ndarray:
    with wave.open(path) as w:
        x = np.frombuffer(w.readframes(w.getnframes()), np.int16)
        rate = w.getframerate()
    return np.interp(np.arange(int(len(x) * 16000 / rate)) * (rate / 16000.0), np.arange(len(x)), x.astype(np.float32)).astype(np.int16)


def main() -> None:
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        sys.exit("needs espeak-ng and sox")
    tmp = tempfile.mkdtemp()
    subprocess.run(["espeak-ng", "-v", "zh", "-w", tmp + "/s.wav", "我已阅读考试须知，承诺独立完成本次客服联络咨询师考试。请问这道题的答案是什么？"],
                   check=True, capture_output=True)
    speech = wav(tmp + "/s.wav")
    noises = {}
    for kind, vol in (("pinknoise", 0.05), ("brownnoise", 0.4), ("whitenoise", 0.02)):
        subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", tmp + "/n.wav", "synth", "20",
                        kind, "vol", str(vol)], check=True)
        noises[kind] = wav(tmp + "/n.wav")
    n = len(speech) // FRAME
    frames = speech[:n * FRAME].reshape(n, FRAME)
    level = 10 * np.log10(np.maximum(1e-12, np.mean((frames / 32768.0) ** 2, axis=1)))
    truth = level > -35
    noisy = np.clip(frames.astype(np.int32) + noises["pinknoise"][:n * FRAME].reshape(n, FRAME), -32768, 32767).astype(np.int16)
    vads = [PitchVad()]
    try:
        vads += [WebRtcVad(), BothVad(PitchVad(), WebRtcVad())]
    except ImportError:
        print("webrtcvad is not installed in this interpreter")
    print("voice detectors, 30 ms frames at 16 kHz: %d speech frames (of %d)" % (truth.sum(), n))
    print("%-18s %12s %18s %12s %12s %12s" % ("detector", "speech hit", "speech+pink hit", "pink FA", "brown FA", "white FA"))
    for v in vads:
        hit = np.mean(np.array(v.voiced(frames))[truth])
        hit_noisy = np.mean(np.array(v.voiced(noisy))[truth])
        fa = []
        for kind in ("pinknoise", "brownnoise", "whitenoise"):
            x = noises[kind]
            m = len(x) // FRAME
            fa.append(np.mean(v.voiced(x[:m * FRAME].reshape(m, FRAME))))
        print("%-18s %11.0f%% %17.0f%% %11.0f%% %11.0f%% %11.0f%%" % (v.name, 100 * hit, 100 * hit_noisy, *(100 * f for f in fa)))
    x48 = np.repeat(np.concatenate([noises["pinknoise"], speech, noises["brownnoise"]]), 3)
    seconds = len(x48) / 48000.0
    for v in vads:
        watch = AudioWatch(vad=v)
        t0 = time.perf_counter()
        for i in range(0, len(x48), 4800):
            watch.feed(x48[i:i + 4800], 48000, i / 48000.0)
        dt = time.perf_counter() - t0
        print("AudioWatch with %-16s %6.2f ms per second of audio (%.2f %% of one core), %.0f s of audio"
              % (v.name, 1000 * dt / seconds, 100 * dt / seconds, seconds))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
