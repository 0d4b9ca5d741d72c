"""Evidence per exam hour: a scripted hour of webcam and room sound with 10 incidents (absence, a second
person, a hand over the face, talking, a covered lens) run through the real MonitorPipeline in media
time, as fast as it goes, with snippets and snapshots sealed exactly as in the exam. Then the files go
up to the real server on loopback by tus through a TCP proxy that counts the bytes on the wire, with
the event ops; heartbeats are counted from real ones. Prints MB per hour (goal <= 30), the largest
snippet (goal <= 200 KB per 10 s) and the average upstream in kbps (goal <= 100).

    .venv/bin/python bench/evidence.py [MINUTES]
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey  # noqa: E402

from client.monitor.capture import LIVE  # noqa: E402
from client.monitor.evidence import EvidenceRecorder  # noqa: E402
from client.monitor.pipeline import MonitorPipeline  # noqa: E402
from examcore.keys import b64e, raw_public  # noqa: E402
from examcore.monitor_policy import monitor_policy  # noqa: E402
from tests.helpers import media, scenes  # noqa: E402
from tests.helpers.exam_client import started_service, wait_for  # noqa: E402
from tests.helpers.fixtures import make_sitting  # noqa: E402
from tests.helpers.flaky_proxy import FlakyProxy  # noqa: E402
from tests.helpers.server import LiveServer  # noqa: E402

FPS = 15.0
# (minute, scene or "talk", seconds): ten incidents spread over the hour
INCIDENTS = [(3, "empty", 9), (9, "two", 5), (15, "hand", 7), (21, "talk", 6), (27, "black", 5),
             (33, "empty", 12), (39, "two", 4), (45, "talk", 6), (51, "hand", 6), (56, "empty", 8)]


def script(minutes: float):
    """[(t0, t1, scene)] over the hour: the candidate at the desk, with the incidents laid in."""
    scale = minutes / 60.0
    out = []
    for minute, scene, seconds in INCIDENTS:
        out.append((minute * 60.0 * scale, minute * 60.0 * scale + seconds, scene))
    return out


def main() -> None:
    minutes = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    hour_s = minutes * 60.0
    tmp = Path(tempfile.mkdtemp(prefix="examdesk-bench-evidence-"))
    key = X25519PrivateKey.generate()
    try:
        sc = scenes.candidate_scenes()
        rng = np.random.default_rng(5)
        # a live sensor's noise: 12 noisy copies of each scene, cycled (a frozen picture would be an event)
        variants = {name: media.sensor_noise(img, 12, seed=i) for i, (name, img) in enumerate(sc.items())}
        voice = scenes.speech(tmp)
        plan = script(minutes)
        pol = monitor_policy()
        rec = EvidenceRecorder(str(tmp / "evidence"), b64e(raw_public(key.public_key())), "bench", pol["evidence"],
                               threaded=False)
        events = []
        pipeline = MonitorPipeline(pol, lambda ev: events.append(ev) or len(events), rec,
                                   server_ms=lambda t: int(t * 1000))
        pipeline.camera_status(LIVE, "frames arrive", 0.0)
        started, cpu0 = time.perf_counter(), time.process_time()
        n_frames = int(hour_s * FPS)
        block = 1600                                  # 0.1 s at 16 kHz
        audio_t = 0.0
        next_tick = 0.0
        for i in range(n_frames):
            t = i / FPS
            scene = next((s for a, b, s in plan if a <= t < b and s != "talk"), "good")
            frame = variants[scene][i % 12]
            while audio_t <= t:
                samples = rng.normal(0, 60, block)   # a quiet room, about -55 dBFS
                for a, b, s in plan:
                    if s == "talk" and a <= audio_t < b:
                        j = int((audio_t - a) * 16000) % max(1, len(voice) - block)
                        samples = samples + voice[j:j + block]
                pipeline.audio(samples.astype(np.int16), 16000, audio_t)
                audio_t += 0.1
            pipeline.frame(frame, t)
            if i % 3 == 0:
                pipeline.analyse(frame, t)
            if t >= next_tick:
                pipeline.tick(t)
                next_tick = t + 0.2
        pipeline.close(hour_s)
        run_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu0
        written = rec.written
        snippets = [w for w in written if w["kind"] == "snippet"]
        snapshots = [w for w in written if w["kind"] == "snapshot"]
        total = sum(w["bytes"] for w in written)
        starts = [e.type for e in events if e.state == "start"]
        print("scripted %.0f min in media time (%.0f s wall, %.0f s CPU, %.1fx real time); %d incidents -> events %s"
              % (minutes, run_s, cpu_s, hour_s / run_s, len(INCIDENTS), starts))
        print("  snippets: %d, %.1f KB on average, largest %.1f KB (goal <= 200 KB per 10 s)"
              % (len(snippets), sum(w["bytes"] for w in snippets) / max(1, len(snippets)) / 1000.0,
                 max([w["bytes"] for w in snippets] + [0]) / 1000.0))
        print("  snapshots: %d, %.1f KB on average" % (len(snapshots), sum(w["bytes"] for w in snapshots)
                                                       / max(1, len(snapshots)) / 1000.0))
        print("  evidence: %.2f MB in %.0f min%s (goal <= 30 MB per hour)"
              % (total / 1e6, minutes, "" if minutes == 60 else " (the 10 incidents squeezed into it)"))
        upstream(tmp, rec, events, hour_s, minutes)
    finally:
        shutil.rmtree(str(tmp), ignore_errors=True)


def upstream(tmp: Path, rec: EvidenceRecorder, events, hour_s: float, minutes: float) -> None:
    """Upload the hour's evidence with its events through the real client and server; count the wire."""
    server = LiveServer(tmp / "server").start()
    proxy = FlakyProxy(server.port, cut_probability=0.0)
    svc = None
    try:
        sitting = make_sitting(server)
        svc = started_service(sitting, tmp / "client", server_url=proxy.url, heartbeat_interval_s=0.5)
        wait_for(lambda: svc.sync_status().pending_ops == 0, what="start-up sync")
        time.sleep(1.0)
        hb0, up0 = heartbeat_count(sitting), proxy.bytes_up
        time.sleep(5.0)                                   # heartbeats only: what one costs on the wire
        hb1, up1 = heartbeat_count(sitting), proxy.bytes_up
        per_heartbeat = (up1 - up0) / max(1, hb1 - hb0)
        svc.config.heartbeat_interval_s = 3600.0
        seqs = {}
        up_events = proxy.bytes_up
        for i, ev in enumerate(events):
            seqs[i + 1] = svc.report_event(ev.type, ev.severity, dict(ev.detail, state=ev.state, action=ev.action))
        last = max(seqs.values())
        wait_for(lambda: svc.journal.acked(sitting.sitting_id)[0] >= last, what="events delivered")
        ops_bytes = proxy.bytes_up - up_events
        up_files = proxy.bytes_up
        for w in rec.written:
            seq = seqs.get(w["event_seq"]) if w.get("event_seq") else None
            svc.attach_evidence(w["path"], "snapshot" if w["kind"] == "snapshot" else "evidence", seq)
        wait_for(lambda: all(u["status"] == "verified" for u in svc.journal.uploads()), timeout=600,
                 what="every file verified")
        files_bytes = proxy.bytes_up - up_files
        payload = sum(w["bytes"] for w in rec.written)
        heartbeats = per_heartbeat * hour_s / 15.0      # the shipped interval
        total = files_bytes + ops_bytes + heartbeats
        print("  upstream for the hour: evidence %.2f MB on the wire (%.2f MB of files, tus/HTTP %.1f %%), "
              "event ops %.1f KB, heartbeats %.1f KB (%.0f B each, every 15 s)"
              % (files_bytes / 1e6, payload / 1e6, 100.0 * (files_bytes - payload) / max(1, payload),
                 ops_bytes / 1e3, heartbeats / 1e3, per_heartbeat))
        print("  average upstream: %.1f kbps (goal <= 100 kbps = 0.1 Mbps)" % (total * 8 / hour_s / 1000.0))
    finally:
        if svc is not None:
            svc.close()
        proxy.close()
        server.stop()


def heartbeat_count(sitting) -> int:
    body = sitting.server.admin_json("GET", "/admin/sittings/%s/timeline" % sitting.sitting_id)
    return sum(1 for e in body["entries"] if e["type"] == "heartbeat")


if __name__ == "__main__":
    main()
