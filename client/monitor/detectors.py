"""Face detectors for the in-exam watch, behind one Protocol (no Qt, no threads).

`YuFaceDetector` is libfacedetection's CNN (pip `yuface`, weights compiled into the wheel; five
landmarks; CPython 3.8-3.11 wheels). `HaarFaceDetector` wraps OpenCV's Haar cascade and is the
fallback where the yuface wheel is missing (CPython 3.12+). `bench/detectors.py` holds the figures
behind the choice. Both take a small BGR copy of the frame: detection cost grows with the pixels.

Landmarks are image points in this order: the eye on the image's left, the eye on the image's
right, the nose tip, the mouth corner on the left, the mouth corner on the right.
"""
from __future__ import annotations

import logging
import math
import os
import warnings
from dataclasses import dataclass
from typing import List, Optional, Protocol, Tuple

import cv2
import numpy as np

from client.monitor.frame_analysis import HaarFaceDetector

log = logging.getLogger(__name__)

Point = Tuple[float, float]
FloatBox = Tuple[float, float, float, float]  # x, y, w, h in pixels of the image given to the detector


@dataclass(frozen=True)
class Face:
    box: FloatBox
    score: float                               # 0..1 (Haar gives no confidence: 1.0)
    landmarks: Optional[Tuple[Point, ...]] = None

    def scaled(self, s: float, dx: float = 0.0, dy: float = 0.0) -> "Face":  # noqa: UP037
        x, y, w, h = self.box
        lm = None if self.landmarks is None else tuple((px * s + dx, py * s + dy) for px, py in self.landmarks)
        return Face((x * s + dx, y * s + dy, w * s, h * s), self.score, lm)

    @property
    def area(self) -> float:
        return self.box[2] * self.box[3]


class FaceDetector(Protocol):
    name: str
    has_landmarks: bool

    def faces(self, bgr: np.ndarray) -> List[Face]:
        """Faces in a small BGR uint8 image, best first."""
        ...


# libfacedetection parallelises with OpenMP; its idle workers spin-wait, and at 5 analyses a second on a
# 2-core PC that costs ten times the CPU of one thread (bench/pipeline.py). Read when the library loads.
os.environ.setdefault("OMP_NUM_THREADS", "1")


def yuface_available() -> bool:
    try:
        import yuface  # noqa: F401
    except ImportError:
        return False
    return True


class YuFaceDetector:
    """libfacedetection (YuNet-style CNN) through the `yuface` wheel."""

    name = "yuface"
    has_landmarks = True

    def __init__(self, min_score: float = 0.5) -> None:
        import yuface

        self._detect = yuface.detect
        self.min_score = min_score

    def faces(self, bgr: np.ndarray) -> List[Face]:
        img = bgr if bgr.ndim == 3 else cv2.cvtColor(bgr, cv2.COLOR_GRAY2BGR)
        with warnings.catch_warnings():  # it warns on images above ~640 px; callers pass small copies
            warnings.simplefilter("ignore")
            confs, boxes, marks = self._detect(np.ascontiguousarray(img), conf=self.min_score)
        out = []
        for c, b, m in zip(confs, boxes, marks):
            pts = tuple((float(m[i]), float(m[i + 1])) for i in range(0, 10, 2))
            out.append(Face((float(b[0]), float(b[1]), float(b[2]), float(b[3])), float(c) / 100.0, pts))
        out.sort(key=lambda f: -f.score * f.area)
        return out


class HaarDetector:
    """OpenCV's frontal Haar cascade (alt2, equalised grey): boxes only, no landmarks."""

    name = "haar"
    has_landmarks = False

    def __init__(self, min_neighbors: int = 5, min_size_frac: float = 0.08) -> None:
        self._haar = HaarFaceDetector(min_neighbors=min_neighbors, min_size_frac=min_size_frac)

    def faces(self, bgr: np.ndarray) -> List[Face]:
        gray = bgr if bgr.ndim == 2 else cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
        # Haar boxes are square and sit lower than a CNN's forehead-to-chin box: stretch them alike
        out = [Face((float(x), float(y) - 0.1 * h, float(w), 1.3 * h), 1.0) for x, y, w, h in self._haar.detect(gray)]
        out.sort(key=lambda f: -f.area)
        return out


def default_detector(prefer: str = "auto") -> FaceDetector:
    """yuface where its wheel is installed, else Haar. prefer: auto | yuface | haar."""
    if prefer in ("auto", "yuface"):
        try:
            return YuFaceDetector()
        except ImportError:
            if prefer == "yuface":
                raise
            log.info("yuface is not installed here: face detection falls back to the Haar cascade")
    return HaarDetector()


@dataclass(frozen=True)
class HeadPose:
    yaw: float    # nose offset from the eyes' midpoint / eye distance: 0 frontal, about +-0.6 at 40 degrees
    pitch: float  # eyes-to-nose / eyes-to-mouth height: about 0.5 level, lower looking up, higher down
    roll: float   # degrees the eye line is tilted


def head_pose(landmarks: Tuple[Point, ...]) -> Optional[HeadPose]:
    """A rough head pose from five landmarks (enough to tell frontal from turned away)."""
    (lx, ly), (rx, ry), (nx, ny), (mlx, mly), (mrx, mry) = landmarks[:5]
    eye_dist = math.hypot(rx - lx, ry - ly)
    if eye_dist < 1.0:
        return None
    ex, ey = (lx + rx) / 2.0, (ly + ry) / 2.0
    mx, my = (mlx + mrx) / 2.0, (mly + mry) / 2.0
    # measure along the face's own axes so a tilted head is not read as turned
    ux, uy = (rx - lx) / eye_dist, (ry - ly) / eye_dist
    along = (nx - ex) * ux + (ny - ey) * uy
    down_nose = -(nx - ex) * uy + (ny - ey) * ux
    down_mouth = -(mx - ex) * uy + (my - ey) * ux
    pitch = down_nose / down_mouth if down_mouth > 1.0 else 1.0
    return HeadPose(along / eye_dist, pitch, math.degrees(math.atan2(ry - ly, rx - lx)))
