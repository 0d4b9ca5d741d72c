"""Per-frame camera analysis (numpy + cv2, no Qt): faces, framing, light, sharpness, frozen picture.

Detection runs on a downscaled grey frame (ANALYSIS_WIDTH wide); every measure is relative to
the frame (fractions, 0..255 grey levels) so the same thresholds hold at 640x480 and 1280x720.
The face detector sits behind a small Protocol (BoxDetector: boxes on a grey image): Haar cascades
ship with opencv-python-headless<5. The in-exam watch uses client.monitor.detectors instead (a CNN
with landmarks where its wheel is installed).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import List, Optional, Protocol, Tuple

import cv2
import cv2.data
import numpy as np

ANALYSIS_WIDTH = 320
Box = Tuple[int, int, int, int]            # x, y, w, h in pixels of the image given to the detector
NormBox = Tuple[float, float, float, float]  # x, y, w, h as fractions of the frame


class BoxDetector(Protocol):
    def detect(self, gray: np.ndarray) -> List[Box]:
        """Faces in a grey uint8 image."""
        ...


def cascade_path(name: str) -> str:
    return os.path.join(cv2.data.haarcascades, name)


class HaarFaceDetector:
    """OpenCV Haar cascade (frontalface_alt2 by default: few false positives on real photos)."""

    def __init__(self, cascade: str = "haarcascade_frontalface_alt2.xml", scale_factor: float = 1.1,
                 min_neighbors: int = 5, min_size_frac: float = 0.08, mirror: bool = False) -> None:
        path = cascade if os.path.isabs(cascade) else cascade_path(cascade)
        self._cascade = cv2.CascadeClassifier(path)
        if self._cascade.empty():
            raise RuntimeError("cannot load face cascade %s" % path)
        self.scale_factor = scale_factor
        self.min_neighbors = min_neighbors
        self.min_size_frac = min_size_frac
        self.mirror = mirror  # profile cascades see one side only: also try the mirrored image

    def detect(self, gray: np.ndarray) -> List[Box]:
        side = max(12, int(min(gray.shape[:2]) * self.min_size_frac))
        eq = cv2.equalizeHist(gray)  # evens out dim and uneven light before detection
        found = [tuple(int(v) for v in b) for b in self._run(eq, side)]
        if self.mirror:
            width = eq.shape[1]
            found += [(width - x - w, y, w, h) for x, y, w, h in self._run(cv2.flip(eq, 1), side)]
        return found  # type: ignore[return-value]

    def _run(self, img: np.ndarray, side: int) -> List[Box]:
        boxes = self._cascade.detectMultiScale(img, scaleFactor=self.scale_factor,
                                               minNeighbors=self.min_neighbors, minSize=(side, side))
        return [tuple(int(v) for v in b) for b in boxes] if len(boxes) else []  # type: ignore[misc]


def profile_detector() -> HaarFaceDetector:
    """Faces turned aside: not counted as 'a face', used only to explain a missing frontal face."""
    return HaarFaceDetector("haarcascade_profileface.xml", min_neighbors=6, mirror=True)


@dataclass
class FrameMetrics:
    """What one frame shows. Brightness values are grey levels 0..255; boxes are fractions."""
    width: int
    height: int
    mean: float
    contrast: float
    black: bool
    overexposed: float                       # share of pixels >= 250 in the whole frame
    faces: List[NormBox] = field(default_factory=list)
    profiles: int = 0
    face_brightness: Optional[float] = None
    face_contrast: Optional[float] = None
    face_overexposed: Optional[float] = None
    background_brightness: Optional[float] = None
    centre_brightness: float = 0.0           # where a well-placed face would be
    periphery_brightness: float = 0.0
    sharpness: float = 0.0                   # Laplacian variance / grey variance x100 (face when one face)
    sharpness_on_face: bool = False
    diff_prev: Optional[float] = None        # mean |difference| to the previous frame (None: first)

    @property
    def face_count(self) -> int:
        return len(self.faces)

    @property
    def face(self) -> Optional[NormBox]:
        return self.faces[0] if len(self.faces) == 1 else None


class FrameAnalyzer:
    """Turns BGR frames into FrameMetrics. Keeps the previous frame to spot a frozen picture."""

    def __init__(self, detector: Optional[BoxDetector] = None, profile: Optional[BoxDetector] = None,
                 analysis_width: int = ANALYSIS_WIDTH, use_profile: bool = True) -> None:
        self.detector = detector or HaarFaceDetector()
        self.profile = profile if profile is not None else (profile_detector() if use_profile else None)
        self.analysis_width = analysis_width
        self._prev: Optional[np.ndarray] = None
        self._profile_every = 10     # the profile cascade costs ~3x a frontal pass: a hint, so every 10th faceless frame
        self._profile_tick = 0
        self._profile_last = 0

    def reset(self) -> None:
        self._prev = None
        self._profile_tick = 0
        self._profile_last = 0

    def analyze(self, frame: np.ndarray) -> FrameMetrics:
        if frame is None or frame.ndim not in (2, 3) or frame.shape[0] < 8 or frame.shape[1] < 8:
            raise ValueError("not an image frame")
        height, width = frame.shape[:2]
        gray_full = to_gray8(frame)
        # Frozen picture: compare a sparse full-resolution sample, keeping real sensor noise visible
        sample = gray_full[::4, ::4]
        diff = None
        if self._prev is not None and self._prev.shape == sample.shape:
            diff = float(np.mean(cv2.absdiff(sample, self._prev)))
        self._prev = sample.copy()

        scale = min(1.0, float(self.analysis_width) / width)
        gray = gray_full if scale >= 1.0 else cv2.resize(
            gray_full, (self.analysis_width, max(8, int(round(height * scale)))), interpolation=cv2.INTER_AREA)
        gh, gw = gray.shape[:2]
        mean, std = cv2.meanStdDev(gray)
        m = FrameMetrics(width=width, height=height, mean=float(mean[0][0]), contrast=float(std[0][0]),
                         black=False, overexposed=float(np.count_nonzero(gray >= 250)) / gray.size, diff_prev=diff)
        m.black = m.mean < 12.0 and m.contrast < 6.0
        centre = gray[int(gh * 0.12):int(gh * 0.72), int(gw * 0.3):int(gw * 0.7)]
        m.centre_brightness = float(centre.mean())
        m.periphery_brightness = float((gray.sum(dtype=np.float64) - centre.sum(dtype=np.float64))
                                       / max(1, gray.size - centre.size))
        if m.black:
            return m
        boxes = self.detector.detect(gray)
        m.faces = [(x / float(gw), y / float(gh), w / float(gw), h / float(gh)) for x, y, w, h in boxes]
        m.faces.sort(key=lambda b: -b[2] * b[3])
        if len(boxes) == 1:
            self._measure_face(m, gray, boxes[0])
        else:
            m.sharpness = _laplacian_var(gray)
            if not boxes and self.profile is not None:
                if self._profile_tick % self._profile_every == 0:
                    self._profile_last = len(self.profile.detect(gray))
                self._profile_tick += 1
                m.profiles = self._profile_last
        return m

    @staticmethod
    def _measure_face(m: FrameMetrics, gray: np.ndarray, box: Box) -> None:
        x, y, w, h = box
        gh, gw = gray.shape[:2]
        inner = gray[y + h // 5:y + h - h // 5, x + w // 5:x + w - w // 5]  # skin, not hair or background
        if inner.size:
            m.face_brightness = float(inner.mean())
            m.face_contrast = float(gray[y:y + h, x:x + w].std())
            m.face_overexposed = float(np.count_nonzero(inner >= 250)) / inner.size
        # Background: the frame minus the face and the body below it (where the person is)
        mask = np.ones(gray.shape, dtype=bool)
        mask[max(0, y - h // 2):gh, max(0, x - w // 2):min(gw, x + w + w // 2)] = False
        if mask.any():
            m.background_brightness = float(gray[mask].mean())
        face = cv2.resize(gray[y:y + h, x:x + w], (96, 96), interpolation=cv2.INTER_AREA)
        m.sharpness = _laplacian_var(face)
        m.sharpness_on_face = True


def to_gray8(frame: np.ndarray) -> np.ndarray:
    """Any camera frame (grey, BGR, BGRA; 8/16-bit or float) as 8-bit grey."""
    if frame.dtype == np.uint16:
        frame = (frame >> 8).astype(np.uint8)
    elif frame.dtype != np.uint8:
        f = np.nan_to_num(frame.astype(np.float64), nan=0.0, posinf=255.0, neginf=0.0)
        if f.size and float(f.max()) <= 1.0:  # 0..1 floats
            f = f * 255.0
        frame = np.clip(f, 0, 255).astype(np.uint8)
    if frame.ndim == 3:
        channels = frame.shape[2]
        if channels == 1:
            return np.ascontiguousarray(frame[:, :, 0])
        if channels == 3:
            return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        if channels == 4:
            return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
        raise ValueError("unsupported frame with %d channels" % channels)
    return frame


def _laplacian_var(gray: np.ndarray) -> float:
    """Edge energy relative to the picture's own contrast (x100), so dim light does not read as blur."""
    return 100.0 * float(cv2.Laplacian(gray, cv2.CV_64F).var()) / max(1.0, float(gray.var()))


@dataclass(frozen=True)
class FramingGuide:
    """Where the face should sit, as fractions of the frame (drawn over the live preview)."""
    face_cx: float = 0.5
    face_cy: float = 0.34
    face_w: float = 0.24
    face_h_per_w: float = 1.3   # the oval is this much taller than wide (in pixels)
    shoulders_y: float = 0.80   # the shoulder line: upper body below the face, in the picture
    centre_tolerance: float = 0.12


GUIDE = FramingGuide()
