"""Uploads on local disk: one file per upload (DIR/<upload_id>.bin, mode 0600, folder 0700).

A PATCH writes at its offset (pwrite). Two racing PATCHes of one upload started at the same committed
offset and carry the same bytes from an honest client; only the one whose offset update wins counts.
Nothing is truncated while uploads run (a late writer could cut what another committed): bytes past the
committed offset are overwritten by the next chunk, cut at completion, or cut by repair() at start-up.

fsync: a chunk is fsynced only with fsync_chunks. Without it a power cut can take the last chunks the
database already counts; repair() finds the file shorter and the offset is moved back, so the client
resends them. The completed file is fsynced before the upload is marked verified.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import BinaryIO, Sequence

from server.storage.base import Part, StorageError

BLOCK = 1 << 20


class LocalStore:
    kind = "local"
    chunks_in_place = True

    def __init__(self, root: Path, fsync_chunks: bool = False) -> None:
        self.root = Path(root)
        self.fsync_chunks = fsync_chunks

    def check(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(str(self.root), 0o700)  # evidence video and documents are personal data

    def path(self, upload_id: str) -> Path:
        return self.root / (upload_id + ".bin")

    def create(self, upload_id: str) -> None:
        try:
            os.close(os.open(str(self.path(upload_id)), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except OSError as e:
            raise StorageError("cannot create %s: %s" % (upload_id, e), e.errno) from None

    def chunk(self, upload_id: str, offset: int) -> _LocalChunk:
        return _LocalChunk(self, upload_id, offset)

    def complete(self, upload_id: str, parts: Sequence[Part], size: int) -> str:
        p = self.path(upload_id)
        h = hashlib.sha256()
        try:
            with open(p, "r+b") as f:
                f.truncate(size)  # bytes past the end: a crash or a racing writer
                for block in iter(lambda: f.read(BLOCK), b""):
                    h.update(block)
                if f.tell() != size:
                    raise StorageError("%s holds %d of %d bytes" % (upload_id, f.tell(), size))
                os.fsync(f.fileno())
            _fsync_dir(self.root)
        except OSError as e:
            raise StorageError("cannot complete %s: %s" % (upload_id, e), e.errno) from None
        return h.hexdigest()

    def open(self, upload_id: str) -> BinaryIO:
        return open(self.path(upload_id), "rb")

    def delete(self, upload_id: str, parts: Sequence[Part]) -> None:
        try:
            os.unlink(str(self.path(upload_id)))
        except FileNotFoundError:
            pass

    def delete_parts(self, keys: Sequence[str]) -> None:
        return None  # a chunk lives inside the upload's file; the winner wrote the same bytes there

    def repair(self, upload_id: str, parts: Sequence[Part], committed: int) -> tuple[int, bool]:
        p = self.path(upload_id)
        if not p.exists():
            return 0, False
        have = p.stat().st_size
        if have > committed:
            with open(p, "r+b") as f:
                f.truncate(committed)
            return committed, True
        return have, False

    def sweep(self, live_keys: set[str], older_than_s: float) -> int:
        return 0  # no part objects: chunks live inside the upload's own file


class _LocalChunk:
    def __init__(self, store: LocalStore, upload_id: str, offset: int) -> None:
        self.store, self.upload_id, self.pos = store, upload_id, offset
        self.key = "%s.bin@%d" % (upload_id, offset)
        try:
            self.fd: int | None = os.open(str(store.path(upload_id)), os.O_WRONLY)
        except OSError as e:
            raise StorageError("cannot open %s: %s" % (upload_id, e), e.errno) from None

    def write(self, data: bytes) -> None:
        assert self.fd is not None
        view = memoryview(data)
        try:
            while view:
                n = os.pwrite(self.fd, view, self.pos)
                self.pos += n
                view = view[n:]
        except OSError as e:  # disk full, file too large: the committed part stays as it was
            self.abort()
            raise StorageError("cannot write %s: %s" % (self.upload_id, e), e.errno) from None

    def commit(self) -> str:
        try:
            if self.fd is not None and self.store.fsync_chunks:
                os.fsync(self.fd)
        except OSError as e:
            raise StorageError("cannot sync %s: %s" % (self.upload_id, e), e.errno) from None
        finally:
            self.abort()
        return self.key

    def abort(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _fsync_dir(path: Path) -> None:
    fd = os.open(str(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
