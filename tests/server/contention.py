"""Candidates posting answers while a large sealed export is imported: their latency with and
without the import, on one live server (used by bench/sealed_import_contention.py and its test)."""
from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import List

import requests

from examcore.sealed import seal
from tests.helpers.fixtures import Sitting, make_sitting
from tests.helpers.server import LiveServer
from tests.server.kit import OpChain, auth


def pct(xs: List[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


@dataclass
class Phase:
    latencies_ms: List[float] = field(default_factory=list)
    errors: int = 0

    def p50(self) -> float:
        return statistics.median(self.latencies_ms)

    def p99(self) -> float:
        return pct(self.latencies_ms, 99)


@dataclass
class Figures:
    quiet: Phase
    loaded: Phase
    imports_ms: List[float]
    import_ops: int

    def ratio(self) -> float:
        return self.loaded.p99() / self.quiet.p99()

    def lines(self) -> List[str]:
        out = []
        for name, ph in (("quiet", self.quiet), ("during imports", self.loaded)):
            out.append("%-16s n=%-5d p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  errors %d" % (
                name, len(ph.latencies_ms), ph.p50(), ph.p99(), max(ph.latencies_ms), ph.errors))
        out.append("sealed import of %d ops: %s ms each" % (self.import_ops, ", ".join("%.0f" % t for t in self.imports_ms)))
        out.append("p99 during imports / quiet p99 = %.2f" % self.ratio())
        return out


def _candidate(st: Sitting, chain: OpChain, n: int, phase: Phase, start: threading.Event,
               until: threading.Event | None) -> None:
    """`n` answers one per request; with `until`, go on until it is set (the import window)."""
    session = requests.Session()
    url = st.server.api + "/sittings/%s/ops" % st.sitting_id
    start.wait()
    i = 0
    while i < n if until is None else not until.is_set():
        i += 1
        op = chain.answer("q1", "ABCD"[i % 4])
        t0 = time.perf_counter()
        r = session.post(url, json={"ops": [op]}, headers=auth(st.token), timeout=120)
        phase.latencies_ms.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            phase.errors += 1
        time.sleep(0.01)   # a candidate's rhythm, not a flood


def _phase(candidates: List[Sitting], chains: List[OpChain], n: int, during=None) -> Phase:
    phase, start = Phase(), threading.Event()
    until = threading.Event() if during else None
    threads = [threading.Thread(target=_candidate, args=(st, c, n, phase, start, until))
               for st, c in zip(candidates, chains)]
    for t in threads:
        t.start()
    side = threading.Thread(target=during, args=(start, until)) if during else None
    if side:
        side.start()
    start.set()
    for t in threads:
        t.join()
    if side:
        side.join()
    return phase


def measure(srv: LiveServer, candidates: int = 20, ops_each: int = 60, import_ops: int = 10_000,
            imports: int = 2) -> Figures:
    """`imports` rounds of: a quiet window (`ops_each` answers per candidate), then the same candidates
    answering for as long as one export of `import_ops` ops takes to import."""
    people = [make_sitting(srv) for _ in range(candidates)]
    importers = [make_sitting(srv) for _ in range(imports)]
    pub = requests.get(srv.api + "/server-info", timeout=10).json()["sealing_public_key"]
    boxes = []
    for st in importers:
        c = OpChain(st.sitting_id)
        for i in range(import_ops):
            c.answer("q5", "离线作答 %d" % i) if i % 3 else c.add("event", {"type": "focus.lost", "severity": "warn",
                                                                             "detail": {"ms": i}})
        boxes.append((st, seal({"sitting_id": st.sitting_id, "ops": c.ops, "final_seq": c.seq, "chain_head": c.head,
                                "sealed_at_ms": 1, "reason": "time_up"}, pub)))
    chains = [OpChain(st.sitting_id) for st in people]
    _phase(people, chains, 5)   # warm-up: connections, caches
    quiet, loaded = Phase(), Phase()
    took: List[float] = []
    failures: List[str] = []

    def one_import(box) -> object:
        def run(start: threading.Event, until: threading.Event) -> None:
            st, sealed = box
            start.wait()
            try:
                t0 = time.perf_counter()
                r = requests.post(srv.api + "/sittings/%s/sealed" % st.sitting_id, json=sealed, headers=auth(st.token),
                                  timeout=600)
                took.append((time.perf_counter() - t0) * 1000)
                if r.status_code != 200:
                    failures.append(r.text[:500])
            finally:
                until.set()
        return run

    # quiet and loaded windows alternate, so a change in the machine's other load hits both alike
    for box in boxes:
        q = _phase(people, chains, ops_each)
        ld = _phase(people, chains, ops_each, during=one_import(box))
        for into, part in ((quiet, q), (loaded, ld)):
            into.latencies_ms += part.latencies_ms
            into.errors += part.errors
    if failures:
        raise AssertionError("import refused: " + failures[0])
    return Figures(quiet, loaded, took, import_ops)
