"""`examdesk monitor`: the in-exam monitor over recorded media, for support staff and tests.

    examdesk monitor --camera VIDEO [--microphone-file WAV] [--json] [--evidence-dir DIR]
                     [--policy FILE.json] [--sealing-key B64|FILE]

Runs the exam's own pipeline (face and room watch, microphone watch, evidence snippets and snapshots)
in media time, as fast as it can, and prints one JSON object (--json) or a short table: the events
with their start and end in media seconds, and the evidence files written. Without --sealing-key the
evidence is written as plain files (video.mp4, audio.wav, snapshot.jpg) to look at; with the server's
sealing key it is sealed exactly as in the exam. Exit 0 on success, 2 for unreadable input.
docs/proctoring.md explains the output.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from typing import Any, Dict, List, Optional


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="examdesk monitor",
                                description="在录制的视频/音频上运行考试监控 / run the in-exam monitor over recorded media")
    p.add_argument("--camera", required=True, metavar="VIDEO", help="a recorded video (what the webcam saw)")
    p.add_argument("--microphone-file", metavar="WAV", help="a recorded PCM WAV (what the microphone heard)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--evidence-dir", metavar="DIR", help="write snippets and snapshots here")
    p.add_argument("--policy", metavar="FILE", help='JSON: the "monitor" policy section (or a whole policy with one)')
    p.add_argument("--sealing-key", metavar="B64|FILE", help="seal the evidence to this X25519 key (base64)")
    return p


def _key(spec: Optional[str]) -> Optional[str]:
    if not spec:
        return None
    if os.path.isfile(spec):
        with open(spec, encoding="utf-8") as f:
            return f.read().strip()
    return spec.strip()


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=os.environ.get("EXAMDESK_LOG_LEVEL", "WARNING").upper(), stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    from client.monitor.recorded import MediaError, events_json, run_recorded
    from examcore.errors import ExamError
    from examcore.monitor_policy import PolicyError

    try:
        policy: Optional[Dict[str, Any]] = None
        if args.policy:
            with open(args.policy, encoding="utf-8-sig") as f:
                policy = json.load(f)
            if isinstance(policy, dict) and isinstance(policy.get("monitor"), dict):
                policy = policy["monitor"]
        started = time.perf_counter()
        report, recorder, pipeline = run_recorded(args.camera, args.microphone_file, policy, args.evidence_dir,
                                                  _key(args.sealing_key))
        elapsed = time.perf_counter() - started
    except (MediaError, ExamError) as e:
        sys.stderr.write("错误：%s\nerror: %s\n" % (e.message_zh, e.message_en))
        return 2
    except (PolicyError, OSError, ValueError) as e:   # a bad policy file, an unreadable path
        zh = en = str(e)
        sys.stderr.write("错误：%s\nerror: %s\n" % (zh, en))
        return 2
    events = events_json(report)
    evidence = []
    for w in (recorder.written if recorder is not None else []):
        evidence.append({"kind": w["kind"], "event_seq": w.get("event_seq"), "event_type": w.get("event_type"),
                         "start": w["t0"], "end": w["t1"], "bytes": w["bytes"], "files": w["paths"],
                         "members": w["members"], "sealed": bool(args.sealing_key)})
    out = {"camera": os.path.abspath(args.camera),
           "microphone": os.path.abspath(args.microphone_file) if args.microphone_file else None,
           "video_s": round(report.video_s, 3), "audio_s": round(report.audio_s, 3), "fps": round(report.fps, 3),
           "size": list(report.size), "frames": report.frames, "captured": report.captured,
           "analysed": report.analysed, "detector": pipeline.camera_watch.detector_name,
           "vad": pipeline.audio_watch.vad.name, "elapsed_s": round(elapsed, 3),
           "speed": round(max(report.video_s, report.audio_s) / elapsed, 1) if elapsed > 0 else None,
           "events": events, "evidence": evidence,
           "evidence_skipped": recorder.skipped if recorder is not None else []}
    if args.json:
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("%.1f s of video, %.1f s of audio, %d frames analysed (%s, %s) in %.1f s\n"
                         % (report.video_s, report.audio_s, report.analysed, out["detector"], out["vad"], elapsed))
        for item in events:
            end = "%.1f" % item["end"] if item["end"] is not None else "-"
            sys.stdout.write("  %-24s %7.1f .. %-7s %s\n" % (item["type"], item["start"], end, item["action"]))
        for ev in evidence:
            sys.stdout.write("  evidence %-8s %6d bytes  %s\n" % (ev["kind"], ev["bytes"], ev["files"][0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
