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
def _faces_dir() -> Path:
    """EXAMDESK_FACES_DIR, else shared/data/faces beside the checkout (or beside its worktree folder)."""
    if os.environ.get("EXAMDESK_FACES_DIR"):
        return Path(os.environ["EXAMDESK_FACES_DIR"])
    for up in (ROOT.parent, ROOT.parent.parent):
        if (up / "shared" / "data" / "faces").is_dir():
            return up / "shared" / "data" / "faces"
    return ROOT.parent / "shared" / "data" / "faces"


FACES_DIR = _faces_dir()

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


# Hand-checked face boxes (x, y, w, h in the original photo's pixels, forehead to chin) of the
# labelled set; OPTIONAL_FACES are real faces a detector may or may not find (a child looking down).
FACE_BOXES = {
    "alex-lacamoire.png": [(177, 102, 149, 220)],
    "biden.jpg": [(427, 182, 279, 379)],
    "johnsnow_test1.jpg": [(263, 145, 166, 216)],
    "kit_with_rose.jpg": [(259, 78, 90, 121), (81, 111, 74, 102)],
    "lin-manuel-miranda.png": [(257, 126, 262, 375)],
    "obama-720p.jpg": [(581, 58, 158, 220)],
    "obama2.jpg": [(194, 229, 274, 393)],
    "obama_and_biden.jpg": [(752, 396, 176, 244), (1140, 370, 180, 230)],
    "rose_leslie.jpg": [(168, 121, 247, 336)],
    "rose_leslie_far.jpg": [(624, 57, 241, 321)],
    "two_people.jpg": [(789, 47, 147, 203), (231, 20, 148, 200)],
}
OPTIONAL_FACES = {"obama_and_biden.jpg": [(1634, 1058, 138, 172)]}
ONE_FACE = [n for n, b in FACE_BOXES.items() if len(b) == 1]
DARKER_SKIN = ["obama-720p.jpg", "obama2.jpg"]


def fit(img: np.ndarray, boxes: List[Box], width: int = 640, height: int = 480) -> Tuple[np.ndarray, List[Box]]:
    """pad_to() that also moves the face boxes into the new frame."""
    H, W = img.shape[:2]
    s = min(width / float(W), height / float(H))
    out = pad_to(img, width, height)
    dx = (width - int(W * s)) // 2
    return out, [(int(x * s) + dx, int(y * s), int(w * s), int(h * s)) for x, y, w, h in boxes]


def labelled(name: str, width: int = 640, height: int = 480) -> Tuple[np.ndarray, List[Box]]:
    """A labelled photo fitted into a webcam-sized frame, with its face boxes."""
    return fit(load_face(name), FACE_BOXES[name], width, height)


def webcam(name: str, width: int = 640, height: int = 480) -> Tuple[np.ndarray, Box]:
    """A one-face photo cropped to the frame's aspect ratio around the face, as a webcam frames a
    candidate (face in the upper half, shoulders in view), scaled to width x height."""
    img = load_face(name)
    x, y, w, h = FACE_BOXES[name][0]
    H, W = img.shape[:2]
    cw = min(W, int(h * 4.2 * width / float(height)), int(H * width / float(height)))
    ch = int(cw * height / float(width))
    x0 = min(max(0, x + w // 2 - cw // 2), W - cw)
    y0 = min(max(0, y + h // 2 - int(ch * 0.36)), max(0, H - ch))
    crop = img[y0:y0 + ch, x0:x0 + cw]
    s = width / float(cw)
    frame = cv2.resize(crop, (width, height), interpolation=cv2.INTER_AREA)
    return frame, (int((x - x0) * s), int((y - y0) * s), int(w * s), int(h * s))


def _skin(img: np.ndarray, box: Box) -> np.ndarray:
    x, y, w, h = box
    inner = img[y + h // 3:y + 2 * h // 3, x + w // 3:x + 2 * w // 3].reshape(-1, 3)
    return np.median(inner, axis=0).astype(np.float32)


def hand_over_face(img: np.ndarray, box: Box, part: str = "mouth", seed: int = 3) -> np.ndarray:
    """A hand in the candidate's own skin tone over the mouth and nose ('mouth'), or the whole face
    from the brows down ('face'): a palm with four fingers, shaded and feathered."""
    x, y, w, h = box
    H, W = img.shape[:2]
    mask = np.zeros((H, W), np.uint8)
    cx = x + w // 2
    top = y + int(h * (0.45 if part == "mouth" else 0.22))
    palm_cy = y + int(h * (0.82 if part == "mouth" else 0.7))
    cv2.ellipse(mask, (cx, palm_cy), (int(w * 0.46), int(h * (0.3 if part == "mouth" else 0.42))), 0, 0, 360, 255, -1)
    for i in range(4):  # fingers reaching up across the face
        fx = cx - int(w * 0.33) + i * int(w * 0.22)
        cv2.line(mask, (fx, palm_cy), (fx + int(w * 0.05), top), 255, max(3, int(w * 0.17)))
    soft = cv2.GaussianBlur(mask, (0, 0), max(1.0, w * 0.02)).astype(np.float32)[..., None] / 255.0
    rng = np.random.default_rng(seed)
    shade = np.linspace(1.12, 0.82, H, dtype=np.float32)[:, None, None]  # light from above
    hand = _skin(img, box)[None, None, :] * 1.08 * shade + rng.normal(0, 4, (H, W, 1)).astype(np.float32)
    for i in range(3):  # the dark gaps between the fingers
        gx = cx - int(w * 0.22) + i * int(w * 0.22)
        cv2.line(hand, (gx, palm_cy - int(h * 0.1)), (gx + int(w * 0.05), top), (40, 40, 50), 1)
    return np.clip(img.astype(np.float32) * (1 - soft) + hand * soft, 0, 255).astype(np.uint8)


def turned(img: np.ndarray, box: Box, yaw_deg: float) -> np.ndarray:
    """The head turned sideways by about yaw_deg: each row of the head is mapped onto a rotated
    half-ellipsoid with a nose, so the nose moves towards one cheek and the far side shrinks."""
    x, y, w, h = box
    H, W = img.shape[:2]
    theta = np.radians(yaw_deg)
    R = w * 0.7
    cx = x + w / 2.0
    map_x = np.tile(np.arange(W, dtype=np.float32), (H, 1))
    map_y = np.tile(np.arange(H, dtype=np.float32)[:, None], (1, W))
    u = np.linspace(-1.0, 1.0, 401)
    y0, y1 = max(0, int(y - 0.45 * h)), min(H, int(y + 1.25 * h))
    cols = np.arange(W, dtype=np.float64)
    for r in range(y0, y1):
        v = (r - y) / float(h)
        ramp = min(1.0, max(0.0, (v + 0.45) / 0.35), max(0.0, (1.25 - v) / 0.35))  # twist fades at crown and neck
        t = theta * ramp
        z = 0.85 * np.sqrt(np.clip(1 - u * u, 0, 1))
        if 0.3 < v < 0.8:
            z = z + 0.8 * np.sin(np.pi * (v - 0.3) / 0.5) * np.exp(-(u / 0.2) ** 2)  # the nose
        dst = cx + R * (u * np.cos(t) + z * np.sin(t))
        dst = np.maximum.accumulate(dst) if t >= 0 else np.minimum.accumulate(dst[::-1])[::-1]
        src = cx + R * u
        # anchors beside the head: the background there stretches gently instead of smearing an ear
        dst = np.concatenate([[cx - 1.8 * R], dst, [cx + 1.8 * R]])
        src = np.concatenate([[cx - 1.8 * R], src, [cx + 1.8 * R]])
        inside = (cols >= cx - 1.8 * R) & (cols <= cx + 1.8 * R)
        map_x[r, inside] = np.interp(cols[inside], dst, src).astype(np.float32)
    return cv2.remap(img, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def rotated(img: np.ndarray, boxes: List[Box], deg: float) -> Tuple[np.ndarray, List[Box]]:
    """Head tilted in the picture plane (the whole frame rotated about its centre), boxes moved along."""
    H, W = img.shape[:2]
    M = cv2.getRotationMatrix2D((W / 2.0, H / 2.0), deg, 1.0)
    out = cv2.warpAffine(img, M, (W, H), borderMode=cv2.BORDER_REPLICATE)
    moved = []
    for x, y, w, h in boxes:
        c = M @ np.array([x + w / 2.0, y + h / 2.0, 1.0])
        moved.append((int(c[0] - w / 2), int(c[1] - h / 2), w, h))
    return out, moved


def person_mask(shape: Tuple[int, ...], box: Box) -> np.ndarray:
    """Head (with hair) and upper body below it, as a 0/255 mask."""
    x, y, w, h = box
    H, W = shape[:2]
    m = np.zeros((H, W), np.uint8)
    cv2.ellipse(m, (x + w // 2, y + h // 2), (int(w * 0.75), int(h * 0.85)), 0, 0, 360, 255, -1)
    cv2.rectangle(m, (max(0, x - int(w * 1.3)), y + int(h * 1.05)), (min(W - 1, x + int(w * 2.3)), H - 1), 255, -1)
    cv2.rectangle(m, (x + w // 6, y + h // 2), (x + w - w // 6, y + int(h * 1.2)), 255, -1)  # neck
    return m


def remove_person(img: np.ndarray, box: Box) -> np.ndarray:
    """The same room with the candidate gone (their outline filled from the surroundings)."""
    H, W = img.shape[:2]
    s = 320.0 / W
    small = cv2.resize(img, (320, max(8, int(H * s))), interpolation=cv2.INTER_AREA)
    m = cv2.resize(person_mask(img.shape, box), (small.shape[1], small.shape[0]), interpolation=cv2.INTER_NEAREST)
    m = cv2.dilate(m, np.ones((5, 5), np.uint8))
    filled = cv2.resize(cv2.inpaint(small, m, 9, cv2.INPAINT_TELEA), (W, H), interpolation=cv2.INTER_CUBIC)
    soft = cv2.GaussianBlur(person_mask(img.shape, box), (0, 0), 6).astype(np.float32)[..., None] / 255.0
    out = img.astype(np.float32) * (1 - soft) + filled.astype(np.float32) * soft
    return np.clip(out, 0, 255).astype(np.uint8)


def add_person(img: np.ndarray, box: Box, other: np.ndarray, other_box: Box, side: str = "right",
               scale: float = 0.9) -> Tuple[np.ndarray, Box]:
    """A second person (head and shoulders cut from another real photo) standing beside the candidate."""
    ox, oy, ow, oh = other_box
    s = box[2] * scale / float(ow)
    o = cv2.resize(other, (max(8, int(other.shape[1] * s)), max(8, int(other.shape[0] * s))), interpolation=cv2.INTER_AREA)
    ob = (int(ox * s), int(oy * s), int(ow * s), int(oh * s))
    pm = person_mask(o.shape, ob)
    pm[min(o.shape[0], ob[1] + int(ob[3] * 2.0)):] = 0   # head and shoulders only
    pm[:, :max(0, ob[0] - int(ob[2] * 0.9))] = 0
    pm[:, ob[0] + int(ob[2] * 1.9):] = 0
    m = cv2.GaussianBlur(pm, (0, 0), 3).astype(np.float32)[..., None] / 255.0
    H, W = img.shape[:2]
    tx = box[0] + (int(box[2] * 1.9) if side == "right" else -int(box[2] * 1.9))   # target face x
    ty = box[1] + int(box[3] * 0.1)
    dx, dy = tx - ob[0], ty - ob[1]
    out = img.astype(np.float32)
    sx0, sy0 = max(0, -dx), max(0, -dy)
    sx1, sy1 = min(o.shape[1], W - dx), min(o.shape[0], H - dy)
    region = out[sy0 + dy:sy1 + dy, sx0 + dx:sx1 + dx]
    mm = m[sy0:sy1, sx0:sx1]
    region[:] = region * (1 - mm) + o[sy0:sy1, sx0:sx1].astype(np.float32) * mm
    return np.clip(out, 0, 255).astype(np.uint8), (tx, ty, ob[2], ob[3])


def shifted(img: np.ndarray, dx: int, dy: int = 0) -> np.ndarray:
    """The camera knocked aside: the picture moves by dx, dy, the edge colour fills the gap."""
    M = np.float32([[1, 0, dx], [0, 1, dy]])
    return cv2.warpAffine(img, M, (img.shape[1], img.shape[0]), borderMode=cv2.BORDER_REPLICATE)


def read_video(path: str) -> Tuple[List[np.ndarray], float]:
    """Every frame of a video file through cv2.VideoCapture, and its frame rate."""
    cap = cv2.VideoCapture(path)
    fps = cap.get(cv2.CAP_PROP_FPS) or 0.0
    frames = []
    while True:
        ok, f = cap.read()
        if not ok:
            break
        frames.append(f)
    cap.release()
    return frames, fps


def scenario_video(path: str, segments: List[Tuple[str, float]], scenes: dict, fps: float = 10.0,
                   seed: int = 11, still: Tuple[str, ...] = ()) -> List[Tuple[str, float, float]]:
    """Write segments [(scene name, seconds)] of scenes with live sensor noise (scenes named in
    `still` repeat exactly: a frozen camera); a scene may be one image or a list of frames (a real
    clip, looped). Returns the timeline [(scene, start s, end s)] in media time."""
    rng = np.random.default_rng(seed)
    first = next(iter(scenes.values()))
    H, W = (first[0] if isinstance(first, list) else first).shape[:2]
    # .avi: MJPG, every frame encoded on its own like a webcam's MJPEG stream (sensor noise survives;
    # mp4v smooths a still scene until a live camera looks frozen)
    fourcc = cv2.VideoWriter_fourcc(*("MJPG" if path.endswith(".avi") else "mp4v"))
    writer = cv2.VideoWriter(path, fourcc, fps, (W, H))
    assert writer.isOpened(), "VideoWriter failed for %s" % path
    timeline, n = [], 0
    for name, seconds in segments:
        start = n / fps
        clip = scenes[name] if isinstance(scenes[name], list) else [scenes[name]]
        for i in range(int(round(seconds * fps))):
            base = clip[i % len(clip)]
            if name in still:
                writer.write(base)
            else:
                noise = rng.normal(0, 2.0, base.shape).astype(np.int16)
                writer.write(np.clip(base.astype(np.int16) + noise, 0, 255).astype(np.uint8))
            n += 1
        timeline.append((name, start, n / fps))
    writer.release()
    return timeline


def ping_pong(frames: List[np.ndarray], first: int, last: int, crop: Optional[Box] = None,
              size: Tuple[int, int] = (640, 480)) -> List[np.ndarray]:
    """Frames first..last of a real clip played forth and back (a longer stretch of real motion),
    cropped to `crop` (x, y, w, h: a webcam's closer framing) and fitted to size."""
    if crop is not None:
        x, y, w, h = crop
        frames = [f[y:y + h, x:x + w] for f in frames]
    seq = [pad_to(f, size[0], size[1]) for f in frames[first:last + 1]]
    return seq + seq[-2:0:-1]
