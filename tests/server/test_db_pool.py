"""Database connections outlive a request: a connection opened again costs its pragmas, the schema
parse and every statement prepared anew (with SQLAlchemy's default pool, every request past the fifth at once)."""
from __future__ import annotations

import threading

from sqlalchemy import event, text

from server.db import Database


def _hold_all_at_once(db: Database, n: int) -> None:
    barrier = threading.Barrier(n)
    errors: list = []

    def read() -> None:
        try:
            with db.read() as s:
                s.execute(text("SELECT 1"))   # the session holds its connection from here
                barrier.wait(timeout=30)
        except Exception as e:  # a pool too small times out here
            errors.append(e)

    threads = [threading.Thread(target=read) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_sqlite_keeps_a_connection_for_every_worker_thread(tmp_path):
    db = Database("sqlite:///%s" % (tmp_path / "pool.sqlite3"))
    opened: list = []
    event.listen(db.engine, "connect", lambda *a: opened.append(1))
    try:
        _hold_all_at_once(db, 40)   # anyio's default: 40 worker threads
        assert len(opened) == 40
        _hold_all_at_once(db, 40)
        assert len(opened) == 40    # the second round reused every one
    finally:
        db.close()
