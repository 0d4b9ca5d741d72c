"""MicrophoneCapture: the exam-time microphone on its own thread (no Qt).

PortAudio (sounddevice, through client.monitor.mic_check.SoundDeviceInput) calls back on its own
thread; blocks go through a queue to this capture's thread, which stamps them on the monotonic clock
and hands them on in ~block_s pieces to `on_audio(samples_float32, rate, t_first_sample)`. A stream
that delivers nothing for stall_s (unplugged, taken, driver gone) is `lost`: reported through
`on_status("lost", reason)` and `on_lost(t)`, closed, and reopened every retry_s until it delivers.

    mic = MicrophoneCapture(lambda: SoundDeviceInput("default"), pipeline.audio, on_lost=pipeline.audio_lost)
    mic.start(); ...; mic.stop()
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Callable, List, Optional, Tuple

import numpy as np

from client.monitor.capture import LIVE, LOST, OFF
from client.monitor.mic_check import AudioInput

log = logging.getLogger(__name__)

AudioCallback = Callable[[np.ndarray, int, float], object]   # what it returns is ignored


class MicrophoneCapture:
    def __init__(self, input_factory: Callable[[], AudioInput], on_audio: AudioCallback,
                 on_lost: Optional[Callable[[float], object]] = None,
                 on_status: Optional[Callable[[str, str], None]] = None,
                 block_s: float = 0.1, stall_s: float = 2.0, retry_s: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.input_factory = input_factory
        self.on_audio = on_audio
        self.on_lost = on_lost
        self.on_status = on_status
        self.block_s, self.stall_s, self.retry_s = block_s, stall_s, retry_s
        self.start_s = 3.0
        self.clock = clock
        self.status, self.reason = OFF, ""
        self.blocks = 0
        self.opened = 0
        self._queue: "queue.Queue[Tuple[np.ndarray, float]]" = queue.Queue()  # noqa: UP037 - 3.8
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def start(self) -> MicrophoneCapture:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="microphone-capture", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        self._set(OFF, "stopped")

    def _set(self, status: str, why: str) -> None:
        if (status, why) == (self.status, self.reason):
            return
        self.status, self.reason = status, why
        log.info("microphone %s (%s)", status, why)
        if self.on_status is not None:
            try:
                self.on_status(status, why)
            except Exception:  # noqa: BLE001 - a broken listener must not stop the microphone
                log.exception("microphone status listener failed")

    def _lost(self, why: str) -> None:
        self._set(LOST, why)
        if self.on_lost is not None:
            try:
                self.on_lost(self.clock())
            except Exception:  # noqa: BLE001
                log.exception("microphone lost listener failed")

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                audio = self.input_factory()
                audio.start(self._arrived)
            except Exception as e:  # noqa: BLE001 - missing, busy, no permission: retry later
                self._lost(getattr(e, "code", "") or type(e).__name__)
                self._stop.wait(self.retry_s)
                continue
            self.opened += 1
            try:
                self._pump(audio.samplerate)
            finally:
                try:
                    audio.stop()
                except Exception:  # noqa: BLE001 - a stream that died may refuse to stop
                    log.debug("microphone stop failed", exc_info=True)
                self._drain()
            if not self._stop.is_set():
                self._stop.wait(self.retry_s)

    def _arrived(self, block: np.ndarray) -> None:     # on PortAudio's thread: hand over, return
        self._queue.put((block, self.clock()))

    def _drain(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def _pump(self, rate: int) -> None:
        """Deliver until the stream stalls or stop() is called."""
        pending: List[np.ndarray] = []
        n_pending = 0
        next_t: Optional[float] = None     # time of the next sample, kept continuous between blocks
        last_seen = self.clock() + self.start_s   # a stream takes a second or so to deliver its first block
        want = max(1, int(rate * self.block_s))
        while not self._stop.is_set():
            try:
                block, arrived = self._queue.get(timeout=min(0.25, self.stall_s))
            except queue.Empty:
                if self.clock() - last_seen >= self.stall_s:
                    self._lost("stalled")
                    return
                continue
            last_seen = arrived
            block = np.asarray(block, dtype=np.float32).reshape(-1)
            first = arrived - len(block) / float(rate)
            if next_t is None or abs(first - (next_t + n_pending / float(rate))) > 0.2:
                if pending:
                    self._deliver(pending, rate, next_t)
                pending, n_pending, next_t = [], 0, first   # first block, or the stream skipped: resync
            pending.append(block)
            n_pending += len(block)
            self.blocks += 1
            self._set(LIVE, "samples arrive")
            if n_pending >= want:
                assert next_t is not None
                self._deliver(pending, rate, next_t)
                next_t += n_pending / float(rate)
                pending, n_pending = [], 0

    def _deliver(self, blocks: List[np.ndarray], rate: int, t: Optional[float]) -> None:
        if not blocks or t is None:
            return
        try:
            self.on_audio(np.concatenate(blocks), int(rate), t)
        except Exception:  # noqa: BLE001 - one bad block must not stop the microphone
            log.exception("microphone consumer failed")
