"""The camera self-check: open the source, measure resolution and frame rate, analyse a window of
frames. Used by `examdesk check --camera` and by the wizard's worker thread (no Qt here)."""
from __future__ import annotations

import logging
import time
from typing import List, Optional

import numpy as np

from client.monitor.camera_devices import is_virtual_camera
from client.monitor.camera_source import CameraError, FrameSource, SourceInfo
from client.monitor.camera_verdicts import CameraThresholds, CameraVerdicts
from client.monitor.frame_analysis import FrameAnalyzer, FrameMetrics
from client.monitor.results import FAIL, WARN, CheckResult, bad, ok, skipped

log = logging.getLogger(__name__)

HD = (1280, 720)
MIN_SIZE = (640, 480)


class CameraSession:
    """Analysis state for one camera: feed frames, read live verdicts over the last `window` frames."""

    def __init__(self, analyzer: Optional[FrameAnalyzer] = None, window: int = 15,
                 thresholds: Optional[CameraThresholds] = None) -> None:
        self.analyzer = analyzer or FrameAnalyzer()
        self.verdicts = CameraVerdicts(window, thresholds)
        self.frames_seen = 0
        self.last: Optional[FrameMetrics] = None

    def feed(self, frame: np.ndarray) -> FrameMetrics:
        m = self.analyzer.analyze(frame)
        self.verdicts.add(m)
        self.frames_seen += 1
        self.last = m
        return m

    def results(self) -> List[CheckResult]:
        return self.verdicts.results()

    def reset(self) -> None:
        self.analyzer.reset()
        self.verdicts.clear()
        self.frames_seen = 0


def device_results(info: SourceInfo, measured_fps: Optional[float]) -> List[CheckResult]:
    """camera.device (which camera, virtual or not), camera.resolution, camera.frame_rate."""
    out = []
    if info.kind == "device" and is_virtual_camera(info.name):
        out.append(bad("camera.device", FAIL, info.name, "“%s”是虚拟摄像头。" % info.name,
                       "\u201c%s\u201d is a virtual camera." % info.name,
                       "考试必须使用真实摄像头：请选择电脑自带或 USB 摄像头，并关闭虚拟摄像头软件（OBS、ManyCam 等）。",
                       "The exam needs a real camera: choose the built-in or USB camera and close virtual-camera "
                       "software (OBS, ManyCam...).", kind=info.kind))
    else:
        out.append(ok("camera.device", info.name, "摄像头：%s" % info.name, "Camera: %s" % info.name, kind=info.kind))
    w, h = info.width, info.height
    size = {"width": w, "height": h}
    if w * h >= HD[0] * HD[1] * 0.95:
        out.append(ok("camera.resolution", size, "分辨率 %dx%d（高清）。" % (w, h), "Resolution %dx%d (HD)." % (w, h)))
    else:
        status = WARN if w * h >= MIN_SIZE[0] * MIN_SIZE[1] else FAIL
        out.append(bad("camera.resolution", status, size, "分辨率 %dx%d，低于高清 1280x720。" % (w, h),
                       "Resolution %dx%d is below HD (1280x720)." % (w, h),
                       "考试要求高清摄像头：请换用支持 720p 的摄像头，或在摄像头设置中选择 1280x720。",
                       "The exam asks for an HD camera: use a 720p camera or choose 1280x720 in its settings."))
    fps = measured_fps if measured_fps else info.fps
    if fps is None:
        out.append(skipped("camera.frame_rate", "未测量帧率：静态图片没有帧率。",
                           "Frame rate not measured: a still image has none.", kind=info.kind))
    elif fps < 15:
        out.append(bad("camera.frame_rate", FAIL if fps < 8 else WARN, round(fps, 1), "帧率偏低：%.1f 帧/秒。" % fps,
                       "Low frame rate: %.1f frames/s." % fps,
                       "关闭其他占用电脑的程序，改善照明（暗光下摄像头会降低帧率），或换用 USB 摄像头。",
                       "Close other busy programs and improve the light (cameras slow down in dim light), "
                       "or use a USB camera."))
    else:
        out.append(ok("camera.frame_rate", round(fps, 1), "帧率 %.1f 帧/秒。" % fps, "Frame rate %.1f frames/s." % fps))
    return out


def source_results(info: SourceInfo, measured_fps: Optional[float], window: List[CheckResult]) -> List[CheckResult]:
    """The device checks plus the window's verdicts, minus what this kind of input cannot show: a
    photo repeated as frames is identical by construction, so 'frozen' is not measured, not failed."""
    out = device_results(info, measured_fps)
    for r in window:
        if info.kind == "image" and r.id == "camera.frozen":
            r = skipped("camera.frozen", "未检测画面是否卡住：静态图片无法判断。",
                        "Frozen picture not checked: a still image cannot show it.", kind=info.kind)
        out.append(r)
    return out


def open_failure(exc: CameraError) -> List[CheckResult]:
    fix_zh = "请关闭正在使用摄像头的程序（微信、QQ、会议软件、浏览器等），检查摄像头连接和系统隐私设置中的摄像头权限，然后重试。"
    fix_en = ("Close programs using the camera (chat, meeting software, browsers), check the cable and the camera "
              "permission in the system privacy settings, then retry.")
    if exc.code.startswith("file."):
        fix_zh, fix_en = "请检查文件路径和格式。", "Check the file path and format."
    return [bad("camera.device", FAIL, None, exc.message_zh, exc.message_en, fix_zh, fix_en, code=exc.code)]


def run_camera_check(source: FrameSource, max_frames: int = 30, analyzer: Optional[FrameAnalyzer] = None,
                     window: int = 30, thresholds: Optional[CameraThresholds] = None) -> List[CheckResult]:
    """Open the source, analyse up to `max_frames` frames, return every camera CheckResult."""
    try:
        info = source.open()
    except CameraError as exc:
        log.warning("camera check: %s", exc)
        return open_failure(exc)
    session = CameraSession(analyzer, window=window, thresholds=thresholds)
    started = time.monotonic()
    stamps: List[float] = []
    try:
        for _ in range(max(1, max_frames)):
            frame = source.read()
            if frame is None:
                break
            stamps.append(time.monotonic())
            try:
                session.feed(frame)
            except ValueError as exc:  # a broken frame is reported, never a crash
                log.warning("camera check: unusable frame: %s", exc)
    finally:
        source.close()
    measured = None
    if info.kind == "device" and len(stamps) >= 5 and stamps[-1] > stamps[0]:
        measured = (len(stamps) - 1) / (stamps[-1] - stamps[0])
    log.info("camera check: %d frames from %s in %.2f s", len(stamps), info.name, time.monotonic() - started)
    if not stamps:
        return device_results(info, measured) + [
            bad("camera.picture", FAIL, None, "没有收到摄像头画面。", "No picture from the camera.",
                "请检查摄像头是否被其他程序占用，拔插后重试。", "Check no other program uses the camera; replug it and retry.")]
    return source_results(info, measured, session.results())
