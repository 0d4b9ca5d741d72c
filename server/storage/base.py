"""The upload store interface (a typing.Protocol both stores are checked against)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Protocol, Sequence


class StorageError(Exception):
    """The store could not take or give bytes (disk full, bucket gone); `errno` when the OS said why."""

    def __init__(self, message: str, errno: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno


@dataclass(frozen=True)
class Part:
    offset: int
    length: int
    key: str


class ChunkWriter(Protocol):
    """One PATCH's bytes. `commit()` makes them readable (and durable, where the store promises it) and
    returns the part's key; `abort()` forgets them."""

    def write(self, data: bytes) -> None: ...

    def commit(self) -> str: ...

    def abort(self) -> None: ...


class UploadStore(Protocol):
    kind: str
    # a chunk's bytes go into the upload's own object (racing writers of one offset already share it), so an
    # upload that came whole in one PATCH is verified before the one transaction that counts it
    chunks_in_place: bool

    def check(self) -> None:
        """Raise SystemExit with a clear message if the store cannot be used (at start-up)."""

    def create(self, upload_id: str) -> None: ...

    def chunk(self, upload_id: str, offset: int) -> ChunkWriter: ...

    def complete(self, upload_id: str, parts: Sequence[Part], size: int) -> str:
        """Make the upload's final object from its parts (in offset order, `size` bytes in all), durably;
        returns its SHA-256 (hex). The parts stay until delete_parts (after the database has recorded it)."""

    def open(self, upload_id: str) -> BinaryIO:
        """The final object of a completed upload, for reading."""

    def delete(self, upload_id: str, parts: Sequence[Part]) -> None: ...

    def delete_parts(self, keys: Sequence[str]) -> None:
        """Forget part objects: a chunk that lost the race for its offset, or the parts of an assembled upload."""

    def repair(self, upload_id: str, parts: Sequence[Part], committed: int) -> tuple[int, bool]:
        """After a crash: drop bytes past the committed offset. Returns how many bytes are really there (less
        than `committed` only if a power cut took chunks that were not yet fsynced) and whether it cut any."""

    def sweep(self, live_keys: set[str], older_than_s: float) -> int:
        """Delete part objects no committed part refers to (writers that lost a race or died), if older than
        `older_than_s` (another worker may be writing a young one). Returns how many."""
