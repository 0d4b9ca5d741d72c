"""Sustained simulated candidates at p99 < 200 ms, per database and number of workers, beside the same
run's ceiling (the same schedule against a bare endpoint). Locust, headless, on loopback, bounded in time.

    .venv/bin/python bench/server_load.py                       # sqlite+postgresql x 1,2 workers, ceiling
    .venv/bin/python bench/server_load.py --backends sqlite --workers 2 --start 2000 --step 1000
    .venv/bin/python bench/server_load.py --host https://exam.example.org --candidates FILE.jsonl
                                                                # an existing deployment (docs/deploy.md)

A candidate (bench/server_load_users.py): login, paper + key, heartbeat every 10 s, an answer op every
~20 s, a snapshot upload every 60 s (tus create + PATCH), submit at the end: 0.183 requests/s in the
exam. Users grow in stages; each stage is measured over a hold window after its users have spawned,
checked in (login, paper, key) and settled for a heartbeat period (the check-in storm is not the steady
state; its cost is the "logins/s" figure). The figure is the largest stage with p99 < 200 ms, no
failures and >= 90 % of the expected request rate (below that the load generator, not the server, was
the limit). Locust (one process) shares the 2 cores with the server: compare with the ceiling, not
with other machines.

Bench candidates get a cheap scrypt hash (N=2^10) so a stage of thousands can log in within seconds;
the check-in rate at the production cost (N=2^14) is measured on its own ("logins/s").
PostgreSQL here runs with fsync on (durable, like production); SQLite with synchronous=FULL.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import itertools
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers import backends  # noqa: E402
from tests.helpers.papers import sample_paper  # noqa: E402
from tests.helpers.server import LiveServer  # noqa: E402

RATE_PER_CANDIDATE = 1 / 10 + 1 / 20 + 2 / 60
LOCUST_CPU_MS: Dict[str, float] = {}  # the load generator's own CPU per request, by run
SETTLE_S = 10  # after check-in, before a stage's window opens: a heartbeat period (server_load_users.py)
COST_CANDIDATES = 100  # cpu_cost's heartbeats go round them: one sitting's bucket allows a burst of 10
USERS_FILE = str(Path(__file__).with_name("server_load_users.py"))


def cheap_hash(password: str) -> str:
    salt = secrets.token_bytes(16)
    dk = hashlib.scrypt(password.encode(), salt=salt, n=2 ** 10, r=8, p=1, dklen=32)
    return "scrypt$%d$8$1$%s$%s" % (2 ** 10, base64.b64encode(salt).decode(), base64.b64encode(dk).decode())


def seed(data_dir: Path, database_url: Optional[str], n: int, out: Path) -> None:
    """n candidates in rooms of up to 1,500 (100 proctors each: the 1:15 rule), started a minute ago."""
    from server.context import ServerContext, Settings
    from server.db import Candidate
    from server.registry import create_room, import_paper

    ctx = ServerContext(Settings(data_dir=data_dir, database_url=database_url))
    try:
        import_paper(ctx, sample_paper("load-paper"))
        pw = "load-pass-1"
        hashed = cheap_hash(pw)
        tickets = ["L%06d" % i for i in range(n)]
        with ctx.db.write() as s:
            s.add_all([Candidate(ticket=t, id_number="ID" + t, name="考生", level="中级", password_hash=hashed,
                                 prior_attempts={}, created_at_ms=0) for t in tickets])
        start = ctx.now_ms() - 60_000
        lines = []
        for i in range(0, n, 1500):
            chunk = tickets[i:i + 1500]
            room = create_room(ctx, "load-paper", "theory", "formal", start, 7200, chunk,
                               ["监考%d" % k for k in range(100)])
            lines += [json.dumps({"ticket": st["ticket"], "id_number": "ID" + st["ticket"], "password": pw,
                                  "sitting_id": st["sitting_id"]}) + "\n" for st in room["sittings"]]
        Path(str(out) + ".cost").write_text("".join(lines[:COST_CANDIDATES]), encoding="utf-8")  # cpu_cost's own
        Path(out).write_text("".join(lines[COST_CANDIDATES:]), encoding="utf-8")
    finally:
        ctx.close()


def run_locust(host: str, stages: List[List[int]], env_extra: Dict[str, str], spawn_rate: float,
               tmp: Path, tag: str) -> List[Dict[str, Any]]:
    results = tmp / ("%s.jsonl" % tag)
    budget = sum(h + SETTLE_S + u / spawn_rate + 20 for u, h in stages) + 200
    env = dict(os.environ, STAGES=json.dumps(stages), RESULTS=str(results), SPAWN_RATE=str(spawn_rate),
               SETTLE_S=str(SETTLE_S),
               PYTHONPATH=str(ROOT), **env_extra)
    cmd = [sys.executable, "-m", "locust", "-f", USERS_FILE, "--headless", "--host", host, "-t", "%ds" % budget,
           "--stop-timeout", "60", "--csv", str(tmp / tag), "--only-summary", "--loglevel", "ERROR"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp / (tag + ".err"), "w"),
                   timeout=budget + 120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = csv_row(tmp, tag, "Aggregated")
    if total and int(total["Request Count"]):
        LOCUST_CPU_MS[tag] = ((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)) * 1000 \
            / int(total["Request Count"])
    rows = [json.loads(line) for line in open(results, encoding="utf-8")] if results.exists() else []
    for r in rows:
        r["expected_rps"] = r["users"] * RATE_PER_CANDIDATE
        r["ok"] = bool(r["requests"]) and r["p99_ms"] is not None and r["p99_ms"] < 200 and not r["failures"] \
            and r["rps"] >= 0.9 * r["expected_rps"]
    return rows


def csv_row(tmp: Path, tag: str, name: str) -> Optional[Dict[str, str]]:
    import csv

    path = tmp / (tag + "_stats.csv")
    if not path.exists():
        return None
    for row in csv.DictReader(open(path, encoding="utf-8")):
        if row["Name"] == name:
            return row
    return None


def sustained(rows: List[Dict[str, Any]]) -> int:
    best = 0
    for r in rows:
        if not r["ok"]:
            break
        best = r["users"]
    return best


def stages_for(start: int, step: int, top: int, hold: int) -> List[List[int]]:
    return [[u, hold] for u in range(start, top + 1, step)]


def logins_per_s(srv: LiveServer, seconds: float = 8.0, threads: int = 8) -> Dict[str, float]:
    """Check-in at the production scrypt cost: candidates made through the admin API, logging in in a loop."""
    creds = []
    for i in range(threads):
        t, idn, pw = "P%03d%s" % (i, secrets.token_hex(2)), "PID%d" % i, "prod-pass-%d" % i
        srv.add_candidate(t, idn, pw)
        creds.append({"ticket": t, "id_number": idn, "password": pw})
    times: List[float] = []
    stop = time.monotonic() + seconds

    def loop(c: Dict[str, str]) -> None:
        s = requests.Session()
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            r = s.post(srv.api + "/auth/login", json=c, timeout=60)
            if r.status_code == 200:
                times.append((time.perf_counter() - t0) * 1000)

    ts = [threading.Thread(target=loop, args=(c,)) for c in creds]
    t0 = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    times.sort()
    return {"per_s": len(times) / (time.monotonic() - t0), "p50_ms": statistics.median(times) if times else 0,
            "p99_ms": times[int(0.99 * (len(times) - 1))] if times else 0}


def _cpu_s(pids: List[int]) -> float:
    """utime + stime of these processes and their children (seconds)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15]) / tick  # utime stime cutime cstime
        except OSError:
            pass
    return total


def _children(pid: int) -> List[int]:
    out = []
    for task in Path("/proc/%d/task" % pid).glob("*"):
        try:
            out += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def cpu_cost(srv: LiveServer, cand_file: Path, pg_dir: Optional[Path], n: int = 200) -> Dict[str, float]:
    """Server CPU per request, by kind (ms; PostgreSQL's backends included): independent of what else
    the machine runs, which latency under load is not."""
    sys.path.insert(0, str(ROOT / "bench"))
    from examcore.chain import genesis, op_hash

    s = requests.Session()
    sittings = []
    for line in Path(str(cand_file) + ".cost").read_text(encoding="utf-8").splitlines():
        c = json.loads(line)
        tok = s.post(srv.api + "/auth/login", json={k: c[k] for k in ("ticket", "id_number", "password")},
                     timeout=30).json()["token"]
        sittings.append((c["sitting_id"], {"Authorization": "Bearer " + tok}))
    beats = itertools.cycle(sittings)
    sid, h = sittings[0]
    head, seq = genesis(sid), 0
    snap = os.urandom(24 * 1024)
    meta = ",".join("%s %s" % (k, base64.b64encode(v.encode()).decode()) for k, v in {
        "filename": "s.jpg", "filetype": "image/jpeg", "sitting_id": sid, "purpose": "snapshot",
        "sha256": hashlib.sha256(snap).hexdigest()}.items())
    assert srv.proc is not None
    pm = int((pg_dir / "data" / "postmaster.pid").read_text().split()[0]) if pg_dir is not None else None

    def heartbeat() -> None:
        beat_sid, beat_h = next(beats)
        s.post(srv.api + "/sittings/%s/heartbeat" % beat_sid, json={"state": "in_exam", "camera": "live"},
               headers=beat_h, timeout=30).raise_for_status()

    def op() -> None:
        nonlocal head, seq
        seq += 1
        payload = {"question_id": "q1", "value": "ABCD"[seq % 4]}
        head = op_hash(head, seq, "answer", payload, seq * 1000)
        s.post(srv.api + "/sittings/%s/ops" % sid, headers=h, timeout=30, json={"ops": [{
            "seq": seq, "kind": "answer", "payload": payload, "t_exam_ms": seq * 1000, "hash": head}]}
               ).raise_for_status()

    def snapshot() -> None:
        r = s.post(srv.api + "/files/", timeout=30, headers=dict(h, **{
            "Tus-Resumable": "1.0.0", "Upload-Length": str(len(snap)), "Upload-Metadata": meta}))
        s.patch(srv.url + r.headers["Location"], data=snap, timeout=30, headers=dict(h, **{
            "Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})
                ).raise_for_status()

    def bare() -> None:
        s.get(srv.api + "/healthz", timeout=30).raise_for_status()

    out = {}
    for name, fn, per in (("heartbeat", heartbeat, 1), ("op", op, 1), ("snapshot", snapshot, 2), ("bare", bare, 1)):
        fn()
        pids_now = [srv.proc.pid] + ([pm] + _children(pm) if pm is not None else [])
        before = _cpu_s(pids_now)
        for _ in range(n):
            fn()
        time.sleep(1.2)  # the heartbeat writer's flush lands in the window too
        out[name] = (_cpu_s(pids_now) - before) * 1000 / (n * per)
    exam = (out["heartbeat"] / 10 + out["op"] / 20 + 2 * out["snapshot"] / 60) / 1000  # core-s per candidate-s
    out["candidates_per_core"] = 1 / exam
    out["bare_candidates_per_core"] = 1 / (out["bare"] * RATE_PER_CANDIDATE / 1000)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--start", type=int, default=1000)
    ap.add_argument("--step", type=int, default=1000)
    ap.add_argument("--max", type=int, default=12000)
    ap.add_argument("--ceiling-start", type=int, default=2000)
    ap.add_argument("--ceiling-step", type=int, default=2000)
    ap.add_argument("--ceiling-max", type=int, default=18000)
    ap.add_argument("--hold", type=int, default=15, help="seconds measured per stage")
    ap.add_argument("--spawn-rate", type=float, default=100, help="check-ins a second (a real check-in spreads over 30 minutes)")
    ap.add_argument("--host", help="load an existing deployment instead (needs --candidates)")
    ap.add_argument("--candidates", help="JSON lines {ticket,id_number,password,sitting_id} for --host")
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # a socket per simulated candidate
    workers = [int(w) for w in args.workers.split(",")]
    load_at_start = os.getloadavg()[0]
    table: List[str] = []
    with tempfile.TemporaryDirectory(prefix="examdesk-load-", dir="/tmp") as tmp_s:
        tmp = Path(tmp_s)
        os.chmod(tmp_s, 0o755)  # the postgres user's cluster lives below
        if args.host:
            rows = run_locust(args.host, stages_for(args.start, args.step, args.max, args.hold),
                              {"CANDIDATES": args.candidates}, args.spawn_rate, tmp, "remote")
            for r in rows:
                print(_fmt("remote", r))
            print("sustained candidates at p99 < 200 ms: %d" % sustained(rows))
            return 0
        cluster = None
        ceilings: Dict[int, int] = {}
        costs: Dict[str, Dict[str, float]] = {}
        for w in workers:  # the ceiling first: the same schedule, a bare endpoint, no database work
            srv = LiveServer(tmp / ("bare-%d" % w), extra_args=["--workers", str(w)], backend_args=[]).start()
            try:
                rows = run_locust(srv.url, stages_for(args.ceiling_start, args.ceiling_step, args.ceiling_max,
                                                      args.hold), {"BARE": "1"}, 1000, tmp, "bare-%d" % w)
            finally:
                srv.stop()
            for r in rows:
                print(_fmt("ceiling %d worker(s)" % w, r), flush=True)
            ceilings[w] = sustained(rows)
            table.append("%-10s %d worker(s): %6d candidates   (GET /api/v1/healthz, the same schedule;"
                         " locust's own CPU %.2f ms a request)" % ("ceiling", w, ceilings[w],
                                                                   LOCUST_CPU_MS.get("bare-%d" % w, 0)))
        for backend in args.backends.split(","):
            for w in workers:
                url = None
                if backend == "postgresql":
                    if cluster is None:
                        cluster = backends.PostgresCluster(durable=True).start()
                    url = cluster.new_database()
                data = tmp / ("%s-%d" % (backend, w))
                data.mkdir()
                cand = tmp / ("cand-%s-%d.jsonl" % (backend, w))
                t0 = time.monotonic()
                seed(data, url, args.max + COST_CANDIDATES, cand)
                seeded_s = time.monotonic() - t0
                srv = LiveServer(data, extra_args=["--workers", str(w)],
                                 backend_args=["--database-url", url] if url else []).start()
                try:
                    if w == 1:
                        costs[backend] = cpu_cost(srv, cand, cluster.dir if cluster and url else None)
                    logins = logins_per_s(srv)
                    tag = "%s-%d" % (backend, w)
                    rows = run_locust(srv.url, stages_for(args.start, args.step, args.max, args.hold),
                                      {"CANDIDATES": str(cand)}, args.spawn_rate, tmp, tag)
                finally:
                    srv.stop()
                for r in rows:
                    print(_fmt("%s %d worker(s)" % (backend, w), r), flush=True)
                fails = tmp / (tag + "_failures.csv")
                if fails.exists():
                    for line in fails.read_text(encoding="utf-8").splitlines()[1:6]:
                        print("    failure: " + line[:300])
                sub = csv_row(tmp, tag, "submit")
                best = sustained(rows)
                table.append("%-10s %d worker(s): %6d candidates   ceiling %6d   ratio %.2f   logins/s %.1f (p99 %.0f ms)"
                             "   submit storm p99 %s ms (n=%s)   [seeded %d in %.0f s]"
                             % (backend, w, best, ceilings[w], best / ceilings[w] if ceilings[w] else 0,
                                logins["per_s"], logins["p99_ms"], sub["99%"] if sub else "?",
                                sub["Request Count"] if sub else "?", args.max, seeded_s))
        if cluster is not None:
            cluster.stop()
    print("\nserver CPU per request (ms, one worker, sequential; PostgreSQL's backends included):")
    for backend, c in costs.items():
        print("  %-10s heartbeat %.2f  op %.2f  snapshot (create or PATCH) %.2f  bare %.2f   ->  %.0f candidates"
              " per core (bare endpoint: %.0f)" % (backend, c["heartbeat"], c["op"], c["snapshot"], c["bare"],
                                                  c["candidates_per_core"], c["bare_candidates_per_core"]))
    print("\nsustained simulated candidates at p99 < 200 ms (%.3f requests/s each), this machine, this run"
          " (load average at the start %.1f, at the end %.1f on %d cores):"
          % (RATE_PER_CANDIDATE, load_at_start, os.getloadavg()[0], os.cpu_count() or 0))
    for line in table:
        print("  " + line)
    return 0


def _fmt(label: str, r: Dict[str, Any]) -> str:
    steal = "" if r.get("steal_pct") is None else "  (CPU stolen by the host %2.0f %%)" % r["steal_pct"]
    return ("%-24s users %6d  rps %7.1f (expected %7.1f)  p50 %6.1f ms  p99 %7.1f ms  failures %d  %s%s"
            % (label, r["users"], r["rps"], r["expected_rps"], r["p50_ms"] or 0, r["p99_ms"] or 0, r["failures"],
               "ok" if r["ok"] else "MISS", steal))


if __name__ == "__main__":
    sys.exit(main())
