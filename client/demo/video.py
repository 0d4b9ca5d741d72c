"""The demo camera: a 1280x720, 15 fps recording of a real face, made here from a real photo so that
nothing needs downloading and a good setup passes the camera checks cleanly.

The photo: a portrait from the test data set of real faces (EXAMDESK_FACES_DIR, or shared/data/faces
beside the checkout) when it is there, else scikit-image's astronaut (a NASA portrait, public domain,
installed with the development tools). The person moves a little, the sensor adds its noise (a live
camera never repeats a frame exactly), the background is the photo's own, blurred as a video call
does. Without either photo a drawn stand-in is used (it passes the face checks less reliably)."""
from __future__ import annotations

import logging
import math
import os
from pathlib import Path
from typing import Any, Optional, Tuple

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT, FPS = 1280, 720, 15
FACE_WIDTH = 0.19     # of the frame: the distance check's comfortable middle
FACE_CENTRE_Y = 0.40  # of the frame height: the upper half, room for the shoulders
PORTRAITS = ("rose_leslie.jpg", "obama2.jpg", "alex-lacamoire.png")
VIDEO_NAME = "demo-camera-1280x720-15fps.mp4"


def faces_dir() -> Optional[Path]:
    env = os.environ.get("EXAMDESK_FACES_DIR")
    candidates = [Path(env)] if env else []
    candidates += [up / "shared" / "data" / "faces" for up in (ROOT.parent, ROOT.parent.parent)]
    return next((c for c in candidates if c.is_dir()), None)


def real_face_photo() -> Tuple[Any, str]:
    """(BGR photo, where it came from), or (None, "") when no real photo is available."""
    import cv2

    folder = faces_dir()
    for name in PORTRAITS if folder else ():
        img = cv2.imread(str(folder / name), cv2.IMREAD_COLOR)  # type: ignore[operator]
        if img is not None:
            return img, name
    try:
        from skimage import data

        return data.astronaut()[:, :, ::-1].copy(), "scikit-image astronaut"
    except Exception:  # noqa: BLE001 - the drawn stand-in below
        return None, ""


def _largest_face(img: Any) -> Optional[Tuple[int, int, int, int]]:
    import cv2

    from client.monitor.frame_analysis import cascade_path

    casc = cv2.CascadeClassifier(cascade_path("haarcascade_frontalface_alt2.xml"))
    gray = cv2.equalizeHist(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY))
    faces = casc.detectMultiScale(gray, 1.1, 5, minSize=(30, 30))
    if not len(faces):
        return None
    x, y, w, h = max(faces, key=lambda f: int(f[2]) * int(f[3]))
    return int(x), int(y), int(w), int(h)


class Scene:
    """The photo scaled so the face sits where the framing guide wants it, over its blurred self."""

    def __init__(self, photo: Any) -> None:
        import cv2
        import numpy as np

        face = _largest_face(photo)
        if face is None:
            raise ValueError("no face found in the demo photo")
        x, y, w, h = face
        s = FACE_WIDTH * WIDTH / w
        self.fg = cv2.resize(photo, None, fx=s, fy=s, interpolation=cv2.INTER_CUBIC if s > 1 else cv2.INTER_AREA)
        self.face_x, self.face_y = (x + w / 2.0) * s, (y + h / 2.0) * s
        cover = max(WIDTH / photo.shape[1], HEIGHT / photo.shape[0]) * 1.15
        bg = cv2.resize(photo, None, fx=cover, fy=cover, interpolation=cv2.INTER_AREA)
        by, bx = (bg.shape[0] - HEIGHT) // 2, (bg.shape[1] - WIDTH) // 2
        self.bg = cv2.GaussianBlur(bg[by:by + HEIGHT, bx:bx + WIDTH], (0, 0), 25)
        alpha = np.ones(self.fg.shape[:2], np.float32)   # soft edges: the portrait melts into its background
        feather = max(8, self.fg.shape[1] // 8)
        ramp = np.linspace(0.0, 1.0, feather, dtype=np.float32)
        alpha[:, :feather] *= ramp[None, :]
        alpha[:, -feather:] *= ramp[::-1][None, :]
        top = max(8, self.fg.shape[0] // 10)
        alpha[:top, :] *= np.linspace(0.0, 1.0, top, dtype=np.float32)[:, None]
        self.w_fg, self.w_bg = alpha, np.ascontiguousarray(1.0 - alpha)
        rng = np.random.default_rng(3)
        noise = [rng.normal(0.0, 2.0, (HEIGHT, WIDTH, 3)) for _ in range(7)]
        self.noise_up = [np.clip(n, 0, 255).astype(np.uint8) for n in noise]
        self.noise_down = [np.clip(-n, 0, 255).astype(np.uint8) for n in noise]

    def frame(self, i: int) -> Any:
        import cv2
        import numpy as np

        t = i / float(FPS)   # head movement that loops every 8 s: the file can repeat without a jump
        dx = int(round(7 * math.sin(2 * math.pi * t / 4.0)))
        dy = int(round(3 * math.sin(2 * math.pi * t / (8.0 / 3.0))))
        ox = int(WIDTH / 2 - self.face_x) + dx
        oy = int(FACE_CENTRE_Y * HEIGHT - self.face_y) + dy
        frame = self.bg.copy()
        x0, y0 = max(0, ox), max(0, oy)
        x1, y1 = min(WIDTH, ox + self.fg.shape[1]), min(HEIGHT, oy + self.fg.shape[0])
        cut = (slice(y0 - oy, y1 - oy), slice(x0 - ox, x1 - ox))
        frame[y0:y1, x0:x1] = cv2.blendLinear(np.ascontiguousarray(self.fg[cut]),
                                              np.ascontiguousarray(frame[y0:y1, x0:x1]),
                                              np.ascontiguousarray(self.w_fg[cut]), np.ascontiguousarray(self.w_bg[cut]))
        k = i % len(self.noise_up)
        return cv2.subtract(cv2.add(frame, self.noise_up[k]), self.noise_down[k])


def drawn_frame(i: int) -> Any:
    """A drawn 'candidate at a desk' for machines without any real photo."""
    import cv2
    import numpy as np

    dx = int(8 * math.sin(i / 8.0))
    frame = np.full((HEIGHT, WIDTH, 3), (200, 190, 178), np.uint8)
    cv2.rectangle(frame, (0, 560), (WIDTH, HEIGHT), (120, 100, 90), -1)
    cv2.ellipse(frame, (640 + dx, 600), (260, 170), 0, 180, 360, (90, 70, 60), -1)
    cv2.circle(frame, (640 + dx, 290), 125, (150, 175, 215), -1)
    cv2.circle(frame, (597 + dx, 262), 12, (40, 40, 40), -1)
    cv2.circle(frame, (683 + dx, 262), 12, (40, 40, 40), -1)
    cv2.ellipse(frame, (640 + dx, 345), (40, 16), 0, 0, 180, (60, 60, 120), 5)
    return frame


def make_demo_video(path: str, seconds: float = 8.0, fps: int = FPS) -> str:
    """Write the demo camera recording (mp4v) to `path`; returns the path."""
    import cv2

    photo, source = real_face_photo()
    scene: Optional[Scene] = None
    if photo is not None:
        try:
            scene = Scene(photo)
        except ValueError as e:
            log.warning("demo camera: %s (%s); using the drawn stand-in", e, source)
    writer = cv2.VideoWriter(path + ".tmp.mp4", cv2.VideoWriter.fourcc(*"mp4v"), fps, (WIDTH, HEIGHT))
    if not writer.isOpened():
        raise RuntimeError("cv2.VideoWriter cannot write %s" % path)
    try:
        for i in range(int(round(seconds * fps))):
            frame = scene.frame(i * FPS // fps) if scene is not None else drawn_frame(i)
            cv2.putText(frame, "DEMO", (18, 44), cv2.FONT_HERSHEY_SIMPLEX, 1.1, (30, 30, 170), 3)
            writer.write(frame)
    finally:
        writer.release()
    os.replace(path + ".tmp.mp4", path)   # whole or not at all: a demo started again reuses it
    log.info("demo camera: %s from %s", path, source or "a drawing")
    return path
