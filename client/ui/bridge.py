"""The one adapter between the engine's worker threads and the Qt GUI thread.

EngineListener callbacks arrive on engine threads; each becomes a Qt signal on a QObject that lives in
the GUI thread, so Qt queues it (AutoConnection across threads). Slow engine calls (network) run in
`BackgroundCall` threads and report back the same way."""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable, ClassVar, Optional, Set

from client.exam.api import (
    EngineError,
    EngineListener,
    ExamEngine,
    PhoneStatus,
    ProctorCommand,
    Receipt,
    SyncStatus,
    TimeWarning,
    UploadProgress,
)
from client.qt import QObject, Signal

log = logging.getLogger(__name__)


class EngineBridge(QObject):
    """Listens to the engine and re-emits every callback as a queued Qt signal."""

    stateChanged = Signal(str)
    syncChanged = Signal(object)        # SyncStatus
    timeWarning = Signal(int)           # minutes left
    sealed = Signal(str)                # reason
    receiptReady = Signal(object)       # Receipt
    commandReceived = Signal(object)    # ProctorCommand
    uploadProgress = Signal(object)     # UploadProgress
    engineError = Signal(object)        # EngineError
    phoneChanged = Signal(object)       # PhoneStatus

    def __init__(self, engine: ExamEngine, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self._listener = _Listener(self)
        engine.add_listener(self._listener)


class _Listener(EngineListener):
    # A plain Python object: the engine may call it from any thread; it only emits signals.
    def __init__(self, bridge: EngineBridge) -> None:
        self.bridge = bridge

    def on_state(self, state: str) -> None:
        self.bridge.stateChanged.emit(state)

    def on_sync(self, status: SyncStatus) -> None:
        self.bridge.syncChanged.emit(status)

    def on_time_warning(self, warning: TimeWarning) -> None:
        self.bridge.timeWarning.emit(int(warning.minutes_left))

    def on_sealed(self, reason: str) -> None:
        self.bridge.sealed.emit(reason)

    def on_receipt(self, receipt: Receipt) -> None:
        self.bridge.receiptReady.emit(receipt)

    def on_command(self, command: ProctorCommand) -> None:
        self.bridge.commandReceived.emit(command)

    def on_upload(self, progress: UploadProgress) -> None:
        self.bridge.uploadProgress.emit(progress)

    def on_error(self, error: EngineError) -> None:
        self.bridge.engineError.emit(error)

    def on_phone(self, status: PhoneStatus) -> None:
        self.bridge.phoneChanged.emit(status)


class BackgroundCall(QObject):
    """Runs `fn()` on a daemon thread; `done(result)` or `failed(exception)` arrive on the GUI thread.
    The GUI never waits for the network."""

    done = Signal(object)
    failed = Signal(object)

    _running: ClassVar[Set[BackgroundCall]] = set()  # keeps Python references alive until the call reports back

    def __init__(self, fn: Callable[[], Any], on_done: Optional[Callable[[Any], None]] = None,
                 on_failed: Optional[Callable[[BaseException], None]] = None,
                 parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._on_done = on_done
        self._on_failed = on_failed
        self.done.connect(lambda value: self._deliver(self._on_done, value))
        self.failed.connect(lambda error: self._deliver(self._on_failed, error))

    def start(self) -> BackgroundCall:
        BackgroundCall._running.add(self)
        threading.Thread(target=self._run, name="ui-call", daemon=True).start()
        return self

    def _run(self) -> None:
        try:
            result = self._fn()
        except BaseException as e:  # noqa: BLE001 - every failure is shown, never swallowed
            closing = isinstance(e, EngineError) and e.code == "journal.closed"  # a call still running at close
            (log.info if closing else log.warning)("background call failed: %r", e)
            self.failed.emit(e)
            return
        self.done.emit(result)

    def _deliver(self, callback: Optional[Callable[[Any], None]], value: Any) -> None:
        BackgroundCall._running.discard(self)
        if callback is None:
            return
        try:
            callback(value)
        except RuntimeError as e:
            # the screen that asked went away meanwhile (window closed, language switched): nothing to show
            if "already deleted" not in str(e):
                raise
            log.debug("result for a closed screen dropped: %s", e)


def run_in_background(fn: Callable[[], Any], on_done: Optional[Callable[[Any], None]] = None,
                      on_failed: Optional[Callable[[BaseException], None]] = None) -> BackgroundCall:
    return BackgroundCall(fn, on_done, on_failed).start()
