"""Candidates' answer latency while large sealed exports are imported, against the same load without
imports, on one live server. Prints figures; the ratio is checked (<= 2) by
tests/server/test_import_concurrency.py, nothing here asserts a speed.

    .venv/bin/python bench/sealed_import_contention.py [--candidates 20] [--import-ops 10000] [--imports 3]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.server import LiveServer  # noqa: E402
from tests.server.contention import measure  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--candidates", type=int, default=20)
    ap.add_argument("--ops-each", type=int, default=60)
    ap.add_argument("--import-ops", type=int, default=10_000)
    ap.add_argument("--imports", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        srv = LiveServer(Path(tmp) / "srv").start()
        try:
            figures = measure(srv, args.candidates, args.ops_each, args.import_ops, args.imports)
        finally:
            srv.stop()
    print("%d candidates, one answer per request:" % args.candidates)
    for line in figures.lines():
        print("  " + line)


if __name__ == "__main__":
    main()
