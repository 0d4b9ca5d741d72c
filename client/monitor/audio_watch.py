"""The in-exam microphone watch: blocks of samples in, MonitorEvents out (numpy; no Qt, no threads).

    watch = AudioWatch(policy)                          # policy: events.policy_with(server_policy)
    events = watch.feed(block_int16_mono, 48000, t)     # t: time of the block's first sample
    events = watch.lost(t)                              # the stream stopped (device gone, taken)
    watch.state()                                       # {"microphone": "ok", "sound": "quiet", ...}

Audio is cut into 30 ms frames at 16 kHz. A frame is voiced speech when the VAD says so AND it
stands `speech_margin_db` above the room's own noise floor (10th percentile of the last 30 s), so a
fan or traffic never reads as talking; "talking" is a share of voiced frames over a window, so a
cough or one word does not flag. Digital silence (a muted or dead input) is not quiet: real
microphones always hiss.
"""
from __future__ import annotations

import math
from collections import deque
from typing import Any, Deque, Dict, List, Mapping, Optional

import numpy as np

from client.monitor.events import MonitorEvent, RuleBook, policy_with
from client.monitor.voice import FRAME, RATE, Vad, default_vad

FRAME_S = FRAME / float(RATE)
FLOOR_FRAMES = int(30.0 / FRAME_S)
DEFAULT_FLOOR = -60.0


def to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    """int16 mono at RATE: integer ratios average (a simple anti-alias), others interpolate."""
    x = np.asarray(samples)
    if x.ndim != 1:
        raise ValueError("expected mono samples (one dimension), got shape %s" % (x.shape,))
    if x.dtype != np.int16:
        if np.issubdtype(x.dtype, np.floating):
            x = np.clip(np.nan_to_num(x) * 32767.0, -32768, 32767).astype(np.int16)
        else:
            x = np.clip(x, -32768, 32767).astype(np.int16)
    if rate == RATE:
        return x
    if rate <= 0:
        raise ValueError("sample rate must be positive")
    if rate % RATE == 0:
        k = rate // RATE
        n = len(x) // k * k
        return x[:n].reshape(-1, k).astype(np.int32).mean(axis=1).astype(np.int16)
    n_out = int(len(x) * RATE / rate)
    return np.interp(np.arange(n_out) * (rate / float(RATE)), np.arange(len(x)), x.astype(np.float32)).astype(np.int16)


class AudioWatch:
    def __init__(self, policy: Optional[Mapping[str, Any]] = None, vad: Optional[Vad] = None) -> None:
        self.policy = policy_with(None) if policy is None else dict(policy)
        audio = self.policy["audio"]
        self.th = dict(audio["thresholds"])
        self.vad = vad or default_vad(self.th["vad"])
        self.rules = RuleBook(audio["rules"], float(audio["gap_s"]))
        self._carry = np.zeros(0, np.int16)
        self._carry_t = 0.0                                   # time of the carry's first sample
        self._levels: Deque[float] = deque(maxlen=FLOOR_FRAMES)
        self.floor = DEFAULT_FLOOR
        window = max(1, int(round(float(self.th["talk_window_s"]) / FRAME_S)))
        self._voiced: Deque[bool] = deque(maxlen=window)
        self._voiced_t: Deque[float] = deque(maxlen=window)
        self._power: Deque[float] = deque(maxlen=max(1, int(round(0.2 / FRAME_S))))
        self._frames = 0
        self.level = DEFAULT_FLOOR - 40.0
        self.seconds = 0.0
        self._fed = False
        self._lost = False

    def feed(self, samples: np.ndarray, sample_rate: int, t: float) -> List[MonitorEvent]:
        """Analyse a block whose first sample was taken at t. Raises ValueError for non-mono input."""
        x = to_16k(samples, int(sample_rate))
        expected = self._carry_t + len(self._carry) / float(RATE)
        if not self._fed or abs(t - expected) > 0.5:          # first block, or a gap in the stream
            self._carry, self._carry_t = np.zeros(0, np.int16), t
        self._fed = True
        buf = np.concatenate([self._carry, x])
        n = len(buf) // FRAME
        frames = buf[:n * FRAME].reshape(n, FRAME)
        self._carry = buf[n * FRAME:]
        t0 = self._carry_t
        self._carry_t = t0 + n * FRAME_S
        self.seconds += len(x) / float(RATE)
        events: List[MonitorEvent] = []
        if self._lost:
            self._lost = False
        if n == 0:
            return events
        voiced = self.vad.voiced(frames)
        f = frames.astype(np.float64) / 32768.0
        power = np.mean(f * f, axis=1)
        peaks = np.max(np.abs(frames.astype(np.int32)), axis=1)
        for i in range(n):
            events += self._frame(t0 + i * FRAME_S, float(power[i]), int(peaks[i]), voiced[i])
        return events

    def lost(self, t: float) -> List[MonitorEvent]:
        """The stream stopped at t (no more blocks). Feeding again ends the event."""
        self._lost = True
        self._fed = False
        return self.rules.update({"audio.lost": {}}, t)

    def close(self, t: float) -> List[MonitorEvent]:
        return self.rules.close(t)

    def _frame(self, t: float, power: float, peak: int, vad_voiced: bool) -> List[MonitorEvent]:
        th = self.th
        level = 10.0 * math.log10(power) if power > 0 else -120.0
        self.level = level
        self._frames += 1
        muted = peak <= int(th["silence_peak"])
        if not muted:
            self._levels.append(level)
        if self._frames % 33 == 1 and len(self._levels) >= 10:
            self.floor = float(np.percentile(np.fromiter(self._levels, float), 10))
        gate = max(self.floor + float(th["speech_margin_db"]), float(th["speech_min_dbfs"]))
        # no verdict on voice before the room's floor is known (0.3 s of sound)
        is_voice = bool(vad_voiced) and level >= gate and not muted and len(self._levels) >= 10
        self._voiced.append(is_voice)
        self._voiced_t.append(t)
        self._power.append(power)
        seen: Dict[str, Dict[str, Any]] = {}
        share = sum(self._voiced) / float(self._voiced.maxlen or 1)
        if share >= float(th["talk_share"]):
            voiced_at = [tt for tt, v in zip(self._voiced_t, self._voiced) if v]
            seen["audio.talking"] = {"voiced_share": round(share, 2), "since_t": voiced_at[0],
                                     "last_t": voiced_at[-1] + FRAME_S}
        loud = 10.0 * math.log10(max(1e-12, sum(self._power) / len(self._power)))
        if loud >= float(th["loud_dbfs"]):
            seen["audio.loud_noise"] = {"dbfs": round(loud, 1)}
        if muted:
            seen["audio.muted"] = {}
        return self.rules.update(seen, t)

    def state(self) -> Dict[str, Any]:
        active = self.rules.active()
        if self._lost or "audio.lost" in active:
            mic = "lost"
        elif "audio.muted" in active:
            mic = "muted"
        else:
            mic = "ok" if self._fed else "no_audio"
        sound = "talking" if "audio.talking" in active else "loud" if "audio.loud_noise" in active else "quiet"
        return {"microphone": mic, "sound": sound, "level_dbfs": round(self.level, 1),
                "floor_dbfs": round(self.floor, 1), "vad": self.vad.name, "active": active}
