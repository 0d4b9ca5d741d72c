"""Worker threads of the self-check wizard. They never touch widgets: each reports through Qt
signals on a QObject living in the GUI thread, so Qt queues the calls (AutoConnection)."""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, List, Optional

import cv2

from client.monitor.camera_check import CameraSession, device_results, open_failure, source_results
from client.monitor.camera_source import CameraError
from client.monitor.results import CheckResult, bad
from client.qt import QImage, QObject, Signal

log = logging.getLogger(__name__)


def to_qimage(bgr: Any, max_width: int = 640) -> QImage:
    """A BGR frame as an independent QImage, downscaled for the preview (copied: buffers are reused)."""
    h, w = bgr.shape[:2]
    if w > max_width:
        bgr = cv2.resize(bgr, (max_width, int(h * max_width / float(w))), interpolation=cv2.INTER_AREA)
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class CameraWorker(QObject):
    """Reads a FrameSource, shows every frame (<= preview_fps) and analyses a few per second."""

    frame = Signal(object)       # QImage
    verdicts = Signal(object)    # List[CheckResult]: device checks + the window's verdicts
    failed = Signal(object)      # List[CheckResult]: the source could not be opened
    analysed = Signal(object)    # FrameMetrics of the last analysed frame (faces for the overlay)

    def __init__(self, source: Any, window: int = 15, analyze_fps: float = 6.0, preview_fps: float = 15.0,
                 parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.source = source
        self.session = CameraSession(window=window)
        self.window_frames = window
        self.analyze_interval = 1.0 / analyze_fps
        self.preview_interval = 1.0 / preview_fps
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self.latest: List[CheckResult] = []

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="selfcheck-camera", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        try:
            info = self.source.open()
        except CameraError as exc:
            self.failed.emit(open_failure(exc))
            return
        except Exception as exc:  # noqa: BLE001 - any driver trouble becomes a failed check
            log.exception("camera open failed")
            self.failed.emit(open_failure(CameraError("camera.error", "摄像头出错：%s" % exc, "Camera error: %s" % exc)))
            return
        last_show = last_analyse = 0.0
        stamps: List[float] = []
        misses = 0
        try:
            while not self._stop.is_set():
                frame = self.source.read()
                now = time.monotonic()
                if frame is None:
                    misses += 1
                    if misses >= 30 or info.kind != "device":
                        self.failed.emit(device_results(info, None) + [bad(
                            "camera.picture", "fail", None, "摄像头没有画面了。", "The camera stopped sending pictures.",
                            "请检查摄像头连接或是否被其他程序占用，然后重新检测。",
                            "Check the camera connection and that no other program uses it, then check again.")])
                        return
                    time.sleep(0.03)
                    continue
                misses = 0
                stamps = (stamps + [now])[-60:]
                if now - last_show >= self.preview_interval:
                    last_show = now
                    self.frame.emit(to_qimage(frame))
                if now - last_analyse >= self.analyze_interval:
                    last_analyse = now
                    try:
                        metrics = self.session.feed(frame)
                    except ValueError:
                        continue
                    fps = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if info.kind == "device" and len(
                        stamps) > 10 and stamps[-1] > stamps[0] else None
                    self.latest = source_results(info, fps, self.session.results())
                    self.analysed.emit(metrics)
                    self.verdicts.emit(list(self.latest))
        except Exception as exc:  # noqa: BLE001 - a driver or decoder error ends the check visibly, never silently
            log.exception("camera reading failed")
            _emit(self.failed, device_results(info, None) + [bad(
                "camera.picture", "fail", None, "读取摄像头画面出错：%s" % exc, "Reading the camera failed: %s" % exc,
                "请拔插摄像头后重新检测；如仍失败请更换摄像头。",
                "Replug the camera and check again; if it keeps failing, use another camera.")])
        finally:
            try:
                self.source.close()
            except Exception:  # noqa: BLE001
                pass


def _emit(signal: Any, value: Any) -> None:
    """Emit from a worker thread; the page may have been deleted meanwhile (language switch, closed window)."""
    try:
        signal.emit(value)
    except RuntimeError:
        log.info("self-check result dropped: its page is gone")


class RunInFlight:
    """Which run a worker has in flight. A run ends when its result is handed over, before its thread exits:
    the page asks `running` in the slot that receives the result, and a thread still unwinding then would
    leave the page's main button disabled for good."""

    def __init__(self) -> None:
        self._token: Optional[object] = None

    @property
    def active(self) -> bool:
        return self._token is not None

    def begin(self) -> object:
        self._token = object()
        return self._token

    def end(self, token: object) -> None:
        if self._token is token:     # a run stopped and started again: the old thread must not end the new one
            self._token = None

    def cancel(self) -> None:
        self._token = None


class TaskWorker(QObject):
    """Runs one blocking check function on a thread; `done(list)` or `failed(str)` when it ends."""

    done = Signal(object)
    failed = Signal(str)
    progress = Signal(str)

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._thread: Optional[threading.Thread] = None
        self._run = RunInFlight()

    @property
    def running(self) -> bool:
        return self._run.active

    def run(self, fn: Callable[[], List[CheckResult]], name: str = "selfcheck-task") -> None:
        token = self._run.begin()

        def target() -> None:
            try:
                result = fn()
            except Exception as exc:  # noqa: BLE001 - reported on the page, never a crash
                log.exception("self-check task %s failed", name)
                self._run.end(token)
                _emit(self.failed, str(exc))
                return
            self._run.end(token)
            _emit(self.done, result)

        self._thread = threading.Thread(target=target, name=name, daemon=True)
        self._thread.start()

    def wait(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            self._thread.join(timeout)


class MicWorker(QObject):
    """The microphone check on a thread: live level, phase changes, then the results."""

    level = Signal(float)        # dBFS
    phase = Signal(str)          # floor | speech | done
    done = Signal(object)        # List[CheckResult]

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._thread: Optional[threading.Thread] = None
        self._cancel = threading.Event()
        self._run = RunInFlight()

    @property
    def running(self) -> bool:
        return self._run.active

    def start(self, device: Any = None, audio: Any = None, floor_s: float = 2.0, speech_s: float = 6.0) -> None:
        from client.monitor import mic_check

        self._cancel = threading.Event()
        cancel = self._cancel
        token = self._run.begin()

        def target() -> None:
            try:
                results = mic_check.run_microphone_check(
                    device=device, floor_s=floor_s, speech_s=speech_s, audio=audio,
                    on_level=self.level.emit, on_phase=self.phase.emit, cancel=cancel)
            except Exception as exc:  # noqa: BLE001
                log.exception("microphone check failed")
                results = [bad("microphone.device", "fail", None, "麦克风检测出错：%s" % exc,
                               "Microphone check error: %s" % exc, "请重新检测。", "Please check again.")]
            self._run.end(token)
            _emit(self.done, results)

        self._thread = threading.Thread(target=target, name="selfcheck-mic", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._cancel.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._run.cancel()
