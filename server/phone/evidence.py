"""Phone frames kept as evidence: a small store (local files in the data folder, 0600) and the functions the
proctor console and the timeline use to list and fetch a sitting's frames. Retention comes from the policy."""

import hashlib
import logging
import os
import re
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select

from server.context import ServerContext
from server.errors import ApiError
from server.ledger import owned_sitting
from server.logs import event
from server.phone.models import PhoneFrame, ensure_tables

log = logging.getLogger("examdesk.server.phone")
DAY_MS = 86_400_000
_SAFE = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")


class FrameStore(Protocol):
    """Where kept frames live (local files here; an object store where the server scales out)."""

    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...


class LocalFrameStore:
    """data-dir/phone/<sitting>/<key>.jpg, folders 0700 and files 0600 (personal data), written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(str(self.root), 0o700)

    def _path(self, key: str) -> Path:
        folder, _, name = key.partition("/")
        if not (_SAFE.match(folder) and _SAFE.match(name)) or folder.startswith(".") or name.startswith("."):
            raise ValueError("bad frame key %r" % key[:100])
        return self.root / folder / name

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(str(tmp), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(str(tmp), str(path))
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def folder_of(sitting_id: str) -> str:
    """A file-system-safe folder name for a sitting (ids are safe already; anything else is hashed)."""
    if _SAFE.match(sitting_id) and not sitting_id.startswith("."):
        return sitting_id
    return "s-" + hashlib.sha256(sitting_id.encode("utf-8")).hexdigest()[:32]


_stores: dict[int, LocalFrameStore] = {}


def store_for(ctx: ServerContext) -> FrameStore:
    store = _stores.get(id(ctx))
    if store is None or store.root != ctx.data_dir / "phone":
        store = _stores[id(ctx)] = LocalFrameStore(ctx.data_dir / "phone")
    return store


def frame_view(f: PhoneFrame) -> dict[str, Any]:
    return {"frame_id": f.id, "seq": f.seq, "received_at_ms": f.received_at_ms, "reason": f.reason,
            "size": f.size, "sha256": f.sha256, "width": f.width, "height": f.height, "deleted": f.deleted}


# -- what the proctor console and the timeline use -------------------------------------------------------
def list_frames(ctx: ServerContext, sitting_id: str) -> list[dict[str, Any]]:
    """The sitting's kept phone frames, oldest first (deleted ones keep their record, without the picture)."""
    ensure_tables(ctx.db)
    with ctx.db.read() as s:
        owned_sitting(s, sitting_id, None)
        rows = s.scalars(select(PhoneFrame).where(PhoneFrame.sitting_id == sitting_id)
                         .order_by(PhoneFrame.received_at_ms, PhoneFrame.id))
        return [frame_view(f) for f in rows]


def read_frame(ctx: ServerContext, sitting_id: str, frame_id: int) -> bytes:
    """One kept frame's JPEG; not_found when it is not this sitting's or is past retention."""
    ensure_tables(ctx.db)
    with ctx.db.read() as s:
        owned_sitting(s, sitting_id, None)
        f = s.get(PhoneFrame, frame_id)
        if f is None or f.sitting_id != sitting_id or f.deleted:
            raise ApiError("not_found", "没有这张手机画面", "no such phone frame", frame_id=frame_id)
        key, sha = f.key, f.sha256
    try:
        data = store_for(ctx).get(key)
    except (OSError, ValueError):
        log.error("phone frame %s of %s missing from the store", frame_id, sitting_id)
        raise ApiError("not_found", "这张手机画面的文件已丢失", "the phone frame's file is missing", frame_id=frame_id) from None
    if hashlib.sha256(data).hexdigest() != sha:
        log.error("phone frame %s of %s does not match its SHA-256", frame_id, sitting_id)
        raise ApiError("not_found", "这张手机画面的文件已损坏", "the phone frame's file is damaged", frame_id=frame_id)
    return data


# -- retention -----------------------------------------------------------------------------------------
_purge_lock = threading.Lock()
_last_purge: dict[int, float] = {}
PURGE_EVERY_S = 3600.0


def purge_expired(ctx: ServerContext, retention_days: float) -> int:
    """Delete kept frames older than the retention (files gone, records marked); returns how many."""
    ensure_tables(ctx.db)
    cutoff = ctx.now_ms() - int(retention_days * DAY_MS)
    store = store_for(ctx)
    with ctx.db.write() as s:
        rows = list(s.scalars(select(PhoneFrame).where(PhoneFrame.received_at_ms < cutoff,
                                                       PhoneFrame.deleted.is_(False)).limit(5000)))
        for f in rows:
            try:
                store.delete(f.key)
            except (OSError, ValueError) as e:
                log.warning("expired phone frame %s not deleted: %s", f.id, e)
                continue
            f.deleted = True
    if rows:
        event(log, "expired phone frames deleted", count=len(rows), retention_days=retention_days)
    return len(rows)


def purge_if_due(ctx: ServerContext, retention_days: float) -> None:
    now = time.monotonic()
    if now - _last_purge.get(id(ctx), -PURGE_EVERY_S) < PURGE_EVERY_S or not _purge_lock.acquire(blocking=False):
        return
    try:
        _last_purge[id(ctx)] = now
        purge_expired(ctx, retention_days)
    finally:
        _purge_lock.release()
