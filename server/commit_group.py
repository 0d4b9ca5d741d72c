"""Group commit of the hot-path writes (answer ops, tus reservations, whole-upload verdicts): the writes of
several candidates that arrive together share one write transaction and one commit (one WAL fsync and one
turn of the writer lock on SQLite, one flush on PostgreSQL), each in its own savepoint, so a refused write
(a gap, a fork, a quota, a value the database refuses) undoes only itself. An answer is sent only after the
commit that holds it: an acknowledged op is as durable as before.

One writer thread per process takes whatever is queued when it is free: a lone write commits at once (no
waiting for company), and writes that came in while a commit was running go in the next one together.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Generic, TypeVar

from server.db import Database, refused_values

log = logging.getLogger("examdesk.server.commit_group")
T = TypeVar("T")
MAX_GROUP = 64   # a commit waits for at most this many savepoints


class _Job(Generic[T]):
    __slots__ = ("key", "fn", "done", "result", "error")

    def __init__(self, key: str, fn: Callable[[Any], T]) -> None:
        self.key, self.fn = key, fn
        self.done = threading.Event()
        self.result: T | None = None
        self.error: BaseException | None = None


class CommitGroup:
    def __init__(self, db: Database, max_group: int = MAX_GROUP) -> None:
        self.db, self.max_group = db, max_group
        self._cond = threading.Condition()
        self._queue: list[_Job[Any]] = []
        self._thread: threading.Thread | None = None
        self._closed = False
        self.commits = 0   # groups committed (each job once), for the bench and the tests

    def run(self, key: str, fn: Callable[[Any], T]) -> T:
        """fn(session) inside the next group's transaction; its result once that transaction has committed.
        `key` orders the group's savepoints (the sitting: PostgreSQL row locks taken in one order)."""
        job: _Job[T] = _Job(key, fn)
        with self._cond:
            if self._closed:   # shutting down: alone, in this thread
                return self._alone(job)
            self._queue.append(job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="commit-group", daemon=True)
                self._thread.start()
            self._cond.notify()
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[return-value]

    def waiting(self) -> int:
        with self._cond:
            return len(self._queue)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _alone(self, job: _Job[T]) -> T:
        with refused_values(), self.db.write() as s:
            return job.fn(s)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:
                    return
                group, self._queue = self._queue[:self.max_group], self._queue[self.max_group:]
            self._commit(group)

    def _commit(self, group: list[_Job[Any]]) -> None:
        group.sort(key=lambda j: j.key)
        try:
            with self.db.write() as s:
                for job in group:
                    try:
                        with refused_values(), s.begin_nested():
                            job.result = job.fn(s)
                    except Exception as e:  # noqa: BLE001 - this candidate's batch only; theirs to answer
                        job.error = e
            self.commits += 1
        except BaseException as e:  # noqa: BLE001 - the commit failed (database away, disk full): nobody is acked
            log.warning("a group of %d writes did not commit: %s", len(group), e)
            for job in group:
                if job.error is None:
                    job.error = e
        finally:
            for job in group:
                job.done.set()
