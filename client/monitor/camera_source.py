"""Frame sources behind one Protocol: a real camera, a recorded video and a still image all feed
the same analysis code path (cv2.VideoCapture for devices and files)."""
from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass
from typing import Optional, Protocol, Union

import cv2
import numpy as np

log = logging.getLogger(__name__)

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff")


class CameraError(Exception):
    """The camera cannot deliver frames; `code` is stable (camera.busy, camera.missing, file.unreadable)."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__("%s: %s" % (code, message_en))
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass
class SourceInfo:
    kind: str            # device | video | image
    name: str
    width: int
    height: int
    fps: Optional[float]  # nominal (files) or requested (devices); measured rate comes from reads


class FrameSource(Protocol):
    info: SourceInfo

    def open(self) -> SourceInfo: ...
    def read(self) -> Optional[np.ndarray]: ...  # BGR frame, or None at the end / on failure
    def close(self) -> None: ...


class CaptureSource:
    """cv2.VideoCapture on a device index or a video file. Files can be paced like a live camera."""

    def __init__(self, target: Union[int, str], name: str = "", kind: Optional[str] = None,
                 request_size: Optional[tuple] = (1280, 720), pace: bool = False, loop: bool = False) -> None:
        self.target = target
        self.kind = kind or ("device" if isinstance(target, int) else "video")
        self.info = SourceInfo(self.kind, name or str(target), 0, 0, None)
        self.request_size = request_size
        self.pace = pace     # sleep between file frames at the file's frame rate (live preview)
        self.loop = loop     # restart a file at its end (the preview keeps running)
        self._cap = None  # type: Optional[cv2.VideoCapture]
        self._next_t = 0.0

    def open(self) -> SourceInfo:
        if self.kind == "device":
            cap = self._open_device(int(self.target))
        else:
            if not os.path.isfile(str(self.target)):
                raise CameraError("file.missing", "找不到视频文件：%s" % self.target, "Video file not found: %s" % self.target)
            cap = cv2.VideoCapture(str(self.target))
            if not cap.isOpened():
                raise CameraError("file.unreadable", "无法读取视频文件：%s" % self.target,
                                  "Cannot read the video file: %s" % self.target)
        self._cap = cap
        w, h = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0) or None
        self.info = SourceInfo(self.kind, self.info.name, w, h, fps)
        return self.info

    def _open_device(self, index: int) -> cv2.VideoCapture:
        api = cv2.CAP_DSHOW if sys.platform == "win32" else (cv2.CAP_V4L2 if sys.platform.startswith("linux")
                                                             else cv2.CAP_ANY)
        cap = cv2.VideoCapture(index, api)
        if not cap.isOpened():
            cap.release()
            raise CameraError("camera.busy", "无法打开摄像头（可能被其他程序占用或未连接）。",
                              "Cannot open the camera (another program may be using it, or it is unplugged).")
        if self.request_size:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.request_size[0])
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.request_size[1])
        ok, frame = cap.read()  # a camera busy elsewhere often opens but delivers nothing
        if not ok or frame is None:
            cap.release()
            raise CameraError("camera.busy", "摄像头打开了但没有画面（可能被其他程序占用）。",
                              "The camera opened but sends no picture (another program may be using it).")
        return cap

    def read(self) -> Optional[np.ndarray]:
        if self._cap is None:
            return None
        if self.pace and self.kind == "video" and self.info.fps:
            now = time.monotonic()
            if self._next_t > now:
                time.sleep(self._next_t - now)
            self._next_t = max(now, self._next_t) + 1.0 / self.info.fps
        ok, frame = self._cap.read()
        if (not ok or frame is None) and self.loop and self.kind == "video":
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._cap.read()
        return frame if ok else None

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class ImageSource:
    """A still image (path or array) given `repeat` times: a photo through the camera code path."""

    def __init__(self, image: Union[str, np.ndarray], repeat: int = 1, name: str = "",
                 fps: Optional[float] = None) -> None:
        self.image = image
        self.repeat = max(1, repeat)
        self.fps = fps  # pace reads like a camera (a preview of a photo must not spin a core)
        self._next_t = 0.0
        self.info = SourceInfo("image", name or (image if isinstance(image, str) else "image"), 0, 0, None)
        self._frame: Optional[np.ndarray] = None
        self._left = 0

    def open(self) -> SourceInfo:
        if isinstance(self.image, str):
            if not os.path.isfile(self.image):
                raise CameraError("file.missing", "找不到图片文件：%s" % self.image, "Image file not found: %s" % self.image)
            frame = cv2.imread(self.image, cv2.IMREAD_COLOR)
            if frame is None:
                raise CameraError("file.unreadable", "无法读取图片文件（格式不支持或已损坏）：%s" % self.image,
                                  "Cannot read the image (unsupported or damaged): %s" % self.image)
        else:
            frame = self.image
        self._frame = frame
        self._left = self.repeat
        self.info = SourceInfo("image", self.info.name, int(frame.shape[1]), int(frame.shape[0]), None)
        return self.info

    def read(self) -> Optional[np.ndarray]:
        if self._frame is None or self._left <= 0:
            return None
        if self.fps:
            now = time.monotonic()
            if self._next_t > now:
                time.sleep(self._next_t - now)
            self._next_t = max(now, self._next_t) + 1.0 / self.fps
        self._left -= 1
        return self._frame.copy()

    def close(self) -> None:
        self._frame = None


def source_for(spec: Union[int, str], pace: bool = False, loop: bool = False) -> FrameSource:
    """`0`/`1`... -> camera device; an image path -> ImageSource; anything else -> a video file."""
    if isinstance(spec, int) or (isinstance(spec, str) and spec.isdigit()):
        return CaptureSource(int(spec), name="camera %s" % spec)
    if str(spec).lower().endswith(IMAGE_EXTENSIONS):  # a live preview shows a photo as a (frozen) camera
        return ImageSource(str(spec), repeat=10 ** 9 if loop else 1, fps=15.0 if pace else None)
    return CaptureSource(str(spec), kind="video", pace=pace, loop=loop)
