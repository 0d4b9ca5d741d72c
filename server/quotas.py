"""Per-sitting quotas: heartbeat rate, upload reservations, concurrent sealed imports.

Upload counts must hold across several server processes and live in the database (rows locked with
the sitting); the heartbeat bucket and the sealed-import gate are per process (hot path; this
process's memory and CPU).
"""

import math
import threading
from contextlib import contextmanager
from typing import Any, Iterator

from sqlalchemy import func, select

from server.db import Upload
from server.errors import ApiError, rate_limited

HEARTBEAT_BURST = 10      # heartbeats a sitting may send back to back (reconnects, restarts)
SEALED_IMPORTS = 2        # sealed exports opened at once by one server process
DOCUMENT = ("document",)
MEDIA = ("evidence", "snapshot")


def heartbeat_refill_ms(policy: dict[str, Any]) -> int:
    """One heartbeat earned per a fifth of the policy interval: 5x a well-behaved client's rate."""
    return max(1000, int(float(policy.get("heartbeat_interval_s", 15)) * 1000) // 5)


class HeartbeatRate:
    """A token bucket per sitting, in this process's memory: heartbeats are the hot path and must not
    write. With N workers behind a balancer a client may reach N times the rate; still bounded."""

    MAX_SITTINGS = 200_000   # buckets kept; the oldest are forgotten (a forgotten one starts full)

    def __init__(self, policy: dict[str, Any]) -> None:
        self.refill_ms = heartbeat_refill_ms(policy)
        self._buckets: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def take(self, sitting_id: str, now_ms: int) -> None:
        """Spend one token of the sitting, or raise 429 rate.limited with Retry-After."""
        with self._lock:
            tokens, at = self._buckets.pop(sitting_id, (float(HEARTBEAT_BURST), now_ms))
            elapsed = max(0, now_ms - at)   # a clock set back earns nothing
            tokens = min(float(HEARTBEAT_BURST), tokens + elapsed / self.refill_ms)
            if tokens < 1.0:
                self._buckets[sitting_id] = (tokens, now_ms)
                raise rate_limited("rate.limited", math.ceil((1.0 - tokens) * self.refill_ms / 1000.0),
                                   scope="heartbeat")
            self._buckets[sitting_id] = (tokens - 1.0, now_ms)   # re-inserted: the dict keeps use order
            if len(self._buckets) > self.MAX_SITTINGS:
                del self._buckets[next(iter(self._buckets))]


def check_upload_quota(session, sitting_id: str, purpose: str, size: int, policy: dict[str, Any]) -> None:
    """Reservations (uploads in progress or verified) of one sitting: evidence and snapshots share a
    count and a byte budget; documents have their own count (each is capped by max_document_bytes)."""
    group = DOCUMENT if purpose in DOCUMENT else MEDIA
    count, used = session.execute(select(func.count(), func.coalesce(func.sum(Upload.size), 0)).where(
        Upload.sitting_id == sitting_id, Upload.purpose.in_(group),
        Upload.status.in_(("partial", "verified")))).one()
    if group is DOCUMENT:
        max_count, max_bytes = int(policy["max_documents_per_window"]), None
    else:
        max_count, max_bytes = int(policy["max_uploads_per_sitting"]), int(policy["max_upload_bytes_per_sitting"])
    if count + 1 > max_count or (max_bytes is not None and used + size > max_bytes):
        raise ApiError("upload.quota", "本场考试的上传已达上限：最多 %d 个文件%s" % (
            max_count, "，共 %d 字节" % max_bytes if max_bytes else ""),
            "this sitting's uploads are at their limit: %d files%s" % (
            max_count, ", %d bytes in all" % max_bytes if max_bytes else ""),
            max_uploads=max_count, max_bytes=max_bytes, uploads=int(count), bytes=int(used))


_imports = threading.BoundedSemaphore(SEALED_IMPORTS)
_importing: set[str] = set()
_importing_lock = threading.Lock()


@contextmanager
def sealed_import_slot(sitting_id: str) -> Iterator[None]:
    """One import per sitting and SEALED_IMPORTS per process at a time; others wait (429)."""
    with _importing_lock:
        if sitting_id in _importing:
            raise rate_limited("rate.limited", 5, scope="sealed_import")
        _importing.add(sitting_id)
    try:
        if not _imports.acquire(blocking=False):
            raise rate_limited("rate.limited", 5, scope="sealed_import")
        try:
            yield
        finally:
            _imports.release()
    finally:
        with _importing_lock:
            _importing.discard(sitting_id)
