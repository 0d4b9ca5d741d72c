"""A large sealed import while 20 candidates post answers: their p99 stays within 2x of the same
load without the import (the ratio is the assertion; the figures are printed, as bench/ does)."""
from __future__ import annotations

from tests.server.contention import measure


def test_a_large_import_does_not_hold_up_other_candidates(live_server):
    figures = measure(live_server, candidates=20, ops_each=30, import_ops=10_000, imports=3)
    print("\n" + "\n".join(figures.lines()))
    assert figures.quiet.errors == 0 and figures.loaded.errors == 0
    assert len(figures.loaded.latencies_ms) >= 200   # the candidates kept answering through the imports
    assert figures.ratio() <= 2.0, figures.lines()
