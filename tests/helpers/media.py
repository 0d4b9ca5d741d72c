"""Recorded-media helpers for camera tests: the real labelled photos in ../shared/data/faces
(not shipped with the project) and synthetic faults made from them (backlight, darkness, blur,
cut-off head, frozen video...). Every synthetic case starts from a real photo."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, List, Optional, Tuple

import cv2
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
FACES_DIR = Path(os.environ.get("EXAMDESK_FACES_DIR", str(ROOT.parent / "shared" / "data" / "faces")))

Box = Tuple[int, int, int, int]


def face_path(name: str) -> str:
    """Path of a labelled photo/video; skips the test (with the reason) when the data set is absent."""
    p = FACES_DIR / name
    if not p.is_file():
        pytest.skip("test photo %s not found (expected the shared data set at %s)" % (name, FACES_DIR))
    return str(p)


def load_face(name: str) -> np.ndarray:
    img = cv2.imread(face_path(name), cv2.IMREAD_COLOR)
    assert img is not None, name
    return img


def good_frame() -> np.ndarray:
    """A real 1280x720 webcam-like frame: one frontal face, upper body, centred (obama-720p.jpg)."""
    return load_face("obama-720p.jpg")


def find_face(img: np.ndarray) -> Box:
    """The largest frontal face (Haar alt2 on the full image), for building synthetic cases."""
    casc = cv2.CascadeClassifier(os.path.join(cv2.data.haarcascades, "haarcascade_frontalface_alt2.xml"))
    gray = cv2.equalizeHist(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY))
    faces = casc.detectMultiScale(gray, 1.1, 5, minSize=(30, 30))
    assert len(faces), "no face in the base image"
    x, y, w, h = max(faces, key=lambda f: f[2] * f[3])
    return int(x), int(y), int(w), int(h)


def backlit(img: np.ndarray) -> np.ndarray:
    """Window behind the candidate: the person is under-exposed, the background burns out."""
    x, y, w, h = find_face(img)
    H, W = img.shape[:2]
    person = np.zeros((H, W), np.uint8)
    cv2.ellipse(person, (x + w // 2, y + h // 2), (int(w * 0.62), int(h * 0.8)), 0, 0, 360, 255, -1)
    cv2.rectangle(person, (max(0, x - w), y + int(h * 1.1)), (min(W, x + 2 * w), H), 255, -1)  # shoulders, body
    person = cv2.GaussianBlur(person, (0, 0), 5).astype(np.float32)[..., None] / 255.0
    dark = img.astype(np.float32) * 0.45
    sky = np.full_like(dark, 246.0)
    return np.clip(dark * person + sky * (1 - person), 0, 255).astype(np.uint8)


def darkened(img: np.ndarray, factor: float = 0.18) -> np.ndarray:
    return np.clip(img.astype(np.float32) * factor, 0, 255).astype(np.uint8)


def overexposed(img: np.ndarray) -> np.ndarray:
    return cv2.convertScaleAbs(img, alpha=2.4, beta=70)


def blurred(img: np.ndarray, sigma_frac: float = 1 / 110.0) -> np.ndarray:
    return cv2.GaussianBlur(img, (0, 0), max(1.0, img.shape[1] * sigma_frac))


def black(width: int = 1280, height: int = 720) -> np.ndarray:
    rng = np.random.default_rng(1)
    return rng.integers(0, 4, (height, width, 3), dtype=np.uint8)  # a covered lens: near-zero sensor noise


def head_cut(img: np.ndarray) -> np.ndarray:
    """Camera aimed too low: the top of the frame runs through the forehead."""
    x, y, w, h = find_face(img)
    top = y + int(h * 0.02)
    return cv2.resize(img[top:], (img.shape[1], img.shape[0] - top))


def off_centre(img: np.ndarray, side: str = "left") -> np.ndarray:
    """Candidate sits at one side: shift the picture, filling with the wall's colour."""
    H, W = img.shape[:2]
    x, y, w, h = find_face(img)
    shift = int(W * 0.3)
    wall = np.median(img[:, :W // 10].reshape(-1, 3), axis=0).astype(np.uint8)
    out = np.empty_like(img)
    out[:] = wall
    if side == "left":
        out[:, :W - shift] = img[:, shift:]
    else:
        out[:, shift:] = img[:, :W - shift]
    return out


def face_low(img: np.ndarray, shift_frac: float = 0.45) -> np.ndarray:
    """Camera aimed too high: the candidate sits in the lower part, shoulders out of the picture."""
    H, W = img.shape[:2]
    shift = int(H * shift_frac)
    wall = np.median(img[:H // 10].reshape(-1, 3), axis=0).astype(np.uint8)
    out = np.empty_like(img)
    out[:] = wall
    out[shift:] = img[:H - shift]
    return out


def too_close(img: np.ndarray) -> np.ndarray:
    """Face filling the frame: crop tightly around it and scale back up."""
    H, W = img.shape[:2]
    x, y, w, h = find_face(img)
    cw = int(w * 1.7)
    ch = int(cw * H / W)
    x0, y0 = max(0, x + w // 2 - cw // 2), max(0, y + h // 2 - int(ch * 0.45))
    return cv2.resize(img[y0:y0 + ch, x0:x0 + cw], (W, H))


def too_far(img: np.ndarray, scale: float = 0.4) -> np.ndarray:
    """Candidate far away: the photo shrunk into the middle of a larger room (wall colour)."""
    H, W = img.shape[:2]
    small = cv2.resize(img, (int(W * scale), int(H * scale)), interpolation=cv2.INTER_AREA)
    wall = np.median(img[:, :W // 10].reshape(-1, 3), axis=0).astype(np.uint8)
    out = np.empty_like(img)
    out[:] = wall
    y0, x0 = int(H * 0.2), (W - small.shape[1]) // 2
    out[y0:y0 + small.shape[0], x0:x0 + small.shape[1]] = small
    return out


def pad_to(img: np.ndarray, width: int, height: int) -> np.ndarray:
    """Fit into width x height keeping the aspect ratio, padding with the edge colour."""
    H, W = img.shape[:2]
    s = min(width / float(W), height / float(H))
    small = cv2.resize(img, (int(W * s), int(H * s)), interpolation=cv2.INTER_AREA)
    return cv2.copyMakeBorder(small, 0, height - small.shape[0], (width - small.shape[1]) // 2,
                              width - small.shape[1] - (width - small.shape[1]) // 2, cv2.BORDER_REPLICATE)


def sensor_noise(img: np.ndarray, n: int, sigma: float = 2.0, seed: int = 7) -> List[np.ndarray]:
    """n frames of the same scene with a live sensor's noise (what a real still webcam shows)."""
    rng = np.random.default_rng(seed)
    return [np.clip(img.astype(np.int16) + rng.normal(0, sigma, img.shape).astype(np.int16), 0, 255).astype(np.uint8)
            for _ in range(n)]


def write_video(path: str, frames: Iterable[np.ndarray], fps: float = 15.0) -> str:
    """mp4v/.mp4 (H.264 is not available here); cv2.VideoCapture reads it back frame-exact."""
    frames = list(frames)
    H, W = frames[0].shape[:2]
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"mp4v"), fps, (W, H))
    assert writer.isOpened(), "VideoWriter mp4v failed"
    for f in frames:
        writer.write(f)
    writer.release()
    return path


def frozen_video(path: str, img: np.ndarray, n: int = 20, fps: float = 15.0) -> str:
    return write_video(path, [img] * n, fps)


def live_video(path: str, img: np.ndarray, n: int = 20, fps: float = 15.0) -> str:
    return write_video(path, sensor_noise(img, n), fps)


def write_image(path: str, img: np.ndarray) -> str:
    assert cv2.imwrite(path, img), path
    return path


def astronaut(width: int = 640, height: int = 480) -> Optional[np.ndarray]:
    try:
        from skimage import data
    except ImportError:
        pytest.skip("scikit-image is not installed")
    return pad_to(cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR), width, height)
