"""What the proctoring session offers the UI, and what it asks of the watchers it runs (no Qt).

- `ProctoringView`: the exam window's view of the session: camera frames for the thumbnail
  (a FrameFeed) and `add_listener` for what was noticed (`Notice`, per the policy's action) and
  whether recording is on (the indicator). Listener calls arrive on worker threads.
- `Watcher`: anything else the session starts with the exam and stops at sealing (the lockdown's
  focus and process guard): it reports through `EventReporter.report`, which journals the event,
  tells the UI per `action`, and with `evidence=True` cuts a camera snippet around that moment.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, Protocol

from client.monitor.capture import FrameCallback
from examcore.monitor_policy import LOG, NOTIFY_PROCTOR, WARN_CANDIDATE  # noqa: F401 - the actions, for watchers


@dataclass(frozen=True)
class Notice:
    type: str                   # camera.face_absent, audio.talking, camera.lost, lockdown.focus_lost ...
    state: str                  # start | end
    action: str                 # log | warn_candidate | notify_proctor
    severity: str               # info | warn | alert
    detail: Dict[str, Any] = field(default_factory=dict)


class ProctoringListener:
    """Override what you need; called on worker threads (marshal to the GUI thread)."""

    def on_notice(self, notice: Notice) -> None: ...
    def on_recording(self, recording: bool) -> None: ...


class ProctoringView(Protocol):
    def subscribe(self, callback: FrameCallback, max_fps: float = 0.0) -> Callable[[], None]: ...
    def add_listener(self, listener: ProctoringListener) -> Callable[[], None]: ...
    @property
    def recording(self) -> bool: ...


class EventReporter(Protocol):
    def report(self, type_: str, severity: str, detail: Dict[str, Any], action: str = LOG,
               evidence: bool = False) -> Optional[int]: ...


class Watcher(Protocol):
    """Started when the exam starts (also after a restart that resumes one), stopped at sealing."""

    device: str                 # its heartbeat field, e.g. "lockdown"

    def start(self, reporter: EventReporter) -> None: ...
    def stop(self) -> None: ...
    def status(self) -> str: ...  # a short word for the heartbeat (<= 32 characters)
