"""Ring buffers of the last seconds of camera and microphone, kept in memory only (no Qt, no files):
the evidence recorder cuts a snippet from them when an event is confirmed, which may be seconds
after the condition began (MonitorEvent.t), so they keep `pre_s + max(hold, post_s)` and a margin.

    frames = FrameRing(seconds=12, width=320, fps=5)     # reduced copies, at most fps a second
    frames.push(bgr, t); frames.window(t0, t1)          # [(t, frame)] with t0 <= t <= t1
    audio = AudioRing(seconds=12)                        # int16 mono at 16 kHz
    audio.push(samples_16k, t); audio.window(t0, t1)     # samples from t0 to t1, silence where none came
"""
from __future__ import annotations

import threading
from collections import deque
from typing import Deque, List, Optional, Tuple

import cv2
import numpy as np

AUDIO_RATE = 16000


def reduce_frame(frame: np.ndarray, width: int) -> np.ndarray:
    """A copy `width` pixels wide (even sizes, as video codecs need), the aspect ratio kept."""
    h, w = frame.shape[:2]
    width = max(16, min(int(width), w)) // 2 * 2
    height = max(16, int(round(h * width / float(w)))) // 2 * 2
    if (w, h) == (width, height):
        return frame.copy()
    return cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)


class FrameRing:
    def __init__(self, seconds: float, width: int = 320, fps: float = 5.0) -> None:
        self.seconds = float(seconds)
        self.width = int(width)
        self.interval = 1.0 / max(0.1, float(fps))
        self._frames: Deque[Tuple[float, np.ndarray]] = deque()
        self._lock = threading.Lock()
        self._last_t = -1e18

    def push(self, frame: np.ndarray, t: float) -> bool:
        """Keep a reduced copy of `frame` taken at t; False when skipped (too soon after the last one)."""
        if t - self._last_t < self.interval * 0.95:
            return False
        small = reduce_frame(frame, self.width)
        with self._lock:
            self._last_t = t
            self._frames.append((t, small))
            while self._frames and self._frames[0][0] < t - self.seconds:
                self._frames.popleft()
        return True

    def window(self, t0: float, t1: float) -> List[Tuple[float, np.ndarray]]:
        with self._lock:
            return [(t, f) for t, f in self._frames if t0 <= t <= t1]

    def newest(self) -> Optional[Tuple[float, np.ndarray]]:
        with self._lock:
            return self._frames[-1] if self._frames else None

    def __len__(self) -> int:
        return len(self._frames)

    def nbytes(self) -> int:
        with self._lock:
            return sum(f.nbytes for _, f in self._frames)


class AudioRing:
    def __init__(self, seconds: float, rate: int = AUDIO_RATE) -> None:
        self.seconds = float(seconds)
        self.rate = int(rate)
        self._blocks: Deque[Tuple[float, np.ndarray]] = deque()
        self._lock = threading.Lock()

    def push(self, samples: np.ndarray, t: float) -> None:
        """int16 mono samples at `rate` whose first one was taken at t."""
        block = np.asarray(samples, dtype=np.int16).copy()
        with self._lock:
            self._blocks.append((t, block))
            end = t + len(block) / float(self.rate)
            while self._blocks and self._blocks[0][0] + len(self._blocks[0][1]) / float(self.rate) < end - self.seconds:
                self._blocks.popleft()

    def window(self, t0: float, t1: float) -> np.ndarray:
        """Samples from t0 to t1 (zeros where the stream had a gap or had not started)."""
        n = max(0, int(round((t1 - t0) * self.rate)))
        out = np.zeros(n, np.int16)
        with self._lock:
            blocks = list(self._blocks)
        for t, block in blocks:
            start = int(round((t - t0) * self.rate))
            lo, hi = max(0, start), min(n, start + len(block))
            if lo < hi:
                out[lo:hi] = block[lo - start:hi - start]
        return out

    def covered(self, t0: float, t1: float) -> float:
        """Seconds of [t0, t1] that real samples cover."""
        with self._lock:
            blocks = list(self._blocks)
        total = 0.0
        for t, block in blocks:
            lo, hi = max(t0, t), min(t1, t + len(block) / float(self.rate))
            total += max(0.0, hi - lo)
        return total
