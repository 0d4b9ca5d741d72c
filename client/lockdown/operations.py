"""Every change the lockdown makes is an Operation with perform() and revert(), run in a sequence that
writes a durable record before each perform() and unwinds in reverse: on a failure, at the end of the
exam, and (from the record) at the next start after a crash."""
from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List, Optional, Protocol, Tuple

from client.lockdown import events as ev
from client.lockdown.record import FAILED, PERFORMED, REVERT_FAILED, REVERTED, LockdownRecord

log = logging.getLogger(__name__)


class Operation(Protocol):
    kind: str        # stable name in the durable record: recovery finds its undo by this name
    required: bool   # a required operation that fails stops the start; an optional one is reported

    def plan(self) -> Dict[str, Any]:
        """What is about to change and how to undo it without this process (JSON), read before perform()."""
        ...

    def perform(self) -> None: ...

    def revert(self) -> None:
        """Undo perform(); safe after a perform() that failed half-way."""
        ...


class FunctionOperation:
    """An operation made of two callables (most are: set a flag, clear it)."""

    def __init__(self, kind: str, perform: Callable[[], None], revert: Callable[[], None], required: bool = False,
                 plan: Optional[Callable[[], Dict[str, Any]]] = None) -> None:
        self.kind, self.required = kind, required
        self._perform, self._revert, self._plan = perform, revert, plan

    def plan(self) -> Dict[str, Any]:
        return dict(self._plan()) if self._plan is not None else {}

    def perform(self) -> None:
        self._perform()

    def revert(self) -> None:
        self._revert()

    def __repr__(self) -> str:
        return "<operation %s>" % self.kind


class LockdownFailed(RuntimeError):
    """A required operation failed; everything performed before it has been reverted."""

    def __init__(self, kind: str, error: BaseException) -> None:
        super().__init__("%s failed: %s" % (kind, error))
        self.kind, self.error = kind, error


class OperationSequence:
    def __init__(self, record: LockdownRecord, on_event: ev.EventSink) -> None:
        self.record, self.on_event = record, on_event
        self._done: List[Tuple[int, Operation]] = []
        self.skipped: List[Dict[str, str]] = []   # optional operations that failed: what this PC did not get

    @property
    def performed(self) -> List[str]:
        return [op.kind for _i, op in self._done]

    def run(self, operations: List[Operation]) -> None:
        for op in operations:
            index = self.record.add(op.kind, op.plan())      # durable before anything changes
            try:
                op.perform()
            except Exception as e:  # noqa: BLE001 - any failure of a system call lands here
                log.warning("lockdown operation %s failed: %r", op.kind, e)
                self._undo_partial(op)
                self.record.mark(index, FAILED, error=str(e)[:300])
                if op.required:
                    failures = self.unwind()
                    self.on_event(ev.OPERATION_FAILED, ev.WARN, {"operation": op.kind, "error": str(e)[:300],
                                                                 "required": True, "revert_failures": failures})
                    raise LockdownFailed(op.kind, e) from e
                self.skipped.append({"operation": op.kind, "error": str(e)[:300]})
                continue
            self.record.mark(index, PERFORMED)
            self._done.append((index, op))

    def unwind(self) -> List[Dict[str, str]]:
        """Revert everything performed, newest first; one failing revert never stops the others."""
        failures: List[Dict[str, str]] = []
        while self._done:
            index, op = self._done.pop()
            try:
                op.revert()
                self.record.mark(index, REVERTED)
            except Exception as e:  # noqa: BLE001
                log.error("lockdown revert of %s failed: %r", op.kind, e)
                self.record.mark(index, REVERT_FAILED, error=str(e)[:300])
                failures.append({"operation": op.kind, "error": str(e)[:300]})
        return failures

    @staticmethod
    def _undo_partial(op: Operation) -> None:
        try:
            op.revert()
        except Exception as e:  # noqa: BLE001 - it may well have changed nothing
            log.debug("revert after failed perform of %s: %r", op.kind, e)
