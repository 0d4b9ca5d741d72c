"""Per-sitting quotas: heartbeat rate, upload reservations, concurrent sealed imports.

Counters that must hold across several server processes live in the database (rows locked with
the sitting); the sealed-import gate is per process, since it guards this process's memory and CPU.
"""

import math
import threading
from contextlib import contextmanager
from typing import Any, Iterator

from sqlalchemy import func, select

from server.db import SittingEdge, Upload
from server.errors import ApiError, rate_limited

HEARTBEAT_BURST = 10      # heartbeats a sitting may send back to back (reconnects, restarts)
SEALED_IMPORTS = 2        # sealed exports opened at once by one server process
DOCUMENT = ("document",)
MEDIA = ("evidence", "snapshot")


def heartbeat_refill_ms(policy: dict[str, Any]) -> int:
    """One heartbeat earned per a fifth of the policy interval: 5x a well-behaved client's rate."""
    return max(1000, int(float(policy.get("heartbeat_interval_s", 15)) * 1000) // 5)


def edge_row(session, sitting_id: str, now_ms: int) -> SittingEdge:
    row = session.get(SittingEdge, sitting_id)
    if row is None:
        row = SittingEdge(sitting_id=sitting_id, hb_tokens=float(HEARTBEAT_BURST), hb_at_ms=now_ms)
        session.add(row)
    return row


def take_heartbeat(session, sitting_id: str, now_ms: int, policy: dict[str, Any]) -> SittingEdge:
    """Spend one heartbeat token of the sitting (the caller holds the sitting's row lock), or raise
    429 rate.limited with Retry-After. A refused heartbeat changes nothing and is not stored."""
    row = edge_row(session, sitting_id, now_ms)
    refill = heartbeat_refill_ms(policy)
    elapsed = max(0, now_ms - row.hb_at_ms)   # a clock set back earns nothing
    tokens = min(float(HEARTBEAT_BURST), row.hb_tokens + elapsed / refill)
    if tokens < 1.0:
        raise rate_limited("rate.limited", math.ceil((1.0 - tokens) * refill / 1000.0), scope="heartbeat")
    row.hb_tokens, row.hb_at_ms = tokens - 1.0, now_ms
    return row


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
