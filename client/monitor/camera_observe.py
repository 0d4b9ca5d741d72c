"""What one camera frame shows, for the in-exam watch (numpy + cv2, no Qt, no threads).

Work is done on a small copy (`detect_width` wide), so 640x480 and 1280x720 cost nearly the same:
light and a black picture from its grey levels, a frozen picture from a sparse full-resolution
sample (real sensor noise stays visible), faces from FaceTracker, the head pose from landmarks, and
whether the lower face still looks like the candidate's own (a hand over the mouth or chin).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import cv2
import numpy as np

from client.monitor.detectors import Face, FaceDetector, HeadPose, default_detector, head_pose
from client.monitor.face_tracker import FaceTracker
from client.monitor.frame_analysis import profile_detector

NormBox = Tuple[float, float, float, float]
PATCH_W, PATCH_H = 48, 56
# where the eyes and the mouth's centre land in the aligned face patch
_CANON = np.array([[14, 18], [34, 18], [24, 42]], np.float32)


@dataclass
class Observation:
    width: int
    height: int
    mean: float                   # grey level 0..255 of the picture
    contrast: float
    black: bool
    diff_prev: Optional[float]    # mean |difference| to the previous analysed frame (None: first)
    faces: List[Face] = field(default_factory=list)   # boxes and landmarks as fractions of the frame
    detected: bool = False        # a detection ran on this frame (else the face was tracked)
    pose: Optional[HeadPose] = None
    lower_match: Optional[float] = None   # lower face vs the candidate's reference (NCC), once learnt
    upper_match: Optional[float] = None   # ... and the upper face (eyes, brows): both drop when the light changes
    face_brightness: Optional[float] = None  # grey level inside the face box
    head_match: Optional[float] = None    # no face: the last head's top still in place (NCC)
    profile: bool = False         # no frontal face, a face in profile (Haar fallback only)

    @property
    def face(self) -> Optional[Face]:
        return self.faces[0] if self.faces else None


def to_bgr8(frame: np.ndarray) -> np.ndarray:
    """Any camera frame (grey, BGR, BGRA; 8/16-bit or float) as 8-bit BGR."""
    if frame is None or not isinstance(frame, np.ndarray) or frame.ndim not in (2, 3) \
            or frame.shape[0] < 8 or frame.shape[1] < 8:
        raise ValueError("not an image frame")
    if frame.dtype == np.uint16:
        frame = (frame >> 8).astype(np.uint8)
    elif frame.dtype != np.uint8:
        f = np.nan_to_num(frame.astype(np.float32), nan=0.0, posinf=255.0, neginf=0.0)
        if f.size and float(f.max()) <= 1.0:
            f = f * 255.0
        frame = np.clip(f, 0, 255).astype(np.uint8)
    if frame.ndim == 2 or frame.shape[2] == 1:
        return cv2.cvtColor(np.ascontiguousarray(frame.reshape(frame.shape[:2])), cv2.COLOR_GRAY2BGR)
    if frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    if frame.shape[2] != 3:
        raise ValueError("unsupported frame with %d channels" % frame.shape[2])
    return frame


def shrink(bgr: np.ndarray, width: int) -> np.ndarray:
    """A copy `width` wide. Exact halvings with INTER_LINEAR average 2x2 pixels (as INTER_AREA would)
    at a fifth of INTER_AREA's cost on a 1280x720 frame; the last, smaller step uses INTER_AREA."""
    H, W = bgr.shape[:2]
    if W <= width:
        return bgr
    out = bgr
    while out.shape[1] >= 2 * width:
        out = cv2.resize(out, (out.shape[1] // 2, out.shape[0] // 2), interpolation=cv2.INTER_LINEAR)
    if out.shape[1] != width:
        out = cv2.resize(out, (width, max(8, int(round(H * width / float(W))))), interpolation=cv2.INTER_AREA)
    return out


def _ncc(a: np.ndarray, b: np.ndarray) -> float:
    a = a.astype(np.float32).ravel() - float(a.mean())
    b = b.astype(np.float32).ravel() - float(b.mean())
    den = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum()) / den if den > 1e-6 else 0.0


def aligned_face(gray: np.ndarray, face: Face) -> Optional[np.ndarray]:
    """The face warped to a 48x56 patch: by eyes and mouth when there are landmarks, else by its box."""
    if face.landmarks is not None:
        (lx, ly), (rx, ry), _, (mlx, mly), (mrx, mry) = face.landmarks[:5]
        src = np.array([[lx, ly], [rx, ry], [(mlx + mrx) / 2.0, (mly + mry) / 2.0]], np.float32)
        (ax, ay), (bx, by) = src[1] - src[0], src[2] - src[0]
        if abs(float(ax * by - ay * bx)) < 4.0:   # eyes and mouth (nearly) on one line
            return None
        M = cv2.getAffineTransform(src, _CANON)
    else:
        x, y, w, h = face.box
        if w < 8 or h < 8:
            return None
        M = np.array([[PATCH_W / w, 0, -x * PATCH_W / w], [0, PATCH_H / h, -y * PATCH_H / h]], np.float32)
    return cv2.warpAffine(gray, M, (PATCH_W, PATCH_H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


class FaceReference:
    """The candidate's own face, learnt from frontal views; the lower half (nose, mouth, chin) of each
    later view is compared with it. Learnt again when the reference is lost (a new session)."""

    LOWER = slice(30, PATCH_H)
    UPPER = slice(4, 30)

    def __init__(self, learn_frames: int = 5) -> None:
        self.learn_frames = learn_frames
        self._sum: Optional[np.ndarray] = None
        self._n = 0
        self.ref: Optional[np.ndarray] = None

    def compare(self, patch: np.ndarray, frontal: bool) -> Optional[Tuple[float, float]]:
        """(lower, upper) NCC against the reference, None while it is being learnt."""
        p = cv2.equalizeHist(patch).astype(np.float32)
        if self.ref is None:
            if frontal:
                self._sum = p if self._sum is None else self._sum + p
                self._n += 1
                if self._n >= self.learn_frames:
                    self.ref = self._sum / self._n
            return None
        lower, upper = _ncc(p[self.LOWER], self.ref[self.LOWER]), _ncc(p[self.UPPER], self.ref[self.UPPER])
        if frontal and lower > 0.7:   # follow slow changes (light, shave) but never learn a hand
            self.ref = 0.95 * self.ref + 0.05 * p
        return lower, upper


class CameraObserver:
    def __init__(self, detector: Optional[FaceDetector] = None, detect_width: int = 320, detect_every: int = 3,
                 frontal_yaw: float = 0.3) -> None:
        self.detector = detector or default_detector()
        self.tracker = FaceTracker(self.detector, detect_every)
        self.detect_width = detect_width
        self.frontal_yaw = frontal_yaw
        self.reference = FaceReference()
        self._prev: Optional[np.ndarray] = None
        self._profile = None if self.detector.has_landmarks else profile_detector()
        self._profile_tick = 0
        self._profile_last = False

    def analyze(self, frame: np.ndarray) -> Observation:
        bgr = to_bgr8(frame)
        H, W = bgr.shape[:2]
        sample = cv2.cvtColor(np.ascontiguousarray(bgr[::4, ::4]), cv2.COLOR_BGR2GRAY)
        diff = None
        if self._prev is not None and self._prev.shape == sample.shape:
            diff = float(cv2.absdiff(sample, self._prev).mean())
        self._prev = sample
        small = shrink(bgr, self.detect_width)
        gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        mean, std = cv2.meanStdDev(gray)
        obs = Observation(W, H, float(mean[0][0]), float(std[0][0]), False, diff)
        obs.black = obs.mean < 12.0 and obs.contrast < 6.0
        if obs.black:
            return obs
        track = self.tracker.update(small, gray)
        gh, gw = gray.shape[:2]
        obs.detected, obs.head_match = track.detected, track.head_match
        obs.faces = [f.scaled(1.0 / gw) for f in track.faces]
        obs.faces = [Face((f.box[0], f.box[1] * gw / gh, f.box[2], f.box[3] * gw / gh), f.score,
                          None if f.landmarks is None else tuple((px, py * gw / gh) for px, py in f.landmarks))
                     for f in obs.faces]
        if track.faces:
            first = track.faces[0]
            obs.pose = head_pose(first.landmarks) if first.landmarks is not None else None
            x, y, w, h = (int(round(v)) for v in first.box)
            inner = gray[max(0, y + h // 4):max(0, y + h - h // 4), max(0, x + w // 4):max(0, x + w - w // 4)]
            obs.face_brightness = float(inner.mean()) if inner.size else None
            patch = aligned_face(gray, first)
            if patch is not None:
                frontal = obs.pose is None or (abs(obs.pose.yaw) < self.frontal_yaw and first.score >= 0.8)
                match = self.reference.compare(patch, frontal and len(track.faces) == 1)
                if match is not None:
                    obs.lower_match, obs.upper_match = match
        elif self._profile is not None and track.detected:
            if self._profile_tick % 3 == 0:   # the profile cascade costs more than a frontal pass
                self._profile_last = bool(self._profile.detect(gray))
            self._profile_tick += 1
            obs.profile = self._profile_last
        return obs
