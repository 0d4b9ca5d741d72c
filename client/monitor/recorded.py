"""The in-exam monitor over recorded media, in media time and as fast as it can (no Qt, no threads):
what `examdesk monitor` runs for support staff and tests, through the same MonitorPipeline as the exam.

A video frame i is taken at i / fps; frames are kept at the policy's capture rate, every one goes to
the evidence ring and snapshots, the analysis gets analysis_fps of them; the WAV goes in 0.1 s blocks
interleaved by time. A stream that ends more than a second before the other is a device that went
away: the camera is then `lost` (reason "ended"), the microphone `audio.lost`, from that moment.
"""
from __future__ import annotations

import logging
import os
import wave
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

import cv2
import numpy as np

from client.monitor.capture import LIVE, LOST
from client.monitor.events import MonitorEvent
from client.monitor.evidence import EvidenceRecorder
from client.monitor.pipeline import MonitorPipeline
from examcore.monitor_policy import monitor_policy

log = logging.getLogger(__name__)

AUDIO_BLOCK_S = 0.1
TICK_S = 0.2


class MediaError(Exception):
    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__("%s: %s" % (code, message_en))
        self.code, self.message_zh, self.message_en = code, message_zh, message_en


@dataclass
class Wav:
    samples: np.ndarray       # float32 mono
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / float(self.rate)


def read_wav_file(path: str) -> Wav:
    """A PCM WAV (8/16/32-bit, any rate, mono or the channels averaged) as float32 mono."""
    if not os.path.isfile(path):
        raise MediaError("file.missing", "找不到音频文件：%s" % path, "Audio file not found: %s" % path)
    try:
        with wave.open(path, "rb") as w:
            width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError, OSError) as e:
        raise MediaError("file.unreadable", "无法读取音频文件（须为 PCM WAV）：%s" % path,
                         "Cannot read the audio file (PCM WAV expected): %s (%s)" % (path, e)) from None
    if width == 1:
        x = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        x = np.frombuffer(raw, "<i2").astype(np.float32) / 32768.0
    elif width == 4:
        x = np.frombuffer(raw, "<i4").astype(np.float32) / 2147483648.0
    else:
        raise MediaError("file.unreadable", "不支持的音频采样位数：%d" % (8 * width),
                         "unsupported sample width: %d bits" % (8 * width))
    if channels > 1:
        x = x[:len(x) // channels * channels].reshape(-1, channels).mean(axis=1)
    return Wav(x.astype(np.float32), int(rate))


@dataclass
class Report:
    events: List[MonitorEvent] = field(default_factory=list)
    seqs: List[int] = field(default_factory=list)
    frames: int = 0
    captured: int = 0
    analysed: int = 0
    video_s: float = 0.0
    audio_s: float = 0.0
    fps: float = 0.0
    size: Tuple[int, int] = (0, 0)


def run_recorded(video: str, microphone: Optional[str] = None, policy: Optional[Mapping[str, Any]] = None,
                 evidence_dir: Optional[str] = None, sealing_key: Optional[str] = None,
                 sitting_id: str = "recorded") -> Tuple[Report, Optional[EvidenceRecorder], MonitorPipeline]:
    """Run the monitor over `video` (and `microphone`, a WAV). Raises MediaError for unreadable input."""
    pol = monitor_policy(policy)
    if not os.path.isfile(video):
        raise MediaError("file.missing", "找不到视频文件：%s" % video, "Video file not found: %s" % video)
    cap = cv2.VideoCapture(video)
    if not cap.isOpened():
        raise MediaError("file.unreadable", "无法读取视频文件：%s" % video, "Cannot read the video file: %s" % video)
    wav = read_wav_file(microphone) if microphone else None
    fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0) or 15.0
    report = Report(fps=fps)
    recorder = None
    if evidence_dir:
        os.makedirs(evidence_dir, exist_ok=True)
        recorder = EvidenceRecorder(evidence_dir, sealing_key, sitting_id, pol["evidence"], threaded=False,
                                    plain=not sealing_key)

    def on_event(ev: MonitorEvent) -> int:
        report.events.append(ev)
        report.seqs.append(len(report.events))
        return len(report.events)

    pipeline = MonitorPipeline(pol, on_event, recorder, server_ms=lambda t: int(round(t * 1000)))  # media ms
    capture_iv = 1.0 / float(pol["capture"]["fps"])
    analysis_iv = 1.0 / float(pol["camera"]["analysis_fps"])
    block = int(round((wav.rate if wav else 16000) * AUDIO_BLOCK_S))
    audio_pos = 0
    last_capture = last_analysis = -1e9
    next_tick = 0.0
    t = 0.0

    def feed_audio(until: float) -> None:
        nonlocal audio_pos
        if wav is None:
            return
        while audio_pos < len(wav.samples) and audio_pos / float(wav.rate) <= until:
            chunk = wav.samples[audio_pos:audio_pos + block]
            pipeline.audio(chunk, wav.rate, audio_pos / float(wav.rate))
            audio_pos += len(chunk)

    def advance(now: float) -> None:
        nonlocal next_tick
        while next_tick <= now:
            feed_audio(next_tick)
            if wav is not None and audio_pos >= len(wav.samples) and next_tick > wav.seconds + 1.0:
                pipeline.audio_lost(next_tick)
            pipeline.tick(next_tick)
            next_tick += TICK_S

    i = 0
    while True:
        ok, frame = cap.read()
        if not ok or frame is None:
            break
        t = i / fps
        i += 1
        report.frames += 1
        if t - last_capture < capture_iv * 0.95:
            continue
        last_capture = t
        report.captured += 1
        if report.captured == 1:
            pipeline.camera_status(LIVE, "frames arrive", t)
            report.size = (int(frame.shape[1]), int(frame.shape[0]))
        feed_audio(t)
        pipeline.frame(frame, t)
        if t - last_analysis >= analysis_iv * 0.95:
            last_analysis = t
            pipeline.analyse(frame, t)
        advance(t)
    cap.release()
    if i == 0:
        raise MediaError("file.unreadable", "视频文件中没有可读的画面：%s" % video, "No readable frames in the video: %s" % video)
    report.video_s = i / fps
    report.audio_s = wav.seconds if wav else 0.0
    end = max(report.video_s, report.audio_s)
    if report.video_s + 1.0 < end:
        pipeline.camera_status(LOST, "ended", report.video_s)   # the camera went away before the end
    advance(end)
    feed_audio(end)
    pipeline.close(end)
    report.analysed = pipeline.analysed
    return report, recorder, pipeline


def events_json(report: Report) -> List[Dict[str, Any]]:
    """Start/end pairs in media seconds: [{type, severity, action, start, end, confirmed_at, detail}]."""
    out: List[Dict[str, Any]] = []
    open_: Dict[str, Dict[str, Any]] = {}
    for seq, ev in zip(report.seqs, report.events):
        if ev.state == "start":
            item: Dict[str, Any] = {"seq": seq, "type": ev.type, "severity": ev.severity, "action": ev.action, "start": ev.t,
                    "end": None, "confirmed_at": ev.confirmed_t, "ended_at": None, "detail": dict(ev.detail)}
            open_[ev.type] = item
            out.append(item)
        else:
            started = open_.pop(ev.type, None)
            if started is not None:
                started["end"], started["ended_at"] = ev.t, ev.confirmed_t
                started["detail"].update(ev.detail)
    return out
