"""MonitorPipeline: the in-exam watch as one clock-free object (no Qt, no threads of its own). The live
session (client.monitor.live) and `examdesk monitor` over recorded media (client.monitor.recorded)
drive the same code; only who calls it, and with which clock, differs.

    p = MonitorPipeline(policy, on_event, recorder)   # policy: examcore.monitor_policy's shape
    p.frame(bgr, t)          # every captured frame (evidence ring, snapshots, stall watch)
    p.analyse(bgr, t)        # the frames picked for analysis (analysis_fps, newest only)
    p.audio(samples, rate, t); p.audio_lost(t)
    p.camera_status(status, reason, t)                 # from CameraCapture: live | lost (reason) | off
    p.tick(t)                # device rules, snapshots, snippets that are due
    p.close(t)               # end what is active, cut what is pending with what was recorded

Each event goes to `on_event(ev)`, which returns the journal seq (or None); a start whose rule has
`evidence` asks for a snippet from ev.t - pre_s to ev.t + post_s, cut once that end has passed (the
ring keeps pre_s + max(post_s, longest hold) + 2 s, so a late confirmation still finds its frames).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional

import numpy as np

from client.monitor.audio_watch import AudioWatch, to_16k
from client.monitor.camera_watch import CameraWatch
from client.monitor.capture import LIVE, LOST, OFF
from client.monitor.events import MonitorEvent, RuleBook
from client.monitor.evidence import EvidenceRecorder, Snapshot, Snippet
from client.monitor.ring import AUDIO_RATE, AudioRing, FrameRing
from examcore.monitor_policy import rules_of

log = logging.getLogger(__name__)

OnEvent = Callable[[MonitorEvent], Optional[int]]
BUSY = "camera.busy"          # CameraError code: the device is there but another program holds it


@dataclass
class _Cut:
    seq: Optional[int]
    type: str
    t: float
    t0: float
    t1: float
    audio: bool
    detail: Dict[str, Any]


class MonitorPipeline:
    def __init__(self, policy: Mapping[str, Any], on_event: OnEvent, recorder: Optional[EvidenceRecorder] = None,
                 camera_watch: Optional[CameraWatch] = None, audio_watch: Optional[AudioWatch] = None,
                 server_ms: Optional[Callable[[float], int]] = None) -> None:
        self.policy = dict(policy)
        self.on_event = on_event
        self.recorder = recorder
        self.server_ms = server_ms or (lambda t: 0)
        self.camera_watch = camera_watch if camera_watch is not None else CameraWatch(self.policy)
        self.audio_watch = audio_watch if audio_watch is not None else AudioWatch(self.policy)
        self.rules = rules_of(self.policy)
        ev = self.policy["evidence"]
        self.pre_s, self.post_s = float(ev["pre_s"]), float(ev["post_s"])
        longest_hold = max([float(r["hold_s"]) for r in self.rules.values()] + [0.0])
        self.history_s = self.pre_s + max(self.post_s, min(longest_hold, 60.0)) + 2.0
        self.frames = FrameRing(self.history_s, int(ev["width"]), float(ev["fps"]))
        self.sound = AudioRing(self.history_s)
        self.devices = RuleBook(self.policy["devices"]["rules"], float(self.policy["devices"]["gap_s"]))
        self.stall_s = float(self.policy["capture"]["stall_s"])
        self.snapshot_s = float(ev["snapshot_interval_s"])
        self._camera = (OFF, "", 0.0)
        self._last_frame: Optional[np.ndarray] = None
        self._last_frame_t: Optional[float] = None
        self._next_snapshot: Optional[float] = None
        self._cuts: List[_Cut] = []
        self._lock = threading.RLock()
        self.events: List[MonitorEvent] = []
        self.analysed = 0
        self.closed = False

    # -- inputs ---------------------------------------------------------------------------------------
    def frame(self, frame: np.ndarray, t: float) -> None:
        with self._lock:
            self._last_frame, self._last_frame_t = frame, t
        self.frames.push(frame, t)

    def analyse(self, frame: np.ndarray, t: float) -> List[MonitorEvent]:
        try:
            events = self.camera_watch.feed(frame, t)
        except ValueError as e:
            log.warning("camera frame not analysed: %s", e)
            return []
        self.analysed += 1
        return self._handle(events)

    def audio(self, samples: np.ndarray, rate: int, t: float) -> List[MonitorEvent]:
        x = to_16k(np.asarray(samples), int(rate))
        self.sound.push(x, t)
        return self._handle(self.audio_watch.feed(x, AUDIO_RATE, t))

    def audio_lost(self, t: float) -> List[MonitorEvent]:
        return self._handle(self.audio_watch.lost(t))

    def camera_status(self, status: str, reason: str, t: float) -> None:
        with self._lock:
            self._camera = (status, reason, t)

    # -- time passing ---------------------------------------------------------------------------------
    def tick(self, t: float) -> List[MonitorEvent]:
        events = self._handle(self.devices.update(self._device_conditions(t), t))
        self._snapshot_if_due(t)
        self._cut_due(t)
        return events

    def close(self, t: float) -> List[MonitorEvent]:
        """The watch ends at t (sealed, camera handed back, media over): nothing after t is recorded."""
        if self.closed:
            return []
        events = self._handle(self.camera_watch.close(t) + self.audio_watch.close(t) + self.devices.close(t))
        self._cut_due(t, final=True)
        self.closed = True
        return events

    def request_evidence(self, seq: Optional[int], type_: str, t: float, audio: bool = False,
                         detail: Optional[Dict[str, Any]] = None) -> None:
        """A snippet around t for an event reported from elsewhere (lockdown: focus lost, a program)."""
        if self.recorder is None or not self.recorder.enabled or self.closed:
            return
        with self._lock:
            self._cuts.append(_Cut(seq, type_, t, t - self.pre_s, t + self.post_s, audio, dict(detail or {})))

    # -- state for the heartbeat ----------------------------------------------------------------------
    def state(self, t: float) -> Dict[str, str]:
        status, reason, _ = self._camera
        active = self.devices.active()
        cam = self.camera_watch.state()
        if "camera.taken" in active:
            camera = "taken"
        elif "camera.lost" in active or status == LOST:
            camera = "lost"
        elif status == OFF:
            camera = "off"
        else:
            camera = cam["camera"] if cam["camera"] not in ("ok", "no_frames") else status
        mic = self.audio_watch.state()["microphone"]
        watching = cam["active"] + self.audio_watch.state()["active"]
        monitor = "on" if not watching else watching[0].split(".", 1)[-1] + ("+%d" % (len(watching) - 1)
                                                                            if len(watching) > 1 else "")
        return {"camera": camera[:32], "microphone": mic[:32], "monitor": monitor[:32]}

    # -- plumbing -------------------------------------------------------------------------------------
    def _device_conditions(self, t: float) -> Dict[str, Dict[str, Any]]:
        status, reason, since = self._camera
        if status == LOST:
            kind = "camera.taken" if reason == BUSY else "camera.lost"
            return {kind: {"reason": reason[:80]}}
        last = self._last_frame_t
        if status == LIVE and last is not None and t - last > self.stall_s:
            return {"camera.lost": {"reason": "stalled"}}
        return {}

    def _handle(self, events: List[MonitorEvent]) -> List[MonitorEvent]:
        for ev in events:
            self.events.append(ev)
            try:
                seq = self.on_event(ev)
            except Exception:  # noqa: BLE001 - monitoring never stops the exam
                log.exception("monitor event %s not handled", ev.type)
                seq = None
            rule = self.rules.get(ev.type, {})
            if ev.state == "start" and rule.get("evidence", True):
                self.request_evidence(seq, ev.type, ev.t, audio=ev.type.startswith("audio."), detail=ev.detail)
        return events

    def _snapshot_if_due(self, t: float) -> None:
        if self.snapshot_s <= 0 or self.recorder is None or not self.recorder.enabled:
            return
        with self._lock:
            frame, at = self._last_frame, self._last_frame_t
            if frame is None or at is None or t - at > 2.0:   # no stale picture from a lost camera
                return
            if self._next_snapshot is not None and t < self._next_snapshot:
                return
            self._next_snapshot = t + self.snapshot_s
        self.recorder.submit(Snapshot(at, frame.copy(), self.server_ms(at)))

    def _cut_due(self, t: float, final: bool = False) -> None:
        with self._lock:
            due = [c for c in self._cuts if final or c.t1 <= t]
            self._cuts = [c for c in self._cuts if c not in due]
        for c in due:
            t1 = min(c.t1, t)
            frames = self.frames.window(c.t0 - 1.0 / max(1.0, float(self.policy["evidence"]["fps"])), t1)
            audio = None
            if c.audio and self.sound.covered(c.t0, t1) > 0:
                audio = self.sound.window(c.t0, t1)
            if self.recorder is not None:
                self.recorder.submit(Snippet(c.seq, c.type, c.t, c.t0, t1, frames, audio, self.server_ms(c.t),
                                             _small(c.detail)))


def _small(detail: Mapping[str, Any]) -> Dict[str, Any]:
    return {str(k)[:40]: v for k, v in detail.items() if isinstance(v, (int, float, str, bool)) and len(str(v)) < 200}
