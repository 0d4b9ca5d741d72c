"""Answer-to-durable latency: validate + append to the AnswerJournal (WAL, synchronous=FULL,
commit returned) for N answers; prints p50/p95/p99/max. Goal: p99 <= 15 ms.

    .venv/bin/python bench/journal.py [N] [--dir DIR] [--service]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from client.sync.journal import AnswerJournal  # noqa: E402
from examcore.paper import normalise_answer, paper_from_dict  # noqa: E402
from tests.helpers.papers import sample_paper  # noqa: E402


def report(title: str, lat: list) -> None:
    lat.sort()

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(len(lat) * p))]

    print(title)
    print("  p50 %.2f ms   p95 %.2f ms   p99 %.2f ms   max %.2f ms   mean %.2f ms" % (
        pct(.50), pct(.95), pct(.99), lat[-1], statistics.mean(lat)))
    print("  goal p99 <= 15 ms: %s" % ("met" if pct(.99) <= 15 else "NOT met"))


def service_bench(n: int, folder: str) -> None:
    """ExamService.answer() as the UI calls it, while the sync worker delivers to a real server."""
    from pathlib import Path

    from tests.helpers.exam_client import started_service, wait_for
    from tests.helpers.fixtures import make_sitting
    from tests.helpers.server import LiveServer

    server = LiveServer(Path(folder) / "server").start()
    svc = None
    try:
        svc = started_service(make_sitting(server), Path(folder) / "client")
        rng = random.Random(2)
        lat = []
        for i in range(n):
            t0 = time.perf_counter()
            svc.answer("q5" if i % 3 else "q1", "作答内容" * rng.randint(10, 100) if i % 3 else rng.choice("ABCD"))
            lat.append((time.perf_counter() - t0) * 1000)
        head = svc.journal.head(svc.sitting_id)[0]
        wait_for(lambda: svc.sync_status().acked_seq == head, timeout=300, what="sync")
        report("ExamService.answer() -> durable, sync worker delivering meanwhile, %d answers" % n, lat)
    finally:
        if svc is not None:
            svc.close()
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=3000)
    ap.add_argument("--dir", default=None, help="folder for the journal (default: a temp folder)")
    ap.add_argument("--service", action="store_true", help="also time ExamService.answer() against a live server")
    args = ap.parse_args()
    folder = args.dir or tempfile.mkdtemp(prefix="examdesk-bench-")
    paper = paper_from_dict(sample_paper())
    journal = AnswerJournal(os.path.join(folder, "journal.sqlite3"))
    rng = random.Random(1)
    values = {"q1": lambda: rng.choice("ABCD"), "q2": lambda: rng.sample("ABCD", 2), "q3": lambda: rng.random() < .5,
              "q4": lambda: ["CSAT", "NPS%d" % rng.randint(0, 99)], "q5": lambda: "作答内容" * rng.randint(10, 100)}
    lat = []
    for i in range(args.n):
        q = paper.questions[i % len(paper.questions)]
        raw = values[q.id]()
        t0 = time.perf_counter()
        value = normalise_answer(q, raw)
        journal.append("bench-sitting", "answer", {"question_id": q.id, "value": value}, i * 1000,
                       int(time.time() * 1000))
        lat.append((time.perf_counter() - t0) * 1000)
    journal.close()
    report("answer -> durable (validate + SQLite WAL commit, synchronous=FULL), %d answers in %s" % (args.n, folder),
           lat)
    if args.service:
        service_bench(args.n, os.path.join(folder, "service"))


if __name__ == "__main__":
    main()
