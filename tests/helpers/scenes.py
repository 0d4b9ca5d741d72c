"""Scenario media for the in-exam pipeline: webcam videos built from the real photos (present, absent,
two people, covered...) and WAV files of a quiet room (sox pink noise) with real speech (espeak-ng)
laid in at known times. Everything is written to disk and read back by the code under test."""
from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np
import pytest

from tests.helpers import media

RATE = 16000


def candidate_scenes() -> Dict[str, np.ndarray]:
    img, box = media.webcam("obama-720p.jpg")
    other = media.load_face("rose_leslie.jpg")
    two, _ = media.add_person(img, box, other, media.FACE_BOXES["rose_leslie.jpg"][0], "left")
    return {"good": img, "empty": media.remove_person(img, box), "two": two,
            "hand": media.hand_over_face(img, box), "black": media.black(640, 480)}


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip("%s is not installed (apt-get install espeak-ng sox)" % name)
    return path


def read_wav(path: Path) -> Tuple[np.ndarray, int]:
    with wave.open(str(path)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.int16), w.getframerate()


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.clip(samples, -32768, 32767).astype("<i2").tobytes())
    return path


def speech(folder: Path, text: str = "请问这道题的答案是什么？我已阅读考试须知，承诺独立完成本次考试。") -> np.ndarray:
    tool("espeak-ng")
    path = folder / "speech-raw.wav"
    subprocess.run(["espeak-ng", "-v", "zh", "-w", str(path), text], check=True, capture_output=True, timeout=60)
    raw, rate = read_wav(path)
    out = np.interp(np.arange(int(len(raw) * RATE / rate)) * (rate / float(RATE)), np.arange(len(raw)),
                    raw.astype(np.float32))
    return np.trim_zeros(out.astype(np.int16))


def room(folder: Path, seconds: float, volume: float = 0.01) -> np.ndarray:
    tool("sox")
    path = folder / ("room-%g.wav" % seconds)
    subprocess.run(["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", "-e", "signed-integer", str(path),
                    "synth", str(seconds), "pinknoise", "vol", str(volume)], check=True, timeout=60)
    return read_wav(path)[0]


def room_with_speech(folder: Path, seconds: float, talk: List[float]) -> Tuple[Path, List[Tuple[float, float]]]:
    """A quiet room of `seconds` with the speech laid in at each time of `talk` (repeated to fill ~6 s).
    Returns the WAV and the [(start, end)] of the speech in media seconds."""
    base = room(folder, seconds).astype(np.int32)
    voice = speech(folder)
    spans = []
    for at in talk:
        block = np.concatenate([voice, np.zeros(RATE // 4, np.int16), voice])[:int(6 * RATE)]
        i = int(at * RATE)
        n = min(len(block), len(base) - i)
        base[i:i + n] += block[:n]
        spans.append((at, at + n / float(RATE)))
    return write_wav(folder / "room.wav", base), spans
