"""Microphone inputs behind one Protocol (a real PortAudio device or recorded samples) and the
microphone self-check: device, quiet-room noise floor, then the candidate reads a sentence aloud."""
from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Protocol

import numpy as np

from client.monitor.audio_analysis import MicAnalysis, MicThresholds, dbfs
from client.monitor.results import FAIL, CheckResult, bad, ok

log = logging.getLogger(__name__)
BLOCK_S = 0.02
BlockCallback = Callable[[np.ndarray], None]


class MicrophoneError(Exception):
    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__("%s: %s" % (code, message_en))
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en


class AudioInput(Protocol):
    name: str
    samplerate: int

    def start(self, callback: BlockCallback) -> None: ...   # callback gets float32 mono blocks
    def stop(self) -> None: ...


def list_input_devices() -> List[Dict[str, Any]]:
    """Input devices PortAudio sees: [{index, name, default, samplerate}]; [] when PortAudio is missing."""
    try:
        import sounddevice as sd

        devices = sd.query_devices()
        default_in = sd.default.device[0] if sd.default.device else -1
    except Exception as exc:  # OSError when libportaudio is missing
        log.warning("cannot list audio devices: %s", exc)
        return []
    return [{"index": i, "name": str(d["name"]), "default": i == default_in,
             "samplerate": int(d.get("default_samplerate") or 0)}
            for i, d in enumerate(devices) if int(d.get("max_input_channels", 0)) > 0]


class SoundDeviceInput:
    """A real microphone through PortAudio (sounddevice). The callback runs on PortAudio's thread."""

    def __init__(self, device: Optional[Any] = None, samplerate: Optional[int] = None) -> None:
        self.device = device
        self._stream = None  # type: Any
        try:
            import sounddevice as sd

            info = sd.query_devices(device, "input")
        except Exception as exc:
            raise MicrophoneError("microphone.missing", "找不到麦克风。", "No microphone found.") from exc
        self.name = str(info["name"])
        self.samplerate = int(samplerate or info.get("default_samplerate") or 16000)

    def start(self, callback: BlockCallback) -> None:
        import sounddevice as sd

        def on_audio(indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
            callback(indata[:, 0].copy())

        try:
            self._stream = sd.InputStream(device=self.device, channels=1, samplerate=self.samplerate,
                                          blocksize=int(self.samplerate * BLOCK_S), dtype="float32", callback=on_audio)
            self._stream.start()
        except Exception as exc:
            self._stream = None
            raise MicrophoneError("microphone.busy", "无法打开麦克风（可能被其他程序占用或没有权限）。",
                                  "Cannot open the microphone (another program may be using it, or access is "
                                  "not allowed).") from exc

    def stop(self) -> None:
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            finally:
                self._stream = None


class ArrayInput:
    """Recorded samples fed as blocks from a thread (paced in real time, or as fast as possible)."""

    def __init__(self, samples: np.ndarray, samplerate: int = 16000, realtime: bool = False, name: str = "recording"):
        self.samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        self.samplerate = samplerate
        self.realtime = realtime
        self.name = name
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def start(self, callback: BlockCallback) -> None:
        n = int(self.samplerate * BLOCK_S)

        def run() -> None:
            for i in range(0, len(self.samples), n):
                if self._stop.is_set():
                    return
                callback(self.samples[i:i + n])
                if self.realtime:
                    time.sleep(BLOCK_S)

        self._thread = threading.Thread(target=run, name="array-audio", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)


def device_result(devices: List[Dict[str, Any]], chosen: Optional[str]) -> CheckResult:
    if not devices and not chosen:
        return bad("microphone.device", FAIL, None, "没有找到麦克风。", "No microphone found.",
                   "请连接麦克风或耳机，并在系统隐私设置中允许应用使用麦克风。",
                   "Connect a microphone or headset and allow apps to use it in the system privacy settings.")
    names = [d["name"] for d in devices]
    return ok("microphone.device", chosen or (names[0] if names else None), "麦克风：%s" % (chosen or names[0]),
              "Microphone: %s" % (chosen or names[0]), devices=names)


class MicrophoneCheck:
    """Runs the two phases on an AudioInput. Phases are counted in samples received, so recorded
    input gives the same verdicts as a live microphone. `on_level(dbfs)` feeds a level meter;
    `on_phase('floor'|'speech'|'done')` tells the UI when to show the sentence to read."""

    def __init__(self, audio: AudioInput, floor_s: float = 2.0, speech_s: float = 6.0, warmup_s: float = 0.3,
                 on_level: Optional[Callable[[float], None]] = None,
                 on_phase: Optional[Callable[[str], None]] = None,
                 thresholds: Optional[MicThresholds] = None, cancel: Optional[threading.Event] = None) -> None:
        self.audio = audio
        self.floor_s, self.speech_s, self.warmup_s = floor_s, speech_s, warmup_s
        self.on_level = on_level
        self.on_phase = on_phase
        self.analysis = MicAnalysis(BLOCK_S, thresholds)
        self._blocks = queue.Queue()  # type: queue.Queue
        self._cancel = cancel or threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self, timeout_s: Optional[float] = None) -> List[CheckResult]:
        """Blocking; call from a worker thread. Stops early once enough speech was heard."""
        sr = float(self.audio.samplerate)
        warm, floor_end = int(self.warmup_s * sr), int((self.warmup_s + self.floor_s) * sr)
        end = int((self.warmup_s + self.floor_s + self.speech_s) * sr)
        limit = time.monotonic() + (timeout_s if timeout_s is not None else self.warmup_s + self.floor_s
                                    + self.speech_s + 5.0)
        self.audio.start(self._blocks.put)
        seen, phase = 0, "warmup"
        try:
            while seen < end and not self._cancel.is_set() and time.monotonic() < limit:
                try:
                    block = self._blocks.get(timeout=0.2)
                except queue.Empty:
                    if isinstance(self.audio, ArrayInput) and not (self.audio._thread and self.audio._thread.is_alive()):
                        break  # recorded input ran out
                    continue
                seen += len(block)
                if self.on_level:
                    self.on_level(dbfs(block))
                if seen <= warm:
                    continue
                if seen <= floor_end:
                    if phase != "floor":
                        phase = "floor"
                        self._phase(phase)
                    self.analysis.floor.add(block)
                    continue
                if phase != "speech":
                    phase = "speech"
                    self._phase(phase)
                self.analysis.speech.add(block)
                if self.analysis.voiced_seconds() >= 1.5:  # heard enough: no need to wait out the phase
                    break
        finally:
            self.audio.stop()
            self._phase("done")
        return self.analysis.results()

    def _phase(self, name: str) -> None:
        log.info("microphone check: phase %s", name)
        if self.on_phase:
            try:
                self.on_phase(name)
            except Exception:  # a UI callback must not break the measurement
                log.exception("microphone phase callback failed")


def run_microphone_check(device: Optional[Any] = None, floor_s: float = 2.0, speech_s: float = 6.0,
                         on_level: Optional[Callable[[float], None]] = None,
                         on_phase: Optional[Callable[[str], None]] = None,
                         audio: Optional[AudioInput] = None,
                         cancel: Optional[threading.Event] = None) -> List[CheckResult]:
    """Whole microphone check on the default (or given) device; never raises for device trouble."""
    devices = list_input_devices() if audio is None else []
    try:
        audio = audio or SoundDeviceInput(device)
    except MicrophoneError as exc:
        return [device_result(devices, None) if not devices else
                bad("microphone.device", FAIL, None, exc.message_zh, exc.message_en,
                    "请连接麦克风并在系统设置中允许使用。", "Connect a microphone and allow it in the system settings.")]
    results = [device_result(devices, audio.name)]
    check = MicrophoneCheck(audio, floor_s, speech_s, on_level=on_level, on_phase=on_phase, cancel=cancel)
    try:
        results += check.run()
    except MicrophoneError as exc:
        results[0] = bad("microphone.device", FAIL, audio.name, exc.message_zh, exc.message_en,
                         "请关闭正在使用麦克风的程序（会议、聊天软件），并在隐私设置中允许使用麦克风。",
                         "Close programs using the microphone (meeting, chat) and allow it in the privacy settings.")
    return results
