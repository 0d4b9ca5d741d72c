"""Per-frame camera analysis time at 640x480 and 1280x720, median and p95:

- the in-exam CameraWatch (detect on a 320-px copy, track between detections, events) with each
  detector, on a live-like sequence: still webcam framings of four labelled photos with sensor noise
  (what a seated candidate looks like frame to frame) and the real clip (cuts and motion);
- the self-check's FrameAnalyzer (Haar on every frame) on independent frames, as before.

    .venv/bin/python bench/camera.py [--frames 60]"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import List

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from client.monitor.camera_watch import CameraWatch  # noqa: E402
from client.monitor.detectors import yuface_available  # noqa: E402
from client.monitor.events import policy_with  # noqa: E402
from client.monitor.frame_analysis import FrameAnalyzer  # noqa: E402
from tests.helpers.media import FACES_DIR as FACES  # noqa: E402


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


def live_sequence(width: int, height: int, per_scene: int) -> List[np.ndarray]:
    sys.path.insert(0, str(ROOT))
    from tests.helpers import media

    seq: List[np.ndarray] = []
    for name in ("obama-720p.jpg", "biden.jpg", "johnsnow_test1.jpg", "alex-lacamoire.png"):
        img, _ = media.webcam(name, width, height)
        seq += media.sensor_noise(img, per_scene, seed=len(seq))
    frames, _ = media.read_video(str(FACES / "short_hamilton_clip.mp4"))
    seq += [media.pad_to(f, width, height) for f in frames[::2]]
    return seq


def bench_watch(width: int, height: int, per_scene: int, detector: str) -> None:
    frames = live_sequence(width, height, per_scene)
    watch = CameraWatch(policy_with({"camera": {"detector": detector}}))
    watch.feed(frames[0], 0.0)
    times = []
    for i, f in enumerate(frames):
        t0 = time.perf_counter()
        watch.feed(f, 0.2 * (i + 1))
        times.append((time.perf_counter() - t0) * 1000.0)
    times.sort()
    tracker = watch.analyzer.tracker
    print("%4dx%-4d  %-7s frames %3d  median %6.1f ms  p95 %6.1f ms  max %6.1f ms  (detector ran on %d%% of frames)"
          % (width, height, detector, len(times), statistics.median(times), times[int(round(0.95 * (len(times) - 1)))],
             times[-1], round(100.0 * tracker.detections / max(1, tracker.frames))))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--frames", type=int, default=60, help="frames per still scene (and for FrameAnalyzer)")
    args = p.parse_args()
    print("CameraWatch per-frame time (goal: median <= 8 ms), OpenCV %s, %d threads, Python %s"
          % (cv2.__version__, cv2.getNumThreads(), sys.version.split()[0]))
    for w, h in ((640, 480), (1280, 720)):
        for det in (("yuface", "haar") if yuface_available() else ("haar",)):
            bench_watch(w, h, args.frames, det)
    print("FrameAnalyzer (self-check: Haar + profile on every frame) per-frame time")
    for w, h in ((640, 480), (1280, 720)):
        bench(w, h, args.frames)


if __name__ == "__main__":
    main()
