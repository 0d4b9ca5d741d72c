"""Reference-server figures on this machine: login, single-op and batched-op latency, heartbeat,
tus upload throughput. Prints numbers; asserts nothing (speed is not a test on a shared machine).

    .venv/bin/python bench/server_bench.py [--ops 400] [--upload-mib 20] [--candidates 20]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.fixtures import make_sitting  # noqa: E402
from tests.helpers.server import LiveServer  # noqa: E402
from tests.server.kit import OpChain, auth  # noqa: E402


def pct(xs: list, p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def report(name: str, ms: list) -> None:
    print("%-28s n=%-5d p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms" % (name, len(ms), statistics.median(ms),
                                                                       pct(ms, 99), max(ms)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ops", type=int, default=400)
    ap.add_argument("--upload-mib", type=int, default=20)
    ap.add_argument("--candidates", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        srv = LiveServer(Path(tmp) / "srv").start()
        try:
            st = make_sitting(srv)
            s = requests.Session()
            h = auth(st.token)
            login = []
            for _ in range(10):
                t = time.perf_counter()
                s.post(srv.api + "/auth/login", json={"ticket": st.ticket, "id_number": st.id_number,
                                                      "password": st.password}, timeout=30).raise_for_status()
                login.append((time.perf_counter() - t) * 1000)
            report("login (scrypt)", login)

            chain = OpChain(st.sitting_id)
            single = []
            url = srv.api + "/sittings/%s/ops" % st.sitting_id
            for i in range(args.ops):
                op = chain.answer("q5", "答案 %d" % i)
                t = time.perf_counter()
                s.post(url, json={"ops": [op]}, headers=h, timeout=30).raise_for_status()
                single.append((time.perf_counter() - t) * 1000)
            report("ops: 1 op per request", single)

            batch_ms, n_batch = [], 50
            for _ in range(max(1, args.ops // n_batch)):
                ops = [chain.answer("q1", "B") for _ in range(n_batch)]
                t = time.perf_counter()
                s.post(url, json={"ops": ops}, headers=h, timeout=30).raise_for_status()
                batch_ms.append((time.perf_counter() - t) * 1000)
            report("ops: 50 ops per request", batch_ms)
            print("%-28s %.0f ops/s" % ("ops throughput (batched)", n_batch * 1000 / statistics.median(batch_ms)))

            hb = []   # a sitting may send 10 back to back (then one per 3 s): 10 sittings x 10
            for hb_st in [st] + [make_sitting(srv) for _ in range(9)]:
                for _ in range(10):
                    t = time.perf_counter()
                    s.post(srv.api + "/sittings/%s/heartbeat" % hb_st.sitting_id, json={"state": "in_exam"},
                           headers=auth(hb_st.token), timeout=30).raise_for_status()
                    hb.append((time.perf_counter() - t) * 1000)
            report("heartbeat", hb)

            # many candidates at once: one thread each, one answer per request (the client's usual rhythm)
            import threading

            others = [make_sitting(srv) for _ in range(args.candidates)]
            lat: list = []

            def candidate(sitting) -> None:
                c, sess = OpChain(sitting.sitting_id), requests.Session()
                u = srv.api + "/sittings/%s/ops" % sitting.sitting_id
                for i in range(50):
                    op = c.answer("q1", "ABCD"[i % 4])
                    t0 = time.perf_counter()
                    sess.post(u, json={"ops": [op]}, headers=auth(sitting.token), timeout=60).raise_for_status()
                    lat.append((time.perf_counter() - t0) * 1000)

            threads = [threading.Thread(target=candidate, args=(o,)) for o in others]
            t = time.perf_counter()
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            secs = time.perf_counter() - t
            report("ops: %d candidates at once" % args.candidates, lat)
            print("%-28s %.0f ops/s (1 op per request)" % ("ops throughput (concurrent)", len(lat) / secs))

            from tusclient import client as tus_client

            path = Path(tmp) / "big.mp4"
            path.write_bytes(os.urandom(args.upload_mib * 1024 * 1024))
            meta = {"filename": path.name, "filetype": "video/mp4", "sitting_id": st.sitting_id,
                    "purpose": "evidence", "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
            up = tus_client.TusClient(srv.api + "/files/", headers=h).uploader(
                str(path), chunk_size=1024 * 1024, metadata=meta, retries=0)
            t = time.perf_counter()
            up.upload()
            secs = time.perf_counter() - t
            status = s.get(srv.api + "/sittings/%s/uploads" % st.sitting_id, headers=h, timeout=30).json()
            print("%-28s %d MiB in %.2f s = %.1f MiB/s (1 MiB chunks, fsync each, SHA-256 verified: %s)"
                  % ("tus upload", args.upload_mib, secs, args.upload_mib / secs, status["uploads"][0]["verified"]))
        finally:
            srv.stop()


if __name__ == "__main__":
    main()
