"""Where uploaded files live: local disk (default) or an S3-compatible object store, behind one interface.

The database holds each upload's committed offset and parts; a store holds bytes only. Both stores are
safe for several worker processes: a PATCH writes its chunk, and the database's conditional offset
update (server/tus.py) decides which of two racing writers counts.

    file:///srv/examdesk/uploads                       local disk (default: DATA_DIR/uploads)
    s3://BUCKET/PREFIX?endpoint_url=https://minio:9000&region=us-east-1
                                                       S3 API (MinIO, Ceph RGW, a cloud store); credentials
                                                       from the usual AWS variables or profiles
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from server.storage.base import ChunkWriter, Part, StorageError, UploadStore

__all__ = ["ChunkWriter", "Part", "StorageError", "UploadStore", "open_store"]


def open_store(url: str | None, data_dir: Path, fsync_chunks: bool = False) -> UploadStore:
    if not url:
        from server.storage.local import LocalStore
        return LocalStore(Path(data_dir) / "uploads", fsync_chunks=fsync_chunks)
    parts = urlsplit(url)
    if parts.scheme == "file":
        from server.storage.local import LocalStore
        return LocalStore(Path(unquote(parts.path)), fsync_chunks=fsync_chunks)
    if parts.scheme == "s3":
        from server.storage.s3 import S3Store
        q = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return S3Store(parts.netloc, parts.path.strip("/"), endpoint_url=q.get("endpoint_url"),
                       region=q.get("region"))
    raise SystemExit("unsupported storage URL %r: use file:///DIR or s3://BUCKET/PREFIX" % url)
