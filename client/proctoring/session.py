"""ProctoringSession: listens to the exam engine and runs what watches the exam while it is in progress.

In the exam (state `in_exam`, also after a restart that resumes one) it opens the camera capture, the
microphone, the on-device monitor (client.monitor.pipeline on a LiveMonitor), the evidence recorder
and the watchers handed in, and it owns the exam's lockdown (client.proctoring.lockdown); at sealing it
closes them all, so nothing is recorded before the start (after consent) or after the hand-in (promise 5). Monitor events go to the engine's
journal (`report_event`), their snippets and the snapshots follow as sealed files
(`attach_evidence`), the device state goes up with every heartbeat (`set_device_status`), and the
exam window hears what was noticed (per the policy's action) and whether recording is on
(ProctoringView). Built by the composition root (client.app), Qt-free.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from client.exam import api
from client.monitor.camera_watch import CameraWatch
from client.monitor.capture import LOST, OFF, CameraCapture, FrameCallback
from client.monitor.events import MonitorEvent
from client.monitor.evidence import EvidenceRecorder
from client.monitor.live import LiveMonitor
from client.monitor.mic_check import AudioInput
from client.monitor.microphone import MicrophoneCapture
from client.monitor.pipeline import MonitorPipeline
from client.proctoring.api import LOG, Notice, ProctoringListener, Watcher
from client.proctoring.lockdown import ExamLockdown
from client.proctoring.phone_watch import PhoneWatch
from examcore.monitor_policy import monitor_policy

log = logging.getLogger(__name__)

ACTIVE_STATES = (api.IN_EXAM,)
CaptureFactory = Callable[[Callable[[str, str], None]], CameraCapture]


class _Listener(api.EngineListener):
    def __init__(self, session: ProctoringSession) -> None:
        self.session = session

    def on_state(self, state: str) -> None:
        self.session.follow(state)

    def on_sealed(self, reason: str) -> None:
        self.session.stop()
        if self.session.lockdown is not None:
            self.session.lockdown.stop()

    def on_phone(self, status: api.PhoneStatus) -> None:
        self.session.phone_changed(status)


class ProctoringSession:
    """Owns the exam-time camera, microphone, monitor, evidence and watchers. `capture_factory` is None
    without a camera, `microphone_factory` None without a microphone, `evidence_dir` None: no evidence."""

    def __init__(self, engine: api.MonitoredExam, capture_factory: Optional[CaptureFactory] = None,
                 microphone_factory: Optional[Callable[[], AudioInput]] = None, evidence_dir: Optional[str] = None,
                 watchers: Sequence[Watcher] = (),
                 camera_watch_factory: Optional[Callable[[Dict[str, Any]], CameraWatch]] = None,
                 lockdown: Optional[ExamLockdown] = None) -> None:
        self.engine = engine
        self.lockdown = lockdown    # started with the exam once the UI hands in the exam window
        self.capture_factory = capture_factory
        self.microphone_factory = microphone_factory
        self.evidence_dir = evidence_dir
        self.watchers = list(watchers)
        self.camera_watch_factory = camera_watch_factory
        self.capture: Optional[CameraCapture] = None
        self.microphone: Optional[MicrophoneCapture] = None
        self.monitor: Optional[LiveMonitor] = None
        self.pipeline: Optional[MonitorPipeline] = None
        self.recorder: Optional[EvidenceRecorder] = None
        self._viewers: Dict[int, Tuple[FrameCallback, float]] = {}
        self._viewer_unsubscribe: Dict[int, Callable[[], None]] = {}
        self._listeners: Dict[int, ProctoringListener] = {}
        self._next = 0
        self._lock = threading.RLock()
        self._started_watchers: List[Watcher] = []
        self.notices: List[Notice] = []
        self.phone = PhoneWatch()   # the second camera, judged by the server, reported from here
        engine.add_listener(_Listener(self))

    # -- what the UI sees ---------------------------------------------------------------------
    @property
    def has_camera(self) -> bool:
        return self.capture_factory is not None

    @property
    def recording(self) -> bool:
        return self.running

    def subscribe(self, callback: FrameCallback, max_fps: float = 0.0) -> Callable[[], None]:
        """Frames while the exam runs (the header thumbnail); a FrameFeed that outlives the capture."""
        with self._lock:
            key = self._key()
            self._viewers[key] = (callback, max_fps)
            if self.capture is not None:
                self._viewer_unsubscribe[key] = self.capture.subscribe(callback, max_fps)

        def unsubscribe() -> None:
            with self._lock:
                self._viewers.pop(key, None)
                unsub = self._viewer_unsubscribe.pop(key, None)
            if unsub is not None:
                unsub()
        return unsubscribe

    def add_listener(self, listener: ProctoringListener) -> Callable[[], None]:
        with self._lock:
            key = self._key()
            self._listeners[key] = listener

        def remove() -> None:
            with self._lock:
                self._listeners.pop(key, None)
        return remove

    def _key(self) -> int:
        self._next += 1
        return self._next

    # -- lifecycle ----------------------------------------------------------------------------
    def attach(self) -> ProctoringSession:
        """Start at once if the engine is already in an exam (a restart that resumes one)."""
        self.follow(self.engine.state())
        return self

    def follow(self, state: str) -> None:
        if self.lockdown is not None:
            self.lockdown.follow(state)
        if state in ACTIVE_STATES:
            self.start()
            self.phone_changed(self.engine.phone_status())   # a phone already in trouble at the start counts
        else:
            self.stop()

    @property
    def running(self) -> bool:
        return self.monitor is not None

    def start(self) -> None:
        with self._lock:
            if self.running or self.engine.state() not in ACTIVE_STATES:
                return
            if self.capture_factory is None and self.microphone_factory is None and not self.watchers:
                return
            policy = monitor_policy(self.engine.policy().get("monitor"), strict=False)
            self.recorder = self._recorder(policy)
            watch = self.camera_watch_factory(policy) if self.camera_watch_factory is not None else None
            self.pipeline = pipeline = MonitorPipeline(policy, self._on_monitor_event, self.recorder,
                                                       camera_watch=watch, server_ms=self._server_ms)
            self.monitor = LiveMonitor(pipeline, float(policy["camera"]["analysis_fps"]), on_state=self._devices)
            if self.capture_factory is not None:
                self.capture = self.capture_factory(self._camera_status)
                self.capture.configure(float(policy["capture"]["fps"]), float(policy["capture"]["retry_s"]))
                self.capture.subscribe(pipeline.frame, float(policy["evidence"]["fps"]))
                self.capture.subscribe(self.monitor.offer, float(policy["camera"]["analysis_fps"]))
                for key, (callback, fps) in self._viewers.items():
                    self._viewer_unsubscribe[key] = self.capture.subscribe(callback, fps)
            mic = policy["microphone"]
            if self.microphone_factory is not None and mic["enabled"]:
                self.microphone = MicrophoneCapture(self.microphone_factory, pipeline.audio, pipeline.audio_lost,
                                                    self._microphone_status, float(mic["block_s"]),
                                                    float(mic["stall_s"]), float(mic["retry_s"]))
            self.monitor.start()
            if self.capture is not None:
                self.capture.start()
            if self.microphone is not None:
                self.microphone.start()
            for w in self.watchers:
                try:
                    w.start(self)
                    self._started_watchers.append(w)
                except Exception:  # noqa: BLE001 - a watcher that cannot start is reported, the exam goes on
                    log.exception("watcher %s did not start", w.device)
        self._devices({"camera": "starting" if self.capture is not None else "none",
                       "microphone": "starting" if self.microphone is not None else "none", "monitor": "on"})
        self._tell(lambda lst: lst.on_recording(True))

    def stop(self) -> None:
        with self._lock:
            capture, mic, monitor, recorder = self.capture, self.microphone, self.monitor, self.recorder
            watchers, self._started_watchers = self._started_watchers, []
            self.capture = self.microphone = self.monitor = None
            self.recorder = None
            self._viewer_unsubscribe.clear()   # they belonged to the capture that is going
        for kind, severity, detail in self.phone.close():
            self._journal(kind, severity, detail)
        if monitor is None:
            return
        for part in (capture, mic):            # inputs first: nothing is taken after this moment
            if part is not None:
                part.stop()
        for w in watchers:
            try:
                w.stop()
            except Exception:  # noqa: BLE001
                log.exception("watcher %s did not stop", w.device)
        monitor.stop()                         # closes the pipeline: pending snippets are cut now
        if recorder is not None:
            recorder.close()
        self._devices({"camera": OFF, "microphone": OFF, "monitor": "off"})
        self._tell(lambda lst: lst.on_recording(False))

    # -- reporting (also the watchers' EventReporter) --------------------------------------------
    def report(self, type_: str, severity: str, detail: Dict[str, Any], action: str = LOG,
               evidence: bool = False) -> Optional[int]:
        """An event from a watcher: journaled, shown per `action`, with a snippet around now if asked."""
        now = time.monotonic()
        state = str(detail.get("state", "start"))
        seq = self._journal(type_, severity, dict(detail, state=state, action=action, at_ms=self._server_ms(now)))
        self._notice(Notice(type_, state, action, severity, dict(detail)))
        pipeline = self.pipeline
        if evidence and state == "start" and pipeline is not None:
            pipeline.request_evidence(seq, type_, now)
        return seq

    def _on_monitor_event(self, ev: MonitorEvent) -> Optional[int]:
        seq = self._journal(ev.type, ev.severity, dict(ev.detail, state=ev.state, action=ev.action,
                                                      at_ms=self._server_ms(ev.t)))
        self._notice(Notice(ev.type, ev.state, ev.action, ev.severity, dict(ev.detail)))
        return seq

    def _journal(self, type_: str, severity: str, detail: Dict[str, Any]) -> Optional[int]:
        if self.engine.state() not in ACTIVE_STATES:
            return None   # before the start and after the seal nothing is reported
        try:
            return self.engine.report_event(type_, severity, detail)
        except Exception as e:  # noqa: BLE001 - monitoring never stops the exam
            log.warning("proctoring event %s not recorded: %r", type_, e)
            return None

    def _notice(self, notice: Notice) -> None:
        self.notices.append(notice)
        self._tell(lambda lst: lst.on_notice(notice))

    def _tell(self, call: Callable[[ProctoringListener], None]) -> None:
        with self._lock:
            listeners = list(self._listeners.values())
        for lst in listeners:
            try:
                call(lst)
            except Exception:  # noqa: BLE001 - a broken listener must not stop monitoring
                log.exception("proctoring listener failed")

    # -- evidence ---------------------------------------------------------------------------------
    def _recorder(self, policy: Dict[str, Any]) -> Optional[EvidenceRecorder]:
        sitting = self.engine.sitting_id
        if not self.evidence_dir or not sitting:
            return None
        try:
            rec = EvidenceRecorder(self.evidence_dir, self.engine.sealing_key(), sitting, policy["evidence"],
                                   self._evidence_written)
            rec.recover()
            return rec
        except OSError as e:    # a full or read-only disk: the exam goes on without evidence
            log.error("evidence folder unusable, no snippets this time: %s", e)
            return None

    def _evidence_written(self, path: str, header: Dict[str, Any]) -> None:
        seq = header.get("event_seq")
        self.engine.attach_evidence(path, "snapshot" if header.get("kind") == "snapshot" else "evidence",
                                    seq if isinstance(seq, int) else None)

    def phone_changed(self, status: api.PhoneStatus) -> None:
        """The server's new view of the phone: up with the heartbeat, and in-exam events (phone_watch.py)."""
        if status.state != "unknown":      # nothing heard of the phone yet: nothing to report up
            self._devices({"phone": status.state})
        if self.engine.state() not in ACTIVE_STATES:
            return
        with self._lock:
            events = self.phone.update(status)
        for kind, severity, detail in events:
            self._journal(kind, severity, detail)

    # -- plumbing -----------------------------------------------------------------------------
    def _server_ms(self, t: float) -> int:
        """Server time of monotonic instant t (the engine keeps the server's clock)."""
        try:
            return int(self.engine.server_time_ms() - (time.monotonic() - t) * 1000.0)
        except Exception:  # noqa: BLE001 - a time stamp is a hint, never a reason to fail
            return 0

    def _camera_status(self, status: str, why: str) -> None:
        pipeline = self.pipeline
        if pipeline is not None:
            pipeline.camera_status(status, why, time.monotonic())
        if status == LOST:
            log.info("exam camera lost: %s", why)   # the event itself follows the policy's hold time

    def _microphone_status(self, status: str, why: str) -> None:
        if status == LOST:
            log.info("exam microphone lost: %s", why)

    def _devices(self, status: Dict[str, str]) -> None:
        status = dict(status)
        mic = self.microphone
        if mic is not None and mic.status == LOST:
            status["microphone"] = "lost"
        elif mic is None and self.monitor is not None:
            status["microphone"] = "none"          # none configured (or switched off by the policy)
        if self.capture is None and self.monitor is not None:
            status["camera"] = "none"
        for w in list(self._started_watchers):
            try:
                status[w.device] = str(w.status())[:32]
            except Exception:  # noqa: BLE001
                log.exception("watcher %s status failed", w.device)
        try:
            self.engine.set_device_status(status)
        except Exception:  # noqa: BLE001 - status is a hint for the proctor, never a reason to stop
            log.exception("device status not recorded")
