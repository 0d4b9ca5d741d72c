"""Heartbeats off the durable path: the latest state per sitting and the history, written in batches.

A heartbeat answers from a read (the sitting's deadline, pending commands) and is queued here; a
background thread writes the queue every `flush_s` in one transaction (history rows plus an upsert of
`presence`, the latest heartbeat of each sitting). A crash loses at most that much history, never an
answer: ops and submissions stay durable before their acknowledgement (server/ledger.py).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import insert

from server.db import Database, Heartbeat, Presence, SittingEdge

log = logging.getLogger("examdesk.server.presence")
BATCH = 500  # rows per statement (SQLite allows 32,766 bound values)
MAX_QUEUED = 200_000  # while the database is away: beyond this the oldest history is dropped


class HeartbeatWriter:
    def __init__(self, db: Database, flush_s: float = 1.0) -> None:
        self.db, self.flush_s = db, flush_s
        self._queue: list[tuple[str, int, dict[str, Any]]] = []
        self._contacts: dict[str, tuple[int, int]] = {}   # sitting -> (at_ms, committed_seq), not yet written
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, sitting_id: str, received_at_ms: int, body: dict[str, Any],
            committed_seq: int | None = None) -> None:
        """Queue one heartbeat; `committed_seq` (ops the client held) when it came before the close."""
        with self._lock:
            self._queue.append((sitting_id, received_at_ms, body))
            if committed_seq is not None:
                self._contacts[sitting_id] = (received_at_ms, committed_seq)
            if len(self._queue) > MAX_QUEUED:
                del self._queue[:len(self._queue) - MAX_QUEUED]
            if self._thread is None and self.flush_s > 0:
                self._thread = threading.Thread(target=self._run, name="heartbeat-writer", daemon=True)
                self._thread.start()
        if self.flush_s <= 0:
            self.flush()

    def queued(self, sitting_id: str) -> bool:
        """Whether a heartbeat of the sitting waits in this process's queue."""
        with self._lock:
            return any(sid == sitting_id for sid, _, _ in self._queue)

    def contact(self, sitting_id: str) -> tuple[int, int] | None:
        """The newest contact of the sitting still queued here (not yet in sitting_edge)."""
        with self._lock:
            return self._contacts.get(sitting_id)

    def _run(self) -> None:
        while not self._stop.wait(self.flush_s):
            try:
                self.flush()
            except Exception as e:  # database away: keep the queue, try again next round
                log.warning("heartbeat history not written yet (%s rows queued): %s", len(self._queue), e)

    def flush(self) -> int:
        """Write what is queued now; returns the number of heartbeats written."""
        with self._flushing:
            with self._lock:
                rows, self._queue = self._queue, []
                contacts, self._contacts = self._contacts, {}
            if not rows:
                return 0
            try:
                self._write(rows, contacts)
            except BaseException:
                with self._lock:
                    self._queue[:0] = rows
                    self._contacts = dict(contacts, **self._contacts)
                raise
            return len(rows)

    def _write(self, rows: list[tuple[str, int, dict[str, Any]]], contacts: dict[str, tuple[int, int]]) -> None:
        latest: dict[str, tuple[int, dict[str, Any]]] = {}
        for sid, at, body in rows:
            if sid not in latest or at >= latest[sid][0]:
                latest[sid] = (at, body)
        upsert = _upsert_for(self.db.dialect)
        with self.db.write() as s:
            history = [{"sitting_id": sid, "received_at_ms": at, "body": body} for sid, at, body in rows]
            for i in range(0, len(history), BATCH):
                s.execute(insert(Heartbeat), history[i:i + BATCH])
            items = [{"sitting_id": sid, "received_at_ms": at, "body": body} for sid, (at, body) in latest.items()]
            _upsert_newer(s, upsert, Presence, items, "received_at_ms", ("received_at_ms", "body"))
            edges = [{"sitting_id": sid, "contact_at_ms": at, "committed_seq": seq} for sid, (at, seq) in contacts.items()]
            _upsert_newer(s, upsert, SittingEdge, edges, "contact_at_ms", ("contact_at_ms", "committed_seq"))

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        try:
            self.flush()
        except Exception as e:
            log.warning("heartbeat history lost at shutdown (%s rows): %s", len(self._queue), e)


def _upsert_newer(session, upsert: Any, model: Any, items: list[dict[str, Any]], at: str,
                  columns: tuple[str, ...]) -> None:
    """Insert or update one row per sitting, never replacing a newer row (`at`) with an older one."""
    for i in range(0, len(items), BATCH):
        stmt = upsert(model).values(items[i:i + BATCH])
        session.execute(stmt.on_conflict_do_update(
            index_elements=[model.sitting_id], set_={c: stmt.excluded[c] for c in columns},
            where=getattr(model, at) <= stmt.excluded[at]))


def _upsert_for(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert
    return sqlite_insert
