"""The proctor console's grid refresh: server time per refresh and bytes sent, for one room of 60
candidates and for a proctor watching 4 such rooms (240 candidates), mid-exam.

The data is written straight into the server's SQLite first (papers, candidates, rooms through the
registry; per sitting: answers, events with warnings and alerts, a heartbeat history, snapshots and
commands as rows), then the real server serves it on loopback while every candidate keeps sending a
heartbeat every 15 s. Server time comes from the server's own request log (the `ms` of each request),
CPU time per refresh from /proc; the floor is /api/v1/healthz measured in the same run.

    .venv/bin/python bench/console_grid.py [--rooms 4] [--per-room 60] [--heartbeats 240] [--refreshes 60]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Dict, List

import requests
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from server.console.accounts import upsert_account  # noqa: E402
from server.context import ServerContext, Settings  # noqa: E402
from server.db import Candidate, Command, Heartbeat, Op, Sitting, Token, Upload  # noqa: E402
from server.registry import create_room, import_paper  # noqa: E402
from server.security import hash_password, token_digest  # noqa: E402
from tests.console.kit import jpeg_snapshot  # noqa: E402
from tests.helpers.papers import sample_paper  # noqa: E402
from tests.helpers.server import LiveServer  # noqa: E402

EVENTS = [("camera.face_absent", "warn"), ("lockdown.focus_lost", "warn"), ("camera.multiple_faces", "alert"),
          ("audio.talking", "warn"), ("lockdown.key_blocked", "info"), ("camera.dark", "warn")]


def pct(xs: List[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def fill(data_dir: Path, rooms: int, per_room: int, heartbeats: int) -> Dict[str, Any]:
    ctx = ServerContext(Settings(data_dir=data_dir, admin_token="bench-admin"))
    rng = random.Random(7)
    try:
        pid = import_paper(ctx, sample_paper("bench-paper"))["paper_id"]
        pw = hash_password("bench-cand")   # one hash for all: scrypt is not what is measured here
        now = ctx.now_ms()
        start = now - 60 * 60 * 1000          # an hour into the exam
        with ctx.db.write() as s:
            for i in range(rooms * per_room):
                s.add(Candidate(ticket="B%05d" % i, id_number="ID%05d" % i, name="考生%d" % i, level="中级",
                                password_hash=pw, prior_attempts={}, created_at_ms=now))
        upsert_account(ctx, "bench-proctor", "基准监考", "proctor", "bench-pass-1")
        room_ids = []
        for r in range(rooms):
            tickets = ["B%05d" % i for i in range(r * per_room, (r + 1) * per_room)]
            proctors = ["bench-proctor"] + ["other-%d-%d" % (r, k) for k in range(max(1, -(-per_room // 15)))]
            room_ids.append(create_room(ctx, pid, "theory", "formal", start, 7200, tickets, proctors)["room_id"])
        snap = jpeg_snapshot()
        with ctx.db.write() as s:
            sittings = list(s.scalars(select(Sitting)))
            for row in sittings:
                sid = row.sitting_id
                seq = 0
                for k in range(50):   # answers through the hour
                    seq += 1
                    s.add(Op(sitting_id=sid, seq=seq, kind="answer", payload={"question_id": "q%d" % (1 + k % 4),
                                                                              "value": "B"},
                             t_exam_ms=k * 60_000, hash="0" * 64, received_at_ms=start + k * 60_000, late=False,
                             source="online"))
                for k in range(rng.randint(0, 8)):   # a few events, some warnings and alerts
                    type_, sev = rng.choice(EVENTS)
                    for state in ("start", "end"):
                        seq += 1
                        s.add(Op(sitting_id=sid, seq=seq, kind="event",
                                 payload={"type": type_, "severity": sev, "detail": {"state": state}},
                                 t_exam_ms=k * 300_000 + (20_000 if state == "end" else 0), hash="0" * 64,
                                 received_at_ms=start + k * 300_000, late=False, source="online"))
                for k in range(heartbeats):   # every 15 s
                    s.add(Heartbeat(sitting_id=sid, received_at_ms=now - (heartbeats - k) * 15_000,
                                    body={"state": "in_exam", "camera": "live", "microphone": "ok", "lockdown": "on",
                                          "phone": "ok", "network": "online", "pending_ops": 0, "pending_uploads": 0,
                                          "acked_commands": []}))
                for k in range(6):   # a snapshot every 10 minutes
                    uid = "%032x" % rng.getrandbits(128)
                    (ctx.upload_dir / (uid + ".bin")).write_bytes(snap)
                    s.add(Upload(upload_id=uid, sitting_id=sid, ticket=row.ticket, filename="snap.jpg",
                                 filetype="image/jpeg", purpose="snapshot", size=len(snap), offset=len(snap),
                                 sha256="0" * 64, status="verified", created_at_ms=start + k * 600_000,
                                 completed_at_ms=start + k * 600_000))
                s.add(Command(sitting_id=sid, type="message", body={"text": "请坐正"}, created_at_ms=start,
                              acked_at_ms=start + 15_000))
                row.acked_seq = seq
            for row in sittings:   # a live session per candidate, without paying scrypt 240 times
                s.add(Token(token_sha256=token_digest("bench-" + row.ticket), ticket=row.ticket,
                            expires_at_ms=now + 86_400_000, revoked=False))
            beats = [(row.sitting_id, "bench-" + row.ticket) for row in sittings]
        return {"room_ids": room_ids, "sittings": rooms * per_room, "beats": beats}
    finally:
        ctx.close()


class Heartbeats(threading.Thread):
    """Every candidate's client beating every 15 s, as in a real exam, while the grid is measured."""

    def __init__(self, url: str, beats: List[Any], interval_s: float = 15.0) -> None:
        super().__init__(daemon=True)
        self.url, self.beats, self.gap = url, beats, interval_s / max(1, len(beats))
        self.stop = threading.Event()
        self.sent = 0

    def run(self) -> None:
        http = requests.Session()
        body = {"state": "in_exam", "camera": "live", "microphone": "ok", "lockdown": "on", "phone": "ok",
                "network": "online", "pending_ops": 0, "pending_uploads": 0, "acked_commands": []}
        while not self.stop.is_set():
            for sid, token in self.beats:
                if self.stop.wait(self.gap):
                    return
                http.post("%s/api/v1/sittings/%s/heartbeat" % (self.url, sid), json=body,
                          headers={"Authorization": "Bearer " + token}, timeout=30)
                self.sent += 1


def server_ms(log: Path, since: int, path: str) -> List[float]:
    out = []
    with open(log, encoding="utf-8", errors="replace") as f:
        f.seek(since)
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if rec.get("msg") == "request" and rec.get("path") == path and rec.get("status") in (200, 304):
                out.append(float(rec["ms"]))
    return out


def cpu_ms(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), in ms: robust to a busy machine."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")


BACKGROUND = {"cpu_ms_per_s": 0.0}   # the heartbeats' own CPU, taken out of each refresh's share


def background_cpu(srv: LiveServer, seconds: float = 5.0) -> float:
    assert srv.proc is not None
    c0, t0 = cpu_ms(srv.proc.pid), time.monotonic()
    time.sleep(seconds)
    BACKGROUND["cpu_ms_per_s"] = (cpu_ms(srv.proc.pid) - c0) / (time.monotonic() - t0)
    return BACKGROUND["cpu_ms_per_s"]


def measure(srv: LiveServer, http: requests.Session, path: str, n: int, headers: Dict[str, str]) -> Dict[str, Any]:
    since = srv.log_path.stat().st_size
    assert srv.proc is not None
    cpu0, t0 = cpu_ms(srv.proc.pid), time.monotonic()
    client, wire = [], []
    etag = None
    for _ in range(n):
        t = time.perf_counter()
        r = http.get(srv.url + path, headers=headers, stream=True, timeout=60)
        body = r.raw.read(decode_content=False)
        client.append((time.perf_counter() - t) * 1000)
        assert r.status_code in (200, 304), r.status_code
        wire.append(len(body) + sum(len(k) + len(v) + 4 for k, v in r.headers.items()) + 17)
        etag = r.headers.get("etag") or etag
    cpu = max(0.0, cpu_ms(srv.proc.pid) - cpu0 - BACKGROUND["cpu_ms_per_s"] * (time.monotonic() - t0)) / n
    time.sleep(0.3)   # the log line is written after the response
    return {"server": server_ms(srv.log_path, since, path.split("?")[0]), "client": client, "wire": wire, "etag": etag,
            "cpu": cpu}


def line(name: str, m: Dict[str, Any], floor: float) -> None:
    s = m["server"]
    print("%-40s server p50 %6.1f ms p99 %6.1f ms (x%.0f floor), CPU %5.1f ms; client p50 %6.1f ms; wire %7d B"
          % (name, statistics.median(s), pct(s, 99), statistics.median(s) / floor, m["cpu"],
             statistics.median(m["client"]), int(statistics.median(m["wire"]))))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rooms", type=int, default=4)
    ap.add_argument("--per-room", type=int, default=60)
    ap.add_argument("--heartbeats", type=int, default=240, help="heartbeat history per sitting (240 = one hour)")
    ap.add_argument("--refreshes", type=int, default=60)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "srv"
        t0 = time.monotonic()
        world = fill(data, args.rooms, args.per_room, args.heartbeats)
        print("filled %d sittings in %d rooms (%d heartbeats, 50 answers, 0-8 flagged events, 6 snapshots each) "
              "in %.0f s" % (world["sittings"], args.rooms, args.heartbeats, time.monotonic() - t0))
        srv = LiveServer(data).start()
        try:
            r = requests.post(srv.url + "/console/api/login", json={"username": "bench-proctor",
                                                                    "password": "bench-pass-1"}, timeout=60)
            r.raise_for_status()
            http = requests.Session()
            http.headers["Authorization"] = "Bearer " + r.json()["token"]
            load = Heartbeats(srv.url, world["beats"])
            load.start()
            for _ in range(3):   # warm-up
                http.get(srv.url + "/console/api/grid", timeout=60)
            print("the heartbeats alone: %.1f ms of server CPU per second (taken out of the CPU figures below)"
                  % background_cpu(srv))
            floor_m = measure(srv, http, "/api/v1/healthz", args.refreshes, {})
            floor = statistics.median(floor_m["server"])
            print("%-40s server p50 %6.2f ms, CPU %5.2f ms" % ("floor: /api/v1/healthz", floor, floor_m["cpu"]))
            one = "/console/api/rooms/%s/grid" % world["room_ids"][0]
            for name, path in (("1 room of %d, " % args.per_room, one),
                               ("%d rooms (%d), " % (args.rooms, world["sittings"]), "/console/api/grid")):
                full = measure(srv, http, path, args.refreshes, {"Accept-Encoding": "identity"})
                line(name + "full JSON", full, floor)
                gz = measure(srv, http, path, args.refreshes, {"Accept-Encoding": "gzip"})
                line(name + "gzip", gz, floor)
                same = measure(srv, http, path, args.refreshes, {"Accept-Encoding": "gzip",
                                                                  "If-None-Match": gz["etag"]})
                line(name + "304", same, floor)
                print("%-40s %.1f %% of one core per proctor polling every 3 s (the grid changed every time)"
                      % ("", gz["cpu"] / 3000.0 * 100))
            load.stop.set()
            load.join(30)
            print("(%d heartbeats arrived meanwhile, %.0f per second)" % (load.sent, len(world["beats"]) / 15.0))
        finally:
            srv.stop()


if __name__ == "__main__":
    main()
