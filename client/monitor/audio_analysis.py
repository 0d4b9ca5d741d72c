"""Microphone analysis (numpy only, no device, no Qt): levels in dBFS, the room's noise floor,
speech well above it, a muted (digital silence) or clipping microphone."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np

from client.monitor.results import FAIL, WARN, CheckResult, bad, ok

SILENCE_DBFS = -100.0
SENTENCE_ZH = "我已阅读考试须知，承诺独立完成本次客服联络咨询师考试。"
SENTENCE_EN = "I have read the exam rules and will complete this exam on my own."


def dbfs(block: np.ndarray) -> float:
    """RMS level of a float block (full scale = 1.0) in dBFS; digital silence gives SILENCE_DBFS."""
    if block.size == 0:
        return SILENCE_DBFS
    rms = float(np.sqrt(np.mean(np.square(block.astype(np.float64)))))
    return max(SILENCE_DBFS, 20.0 * math.log10(rms)) if rms > 0 else SILENCE_DBFS


def meter_fraction(level_dbfs: float, floor: float = -60.0) -> float:
    """0..1 for a level meter: -60 dBFS and below empty, 0 dBFS full."""
    return min(1.0, max(0.0, (level_dbfs - floor) / -floor))


@dataclass(frozen=True)
class MicThresholds:
    noisy_warn: float = -45.0        # noise floor (median block level), dBFS
    noisy_fail: float = -32.0
    speech_margin: float = 15.0      # speech must stand this far above the floor, dB
    speech_min_level: float = -50.0  # ... and at least this loud
    speech_min_s: float = 0.5        # voiced time needed
    quiet_warn: float = -38.0        # speech peak level below this: "speak up / move closer"
    clip_share: float = 0.01         # share of samples at full scale that means distortion


@dataclass
class PhaseLevels:
    """Block levels of one phase (floor or speech)."""
    block_s: float
    levels: List[float] = field(default_factory=list)
    peak: float = 0.0
    clipped: int = 0
    samples: int = 0

    def add(self, block: np.ndarray) -> float:
        block = np.asarray(block, dtype=np.float32).reshape(-1)
        level = dbfs(block)
        self.levels.append(level)
        if block.size:
            self.peak = max(self.peak, float(np.max(np.abs(block))))
            self.clipped += int(np.count_nonzero(np.abs(block) >= 0.99))
        self.samples += int(block.size)
        return level

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.levels, q)) if self.levels else SILENCE_DBFS

    @property
    def seconds(self) -> float:
        return len(self.levels) * self.block_s


class MicAnalysis:
    """Feed blocks of the quiet phase, then of the reading phase; read the verdicts."""

    def __init__(self, block_s: float = 0.02, thresholds: Optional[MicThresholds] = None) -> None:
        self.t = thresholds or MicThresholds()
        self.floor = PhaseLevels(block_s)
        self.speech = PhaseLevels(block_s)

    def floor_level(self) -> float:
        # the lower half of the quiet phase: a cough or the start of reading must not raise the floor
        return self.floor.percentile(30)

    def voiced_seconds(self) -> float:
        gate = max(self.floor_level() + self.t.speech_margin, self.t.speech_min_level)
        return sum(1 for v in self.speech.levels if v >= gate) * self.speech.block_s

    def muted(self) -> bool:
        return self.floor.peak == 0.0 and self.speech.peak == 0.0 and (self.floor.samples + self.speech.samples) > 0

    def results(self) -> List[CheckResult]:
        t = self.t
        out: List[CheckResult] = []
        total = self.floor.samples + self.speech.samples
        if total == 0:
            return [bad("microphone.signal", FAIL, None, "没有收到麦克风的声音数据。", "No sound data from the microphone.",
                        "请检查麦克风是否连接，并在系统隐私设置中允许使用麦克风。",
                        "Check the microphone is connected and allowed in the system privacy settings.")]
        if self.muted():
            return [bad("microphone.signal", FAIL, {"peak": 0.0}, "麦克风没有任何声音（可能已静音）。",
                        "The microphone records pure silence (it may be muted).",
                        "请取消麦克风静音（键盘静音键、耳机线控或系统声音设置），并在隐私设置中允许使用麦克风。",
                        "Unmute the microphone (keyboard mute key, headset switch or system sound settings) "
                        "and allow it in the privacy settings.")]
        out.append(ok("microphone.signal", {"peak": max(self.floor.peak, self.speech.peak)},
                      "麦克风有信号。", "The microphone delivers sound."))
        floor = self.floor_level()
        if floor > t.noisy_warn:
            out.append(bad("microphone.noise_floor", FAIL if floor > t.noisy_fail else WARN, round(floor, 1),
                           "环境噪音较大（%.0f dBFS）。" % floor, "The room is noisy (%.0f dBFS)." % floor,
                           "请在安静、独立的房间考试：关闭门窗、电视、风扇和音乐。",
                           "Sit the exam in a quiet room of your own: close doors and windows; turn off TV, fans, music."))
        else:
            out.append(ok("microphone.noise_floor", round(floor, 1), "环境安静（%.0f dBFS）。" % floor,
                          "The room is quiet (%.0f dBFS)." % floor))
        voiced = self.voiced_seconds()
        speech_level = self.speech.percentile(90)
        value = {"voiced_s": round(voiced, 2), "speech_dbfs": round(speech_level, 1),
                 "margin_db": round(speech_level - floor, 1)}
        if voiced < t.speech_min_s:
            out.append(bad("microphone.speech", FAIL, value, "没有听到您朗读的声音。", "We could not hear you read the sentence.",
                           "请靠近麦克风、用正常音量朗读；检查是否选对了麦克风，系统录音音量是否太低。",
                           "Read aloud at normal volume close to the microphone; check the right microphone is "
                           "selected and its recording volume is not too low."))
        elif self.speech.samples and self.speech.clipped / float(self.speech.samples) > t.clip_share:
            out.append(bad("microphone.speech", WARN, value, "声音过大、失真。", "Your voice is too loud and distorted.",
                           "请调低系统录音音量，或离麦克风稍远一些。",
                           "Lower the recording volume in the system settings or move a little away from the microphone."))
        elif speech_level < t.quiet_warn:
            out.append(bad("microphone.speech", WARN, value, "能听到您的声音，但音量偏小。", "We can hear you, but quietly.",
                           "请调高系统录音音量或靠近麦克风。", "Raise the recording volume or move closer to the microphone."))
        else:
            out.append(ok("microphone.speech", value, "清楚地听到了您的声音。", "We heard you clearly."))
        return out
