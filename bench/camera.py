"""Per-frame camera analysis time (FrameAnalyzer: downscale, Haar face detection, light, sharpness,
frozen check) at 640x480 and 1280x720, on real photos and the real video. Prints median and p95.

    .venv/bin/python bench/camera.py [--frames 60]

The detector works on a 320-px-wide copy, so the input size mostly costs the resize and the
frozen-picture sample. Faceless frames cost more (the profile cascade runs on every 10th)."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import List

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from client.monitor.frame_analysis import FrameAnalyzer  # noqa: E402

FACES = Path(os.environ.get("EXAMDESK_FACES_DIR", str(ROOT.parent / "shared" / "data" / "faces")))


def frames_at(width: int, height: int, n: int) -> List[np.ndarray]:
    """Real content: the labelled photos and video frames, letterboxed to width x height, with sensor noise."""
    sources = []
    for name in ("obama-720p.jpg", "johnsnow_test1.jpg", "rose_leslie_far.jpg", "alex-lacamoire.png"):
        img = cv2.imread(str(FACES / name))
        if img is not None:
            sources.append(img)
    cap = cv2.VideoCapture(str(FACES / "short_hamilton_clip.mp4"))
    while len(sources) < 24:
        ok, f = cap.read()
        if not ok:
            break
        sources.append(f)
    cap.release()
    if not sources:
        from skimage import data

        sources = [cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)]
    rng = np.random.default_rng(0)
    out = []
    for i in range(n):
        src = sources[i % len(sources)]
        h, w = src.shape[:2]
        s = min(width / float(w), height / float(h))
        small = cv2.resize(src, (int(w * s), int(h * s)), interpolation=cv2.INTER_AREA)
        frame = cv2.copyMakeBorder(small, 0, height - small.shape[0], 0, width - small.shape[1], cv2.BORDER_REPLICATE)
        noise = rng.normal(0, 2, frame.shape).astype(np.int16)
        out.append(np.clip(frame.astype(np.int16) + noise, 0, 255).astype(np.uint8))
    return out


def bench(width: int, height: int, n: int) -> None:
    frames = frames_at(width, height, n)
    analyzer = FrameAnalyzer()
    analyzer.analyze(frames[0])  # warm-up: cascades, allocations
    times, faces = [], 0
    for f in frames:
        t0 = time.perf_counter()
        m = analyzer.analyze(f)
        times.append((time.perf_counter() - t0) * 1000.0)
        faces += m.face_count == 1
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print("%4dx%-4d  frames %3d  median %6.1f ms  p95 %6.1f ms  max %6.1f ms  (one face in %d frames)"
          % (width, height, len(times), statistics.median(times), p95, times[-1], faces))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--frames", type=int, default=60)
    args = p.parse_args()
    print("FrameAnalyzer per-frame time, OpenCV %s, %d threads" % (cv2.__version__, cv2.getNumThreads()))
    for w, h in ((640, 480), (1280, 720)):
        bench(w, h, args.frames)


if __name__ == "__main__":
    main()
