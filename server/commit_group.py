"""Group commit of the hot-path writes (answer ops, tus reservations, whole-upload verdicts): the writes of
several candidates that arrive together share one write transaction and one commit (one WAL fsync and one
turn of the writer lock on SQLite, one flush on PostgreSQL). If any of them is refused (a gap, a fork, a
quota, a value the database refuses) or the commit fails, the group is rolled back and each write runs again
alone, so one candidate's refusal never becomes another's. An answer is sent only after the commit that
holds it: an acknowledged op is as durable as before. A write must therefore be safe to run twice: it reads
what it needs inside the transaction and touches nothing outside it.

One writer thread per process takes whatever is queued when it is free: a lone write commits at once (no
waiting for company), and writes that came in while a commit was running go in the next one together.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Generic, TypeVar

from server.db import Database

log = logging.getLogger("examdesk.server.commit_group")
T = TypeVar("T")
MAX_GROUP = 64   # writes in one transaction at most


class _Job(Generic[T]):
    __slots__ = ("key", "fn", "done", "result", "error")

    def __init__(self, key: str, fn: Callable[[Any], T]) -> None:
        self.key, self.fn = key, fn
        self.done = threading.Event()
        self.result: T | None = None
        self.error: BaseException | None = None


class CommitGroup:
    """`grouped`: on by default for SQLite only. SQLite has one writer at a time, so its writes queue anyway;
    PostgreSQL runs concurrent transactions and already flushes the WAL of commits that arrive together once,
    and one writer thread per worker there made every write wait for the others' round trips (bench: 2
    workers, 1,000 candidates, p99 168 ms -> 4.8 s)."""

    def __init__(self, db: Database, max_group: int = MAX_GROUP, grouped: bool | None = None) -> None:
        self.db, self.max_group = db, max_group
        self.grouped = db.dialect == "sqlite" if grouped is None else grouped
        self._cond = threading.Condition()
        self._queue: list[_Job[Any]] = []
        self._thread: threading.Thread | None = None
        self._closed = False

    def run(self, key: str, fn: Callable[[Any], T]) -> T:
        """fn(session) inside the next group's transaction; its result once that transaction has committed.
        `key` orders the group's writes (the sitting: PostgreSQL row locks taken in one order)."""
        job: _Job[T] = _Job(key, fn)
        with self._cond:
            alone = self._closed or not self.grouped   # shutting down, or not grouped: in this thread
            if not alone:
                self._queue.append(job)
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name="commit-group", daemon=True)
                    self._thread.start()
                self._cond.notify()
        if alone:
            return self._alone(job)
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

    def _commit_alone(self, job: _Job[Any]) -> None:
        """A write with no company: its own transaction."""
        try:
            job.result = self._alone(job)
        except Exception as e:  # noqa: BLE001 - the caller's to answer
            job.error = e
        finally:
            job.done.set()

    def _alone(self, job: _Job[T]) -> T:
        with self.db.write() as s:   # a value the database refuses answers 422 there
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
        if len(group) == 1:
            self._commit_alone(group[0])
            return
        group.sort(key=lambda j: j.key)
        try:
            with self.db.write() as s:
                results = [job.fn(s) for job in group]
        except Exception as e:  # noqa: BLE001 - one was refused or the commit failed: each alone, once
            log.info("a group of %d writes rolled back (%s: %s); each runs alone", len(group), type(e).__name__, e)
            for job in group:
                self._commit_alone(job)
            return
        except BaseException as e:
            for job in group:
                job.error = e
                job.done.set()
            raise
        for job, result in zip(group, results):
            job.result = result
            job.done.set()
