"""locustfile for bench/server_load.py: simulated candidates in an exam (FastHttpUser).

Each candidate logs in, downloads the paper and its key, then heartbeats every 10 s, posts an answer op
every ~20 s, uploads a camera snapshot every 60 s (tus create + one PATCH), and submits when stopped.
The timers start once the candidate has checked in, each at a random phase, so a step of N users is in its
steady state at once. As the real client (client/sync/worker.py): one request at a time per candidate, the
next heartbeat a period after the last one answered, and a timer that fell behind fires once, not once for
every period it missed (a late heartbeat is not sent twice; answers made meanwhile go in one batch).
BARE=1: the same schedule, every request to GET /api/v1/healthz (the ceiling: what the stack costs with
no work behind it). Stages (users, seconds to hold) come from STAGES; each hold window's latencies go
to RESULTS (JSON lines) and the run stops after the first stage whose p99 misses the target.
"""
from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

from locust import LoadTestShape, events
from locust.contrib.fasthttp import FastHttpUser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examcore.chain import genesis, op_hash  # noqa: E402

HEARTBEAT_S, OP_S, SNAPSHOT_S = 10.0, 20.0, 60.0
SNAPSHOT = os.urandom(24 * 1024)  # a 640x360 JPEG is about this size
SNAPSHOT_SHA = hashlib.sha256(SNAPSHOT).hexdigest()
BARE = os.environ.get("BARE") == "1"
CANDIDATES = [json.loads(line) for line in open(os.environ["CANDIDATES"], encoding="utf-8")] if not BARE else []
STAGES = json.loads(os.environ.get("STAGES", "[[100, 10]]"))
SPAWN_RATE = float(os.environ.get("SPAWN_RATE", "200"))
SETTLE_S = float(os.environ.get("SETTLE_S", "10"))  # a heartbeat period: the check-in storm drained, every timer in step
TARGET_P99_MS = float(os.environ.get("TARGET_P99_MS", "200"))
RESULTS = os.environ.get("RESULTS", "load-results.jsonl")
_next = itertools.count()
_window = {"open": False, "ms": [], "fail": 0, "names": {}}
_ready = {"n": 0}  # users past on_start (logged in, paper downloaded)
READY_TIMEOUT_S = float(os.environ.get("READY_TIMEOUT_S", "180"))
EXAM_TIME = ("heartbeat", "op", "snapshot create", "snapshot patch", "bare")


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kw):
    if _window["open"] and name in EXAM_TIME:
        _window["ms"].append(response_time)
        _window["names"][name] = _window["names"].get(name, 0) + 1
        if exception is not None:
            _window["fail"] += 1


def _meta(**kv: str) -> str:
    return ",".join("%s %s" % (k, base64.b64encode(v.encode()).decode()) for k, v in kv.items())


class Candidate(FastHttpUser):
    connection_timeout = 30.0
    network_timeout = 30.0

    def on_start(self) -> None:
        if not BARE:
            self.check_in()
        now = time.monotonic()   # the client's timers start after check-in
        self.due = {"heartbeat": now + random.uniform(0, HEARTBEAT_S), "op": now + random.uniform(0, OP_S),
                    "snapshot": now + random.uniform(0, SNAPSHOT_S)}
        _ready["n"] += 1

    def check_in(self) -> None:
        c = CANDIDATES[next(_next) % len(CANDIDATES)]
        r = self.client.post("/api/v1/auth/login", json={"ticket": c["ticket"], "id_number": c["id_number"],
                                                         "password": c["password"]}, name="login")
        body = r.json()
        self.sid = c["sitting_id"]
        self.headers = {"Authorization": "Bearer " + body["token"]}
        self.client.get("/api/v1/sittings/%s/paper" % self.sid, headers=self.headers, name="paper")
        self.client.get("/api/v1/sittings/%s/paper-key" % self.sid, headers=self.headers, name="paper key")
        self.seq, self.head = 0, genesis(self.sid)
        self.hb = {"state": "in_exam", "camera": "live", "microphone": "live", "network": "ok", "pending_ops": 0,
                   "pending_uploads": 0, "acked_commands": [], "monitor": "ok", "lockdown": "on"}

    def wait_time(self) -> float:
        return max(0.0, min(self.due.values()) - time.monotonic())

    def tick(self) -> None:
        now = time.monotonic()
        kind = min(self.due, key=self.due.__getitem__)
        if self.due[kind] > now:
            return
        period = {"heartbeat": HEARTBEAT_S, "op": random.uniform(0.5, 1.5) * OP_S, "snapshot": SNAPSHOT_S}[kind]
        self.due[kind] = max(self.due[kind] + period, now)   # behind: once now, then in step again
        if BARE:
            for _ in range(2 if kind == "snapshot" else 1):
                self.client.get("/api/v1/healthz", name="bare")
        else:
            getattr(self, "do_" + kind)()
        if kind == "heartbeat":   # the client schedules the next heartbeat from the answer
            self.due[kind] = time.monotonic() + HEARTBEAT_S

    tasks = [tick]

    def do_heartbeat(self) -> None:
        self.client.post("/api/v1/sittings/%s/heartbeat" % self.sid, json=self.hb, headers=self.headers,
                         name="heartbeat")

    def do_op(self) -> None:
        seq, t = self.seq + 1, (self.seq + 1) * 20_000
        payload = {"question_id": "q1", "value": "ABCD"[seq % 4]}
        h = op_hash(self.head, seq, "answer", payload, t)
        with self.client.post("/api/v1/sittings/%s/ops" % self.sid, name="op", headers=self.headers,
                              json={"ops": [{"seq": seq, "kind": "answer", "payload": payload, "t_exam_ms": t,
                                             "t_client_ms": int(time.time() * 1000), "hash": h}]},
                              catch_response=True) as r:
            if r.status_code == 200:
                self.seq, self.head = seq, h
                r.success()
            else:
                r.failure("op %s: %s" % (r.status_code, r.text[:200]))

    def do_snapshot(self) -> None:
        meta = _meta(filename="snap.jpg", filetype="image/jpeg", sitting_id=self.sid, purpose="snapshot",
                     sha256=SNAPSHOT_SHA)
        r = self.client.post("/api/v1/files/", name="snapshot create", headers=dict(self.headers, **{
            "Tus-Resumable": "1.0.0", "Upload-Length": str(len(SNAPSHOT)), "Upload-Metadata": meta}))
        loc = r.headers.get("Location") if r.status_code == 201 else None
        if loc:
            self.client.request("PATCH", loc, data=SNAPSHOT, name="snapshot patch", headers=dict(self.headers, **{
                "Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}))

    def on_stop(self) -> None:
        if BARE or not hasattr(self, "sid"):
            return
        self.client.post("/api/v1/sittings/%s/submit" % self.sid, headers=self.headers, name="submit",
                         json={"final_seq": self.seq, "chain_head": self.head, "reason": "time_up"})


def _pct(ms: list, q: float):
    return ms[min(len(ms) - 1, int(q * (len(ms) - 1)))] if ms else None


def _cpu_times() -> list:
    """The machine's CPU time so far (Linux /proc/stat; [] elsewhere)."""
    try:
        with open("/proc/stat") as f:
            return [int(x) for x in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return []


def _steal_pct(before: list, after: list):
    """The share of the window's CPU time the hypervisor gave to other machines: on a shared VM it moves
    every figure, so it is printed beside them."""
    if len(before) < 8 or len(after) < 8:
        return None
    d = [b - a for a, b in zip(before, after)]
    return 100.0 * d[7] / sum(d) if sum(d) else None


class Steps(LoadTestShape):
    """Spawn each stage's users, let them settle, measure a hold window; stop after a miss."""

    def __init__(self) -> None:
        super().__init__()
        self.stage, self.phase, self.t0 = 0, "spawn", None
        open(RESULTS, "w").close()

    def tick(self):
        if self.stage >= len(STAGES):
            return None
        users, hold = STAGES[self.stage]
        now = time.monotonic()
        if self.phase == "spawn":
            if self.runner.user_count >= users:
                self.phase, self.t0 = "login", now
            return users, SPAWN_RATE
        if self.phase == "login":
            if _ready["n"] >= users:
                self.phase, self.t0 = "settle", now
            elif now - self.t0 > READY_TIMEOUT_S:  # check-in never finished: a miss
                with open(RESULTS, "a") as f:
                    f.write(json.dumps({"users": users, "seconds": 0, "requests": 0, "rps": 0, "p50_ms": None,
                                        "p99_ms": None, "failures": 0, "by_name": {}, "note": "login backlog"}) + "\n")
                return None
        if self.phase == "settle" and now - self.t0 >= SETTLE_S:
            self.phase, self.t0 = "hold", now
            _window.update(open=True, ms=[], fail=0, names={}, cpu=_cpu_times())
        if self.phase == "hold" and now - self.t0 >= hold:
            _window["open"] = False
            ms = sorted(_window["ms"])
            row = {"users": users, "seconds": now - self.t0, "requests": len(ms), "rps": len(ms) / (now - self.t0),
                   "p50_ms": _pct(ms, 0.5), "p99_ms": _pct(ms, 0.99), "failures": _window["fail"], "by_name": _window["names"],
                   "steal_pct": _steal_pct(_window["cpu"], _cpu_times())}
            with open(RESULTS, "a") as f:
                f.write(json.dumps(row) + "\n")
            self.stage += 1
            self.phase = "spawn"
            if not ms or row["p99_ms"] >= TARGET_P99_MS or row["failures"]:
                return None
        return users, SPAWN_RATE
