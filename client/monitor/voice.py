"""Voice activity per 30 ms frame of 16 kHz mono int16 audio (numpy; no Qt, no threads).

`PitchVad` is our own: a frame is voiced when its normalised autocorrelation has a clear peak at a
speaking pitch (70-400 Hz); noise (fans, traffic, hiss) has none. `WebRtcVad` is Google's WebRTC VAD
(pip `webrtcvad-wheels`); on its own it calls pink or brown noise speech, so the default asks both
(`BothVad`) where that wheel is installed, and PitchVad alone where it is not. They only answer
"does this frame sound voiced"; the watch adds the level gate above the room's noise floor and the
time window. `bench/audio.py` measures all three.
"""
from __future__ import annotations

import logging
from typing import List, Protocol

import numpy as np

log = logging.getLogger(__name__)

RATE = 16000
FRAME = 480   # 30 ms


class Vad(Protocol):
    name: str

    def voiced(self, frames: np.ndarray) -> List[bool]:
        """frames: int16 array (n, FRAME) at RATE."""
        ...


class WebRtcVad:
    name = "webrtcvad"

    def __init__(self, mode: int = 2) -> None:
        import webrtcvad

        self._vad = webrtcvad.Vad(mode)

    def voiced(self, frames: np.ndarray) -> List[bool]:
        return [bool(self._vad.is_speech(f.tobytes(), RATE)) for f in frames]


class PitchVad:
    name = "pitch"

    def __init__(self, min_peak: float = 0.45, low_hz: float = 70.0, high_hz: float = 400.0) -> None:
        self.min_peak = min_peak
        self.lags = (int(RATE / high_hz), int(RATE / low_hz))

    def voiced(self, frames: np.ndarray) -> List[bool]:
        if len(frames) == 0:
            return []
        x = frames.astype(np.float32)
        x -= x.mean(axis=1, keepdims=True)
        spec = np.fft.rfft(x, n=2 * FRAME, axis=1)
        ac = np.fft.irfft(spec * np.conj(spec), axis=1)[:, :FRAME]
        energy = ac[:, 0]
        lo, hi = self.lags
        # unbiased: divide each lag by the overlap it had, so long lags are not penalised
        norm = ac[:, lo:hi] / np.maximum(energy[:, None], 1e-9) * (FRAME / (FRAME - np.arange(lo, hi)))[None, :]
        return [bool(e > 1e3 and p >= self.min_peak) for e, p in zip(energy, norm.max(axis=1))]


class BothVad:
    """Voiced only when every detector agrees."""

    def __init__(self, *vads: Vad) -> None:
        self.vads = vads
        self.name = "+".join(v.name for v in vads)

    def voiced(self, frames: np.ndarray) -> List[bool]:
        votes = [v.voiced(frames) for v in self.vads]
        return [all(col) for col in zip(*votes)]


def default_vad(prefer: str = "auto") -> Vad:
    """prefer: auto (pitch and webrtcvad together where the wheel is installed, else pitch) | webrtcvad | pitch."""
    if prefer == "pitch":
        return PitchVad()
    try:
        web = WebRtcVad()
    except ImportError:
        if prefer == "webrtcvad":
            raise
        log.info("webrtcvad is not installed here: voice activity uses the pitch detector alone")
        return PitchVad()
    return web if prefer == "webrtcvad" else BothVad(PitchVad(), web)
