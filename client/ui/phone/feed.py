"""PhoneFeed: a worker thread that follows the phone through the engine (PhoneLink) while a live view is on
screen: the newest frame (decoded and analysed by client.monitor.phone_check), the state, the verdicts.
Signals are emitted from the thread on a QObject of the GUI thread, so Qt queues them."""
from __future__ import annotations

import logging
import threading
from typing import Any, List, Optional

import cv2

from client.exam.api import EngineError, PhoneLink, PhoneStatus
from client.monitor.phone_check import PhoneFeedCheck, decode_jpeg
from client.qt import QImage, QObject, Signal

log = logging.getLogger(__name__)
POLL_S = 0.5


def bgr_to_qimage(bgr: Any) -> QImage:
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class PhoneFeed(QObject):
    frame = Signal(object)       # QImage of the newest frame
    status = Signal(object)      # PhoneStatus
    verdicts = Signal(object)    # List[CheckResult]
    failed = Signal(object)      # EngineError (offline ...): it keeps trying

    def __init__(self, link: PhoneLink, analyse: bool = True, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.link = link
        phone = dict(link.policy().get("phone") or {})
        interval = float(phone.get("setup_interval_s", 1.0) or 1.0)
        self.check: Optional[PhoneFeedCheck] = PhoneFeedCheck(expected_interval_s=interval) if analyse else None
        self.seq = 0
        self.frames_shown = 0
        self.last_status = PhoneStatus()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(self._stop,), name="phone-feed", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def reset(self) -> None:
        """A new phone is being paired: judge its frames afresh."""
        if self.check is not None:
            self.check.reset()
        self.seq = 0

    def _run(self, stop: threading.Event) -> None:
        failures = 0
        while not stop.is_set():
            try:
                live = self.link.phone_live(self.seq)
                failures = 0
            except EngineError as e:
                failures += 1
                self._emit(self.failed, e)
                stop.wait(min(5.0, POLL_S * 2 ** min(failures, 4)))
                continue
            except Exception:  # noqa: BLE001 - the live view must never take the window down
                log.exception("phone live view failed")
                failures += 1
                stop.wait(5.0)
                continue
            self.last_status = live.status
            self._emit(self.status, live.status)
            if live.frame is not None:
                self.seq = live.frame.seq
                if self.check is not None:
                    img = self.check.feed(live.frame.jpeg, live.frame.seq, live.frame.received_at_ms)
                else:
                    img = decode_jpeg(live.frame.jpeg)
                if img is not None:
                    self.frames_shown += 1
                    self._emit(self.frame, bgr_to_qimage(img))
            if self.check is not None:
                self._emit(self.verdicts, self.check.results(live.status))
            stop.wait(POLL_S)

    @staticmethod
    def _emit(signal: Any, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:   # the widget went away (language switch, window closed)
            log.info("phone feed update dropped: its view is gone")

    def results(self) -> List[Any]:
        return self.check.results(self.last_status) if self.check is not None else []
