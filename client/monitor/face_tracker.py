"""Keeps the face detector off most frames: detect on a small copy, then follow the face by template
matching (a fraction of a millisecond) until it changes. A new detection runs every
`detect_every` frames, or at once when the tracked face no longer looks like it did at the last
detection (a hand comes up, the head turns, the candidate leaves), so every verdict still rests
on a fresh detection whenever something changed.

When the detector finds no face, `head_match` says whether the top of the last seen head (hair,
forehead) is still where it was: a face hidden behind a hand, not a candidate gone. No Qt, no threads.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import cv2
import numpy as np

from client.monitor.detectors import Face, FaceDetector


@dataclass
class TrackState:
    faces: List[Face] = field(default_factory=list)   # in the small frame's pixels, best first
    detected: bool = False                            # the detector ran on this frame
    track_score: Optional[float] = None               # NCC of the followed face (tracked frames)
    head_match: Optional[float] = None                # no face found: the last head's top still there


def _clip(x0: int, y0: int, x1: int, y1: int, w: int, h: int) -> Tuple[int, int, int, int]:
    return max(0, x0), max(0, y0), min(w, x1), min(h, y1)


def match_in(gray: np.ndarray, template: np.ndarray, around: Tuple[int, int], reach: Tuple[int, int]) -> Tuple[float, Tuple[int, int]]:
    """Best normalised correlation of `template` whose top-left lies within +-reach of `around`."""
    th, tw = template.shape[:2]
    H, W = gray.shape[:2]
    x0, y0, x1, y1 = _clip(around[0] - reach[0], around[1] - reach[1], around[0] + reach[0] + tw,
                           around[1] + reach[1] + th, W, H)
    if x1 - x0 < tw or y1 - y0 < th or th < 4 or tw < 4 or float(template.std()) < 1.0:
        return -1.0, around
    res = cv2.matchTemplate(gray[y0:y1, x0:x1], template, cv2.TM_CCOEFF_NORMED)
    _, best, _, loc = cv2.minMaxLoc(res)
    return float(best), (x0 + loc[0], y0 + loc[1])


class FaceTracker:
    def __init__(self, detector: FaceDetector, detect_every: int = 3, keep_above: float = 0.85) -> None:
        self.detector = detector
        self.detect_every = max(1, detect_every)
        self.keep_above = keep_above      # NCC the followed face must keep to skip a detection
        self.detections = 0
        self.frames = 0
        self._since_detect = 10 ** 6
        self._faces: List[Face] = []
        self._template: Optional[np.ndarray] = None
        self._at: Tuple[int, int] = (0, 0)        # template's top-left in the small frame
        self._head: Optional[np.ndarray] = None   # top of the last seen head
        self._head_at: Tuple[int, int] = (0, 0)
        self._last_head: Optional[float] = None

    def reset(self) -> None:
        self._since_detect, self._faces, self._template, self._head, self._last_head = 10 ** 6, [], None, None, None

    def update(self, small_bgr: np.ndarray, gray: np.ndarray) -> TrackState:
        self.frames += 1
        if self._since_detect < self.detect_every:
            if self._template is not None:
                tracked = self._follow(gray)
                if tracked is not None:
                    self._since_detect += 1
                    return tracked
            elif not self._faces:     # nobody at the last detection: look again every detect_every frames
                self._since_detect += 1
                return TrackState([], False, None, self._last_head)
        return self._detect(small_bgr, gray)

    def _follow(self, gray: np.ndarray) -> Optional[TrackState]:
        assert self._template is not None
        th, tw = self._template.shape[:2]
        score, at = match_in(gray, self._template, self._at, (max(2, tw // 4), max(2, th // 4)))
        if score < self.keep_above:
            return None
        dx, dy = at[0] - self._at[0], at[1] - self._at[1]
        self._at = at
        self._faces = [self._faces[0].scaled(1.0, dx, dy)] + self._faces[1:]
        self._template = gray[at[1]:at[1] + th, at[0]:at[0] + tw].copy()   # follows slow changes of light
        return TrackState(list(self._faces), False, score)

    def _detect(self, small_bgr: np.ndarray, gray: np.ndarray) -> TrackState:
        self.detections += 1
        self._since_detect = 1
        faces = self.detector.faces(small_bgr)
        H, W = gray.shape[:2]
        self._faces = faces
        if not faces:
            self._template = None
            head = None
            if self._head is not None:
                hh, hw = self._head.shape[:2]
                head, _ = match_in(gray, self._head, self._head_at, (max(2, hw // 5), max(2, hh // 4)))
            self._last_head = head
            return TrackState([], True, None, head)
        x, y, w, h = (int(round(v)) for v in faces[0].box)
        x0, y0, x1, y1 = _clip(x + w // 8, y + h // 8, x + w - w // 8, y + h - h // 8, W, H)
        self._template = gray[y0:y1, x0:x1].copy() if (x1 - x0) >= 6 and (y1 - y0) >= 6 else None
        self._at = (x0, y0)
        hx0, hy0, hx1, hy1 = _clip(x - w // 6, y - int(h * 0.3), x + w + w // 6, y + h // 4, W, H)
        if hx1 - hx0 >= 6 and hy1 - hy0 >= 6:
            self._head, self._head_at = gray[hy0:hy1, hx0:hx1].copy(), (hx0, hy0)
        self._last_head = None
        return TrackState(list(faces), True, None)
