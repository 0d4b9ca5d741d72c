"""The whole in-exam monitor for 60 s in real time: camera capture at 640x480 / 15 fps (a recorded webcam
video paced like a live camera, through cv2.VideoCapture), the face/room analysis at 5 fps, the
microphone watch (recorded room sound with speech, paced in real time through the capture thread),
evidence snippets and snapshots sealed to a key. Prints CPU % of one core and RSS (goals: <= 10 %,
<= 300 MB), next to the floor measured in the same run: the paced capture alone (decoding the video
at 15 fps with nothing consuming it), which a live camera's driver replaces.

    .venv/bin/python bench/pipeline.py [SECONDS]
"""
from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
import psutil  # noqa: E402

from client.exam import api  # noqa: E402
from client.monitor.camera_source import source_for  # noqa: E402
from client.monitor.capture import CameraCapture  # noqa: E402
from client.monitor.mic_check import ArrayInput  # noqa: E402
from client.proctoring.session import ProctoringSession  # noqa: E402
from tests.helpers import media, scenes  # noqa: E402
from tests.helpers.fake_engine import FakeEngine  # noqa: E402


def cpu_and_rss(seconds: float, proc: psutil.Process):
    """(CPU % of one core over the window, peak RSS MB) while the caller's threads run."""
    t0, c0 = time.monotonic(), proc.cpu_times()
    peak = proc.memory_info().rss
    while time.monotonic() - t0 < seconds:
        time.sleep(0.5)
        peak = max(peak, proc.memory_info().rss)
    c1, wall = proc.cpu_times(), time.monotonic() - t0
    return 100.0 * ((c1.user - c0.user) + (c1.system - c0.system)) / wall, peak / 2 ** 20


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    tmp = Path(tempfile.mkdtemp(prefix="examdesk-bench-pipeline-"))
    proc = psutil.Process()
    try:
        sc = scenes.candidate_scenes()
        # a webcam's MJPEG-like stream: every frame coded on its own, live sensor noise
        tl = media.scenario_video(str(tmp / "webcam.avi"), [("good", 20), ("empty", 8), ("good", 20), ("two", 6),
                                                           ("good", 6)], sc, fps=15.0)
        wav, _ = scenes.room_with_speech(tmp, tl[-1][2], [40.0])
        samples, rate = scenes.read_wav(wav)

        # the floor: the paced capture alone
        floor_cap = CameraCapture(lambda: source_for(str(tmp / "webcam.avi"), pace=True, loop=True), fps=15.0)
        floor_cap.subscribe(lambda f, t: None, 0.0)
        floor_cap.start()
        time.sleep(2.0)
        floor_cpu, _ = cpu_and_rss(min(20.0, seconds / 3), proc)
        floor_frames = floor_cap.frames
        floor_cap.stop()

        engine = FakeEngine()
        engine.set_state(api.WAITING)
        rss_before = proc.memory_info().rss / 2 ** 20

        def capture(on_status):
            return CameraCapture(lambda: source_for(str(tmp / "webcam.avi"), pace=True, loop=True), on_status=on_status)

        def microphone():
            return ArrayInput(samples.astype(np.float32) / 32768.0, rate, realtime=True, name="recorded room")

        session = ProctoringSession(engine, capture, microphone, str(tmp / "evidence"))
        times = []
        engine.set_state(api.IN_EXAM)
        assert session.pipeline is not None and session.monitor is not None
        watch = session.pipeline.camera_watch
        feed = watch.feed

        def timed_feed(frame, t):
            started = time.perf_counter()
            try:
                return feed(frame, t)
            finally:
                times.append((time.perf_counter() - started) * 1000.0)
        watch.feed = timed_feed  # type: ignore[method-assign]
        time.sleep(2.0)                                     # past start-up (detector load, first snapshot)
        cpu, peak = cpu_and_rss(seconds, proc)
        monitor, capture_obj = session.monitor, session.capture
        frames = capture_obj.frames if capture_obj else 0
        analysed, dropped = monitor.analysed, monitor.dropped
        session.stop()
        evidence = [os.path.getsize(p) for p, _, _ in engine.evidence]
        events = [t for _, t, _, d in engine.reported if d.get("state") == "start"]
        print("whole monitor, %.0f s at 640x480, 15 fps capture, analysis at 5 fps (%s), microphone watch, evidence:"
              % (seconds, watch.detector_name))
        print("  CPU %.1f %% of one core (goal <= 10 %%); floor (paced capture alone) %.1f %%; ratio %.2f"
              % (cpu, floor_cpu, cpu / floor_cpu if floor_cpu > 0 else float("nan")))
        print("  RSS peak %.0f MB (goal <= 300 MB); %.0f MB before the exam started" % (peak, rss_before))
        print("  frames captured %d (%.1f fps; floor run %d), analysed %d (%.1f fps), dropped for a busy analysis %d"
              % (frames, frames / (seconds + 2.0), floor_frames, analysed, analysed / (seconds + 2.0), dropped))
        if times:
            print("  analysis per frame: median %.1f ms, p95 %.1f ms" % (statistics.median(times),
                                                                      sorted(times)[int(0.95 * len(times))]))
        print("  events %s; evidence files %d, %d bytes; threads %d" % (events, len(evidence), sum(evidence),
                                                                        threading.active_count()))
    finally:
        shutil.rmtree(str(tmp), ignore_errors=True)


if __name__ == "__main__":
    main()
