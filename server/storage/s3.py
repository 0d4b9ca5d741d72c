"""Uploads in an S3-compatible object store (boto3): MinIO, Ceph RGW, AWS S3 or another cloud store.

Each PATCH becomes its own part object (PREFIX/parts/<upload_id>/<offset>-<nonce>), spooled to memory
or a temporary file while it arrives and PUT when it is whole: S3 acknowledges a PUT once it is durable,
so no fsync question arises. Completion assembles the parts in order into PREFIX/<upload_id>.bin: one
PUT up to 16 MiB, a multipart upload of 8 MiB pieces above (S3 parts must be >= 5 MiB, tus chunks are
often smaller, so the parts are re-read rather than copied server-side), hashing on the way.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import time
import uuid
from typing import Any, BinaryIO, Sequence

from server.storage.base import Part, StorageError

PIECE = 8 << 20
SINGLE_PUT_MAX = 16 << 20
SPOOL_IN_MEMORY = 8 << 20


class S3Store:
    kind = "s3"
    chunks_in_place = False   # a chunk is its own part object until the upload is assembled

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None,
                 region: str | None = None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = (prefix.strip("/") + "/") if prefix.strip("/") else ""
        cfg = Config(s3={"addressing_style": "path"} if endpoint_url else {}, signature_version="s3v4",
                     retries={"max_attempts": 5, "mode": "standard"}, max_pool_connections=50)
        self.client: Any = boto3.client("s3", endpoint_url=endpoint_url, region_name=region or "us-east-1",
                                        config=cfg)

    def _final(self, upload_id: str) -> str:
        return "%s%s.bin" % (self.prefix, upload_id)

    def _parts_prefix(self, upload_id: str = "") -> str:
        return "%sparts/%s" % (self.prefix, upload_id + "/" if upload_id else "")

    def check(self) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (ClientError, BotoCoreError) as e:
            raise SystemExit("对象存储桶 %s 不可用：%s\nthe object store bucket %s is not usable: %s"
                             % (self.bucket, e, self.bucket, e)) from None

    def create(self, upload_id: str) -> None:
        return None  # nothing exists until the first chunk

    def chunk(self, upload_id: str, offset: int) -> _S3Chunk:
        key = "%s%d-%s" % (self._parts_prefix(upload_id), offset, uuid.uuid4().hex[:12])
        return _S3Chunk(self, key)

    def complete(self, upload_id: str, parts: Sequence[Part], size: int) -> str:
        ordered = sorted(parts, key=lambda p: p.offset)
        if sum(p.length for p in ordered) != size:
            raise StorageError("%s: parts hold %d of %d bytes" % (upload_id, sum(p.length for p in ordered), size))
        h = hashlib.sha256()
        final = self._final(upload_id)
        try:
            if size <= SINGLE_PUT_MAX:
                buf = io.BytesIO()
                for data in self._read_parts(ordered):
                    h.update(data)
                    buf.write(data)
                self.client.put_object(Bucket=self.bucket, Key=final, Body=buf.getvalue())
            else:
                self._multipart(final, ordered, h)
        except StorageError:
            raise
        except Exception as e:  # botocore raises many kinds; each means the same here
            raise StorageError("cannot assemble %s: %s" % (upload_id, e)) from None
        return h.hexdigest()

    def _read_parts(self, parts: Sequence[Part]):
        for p in parts:
            body = self.client.get_object(Bucket=self.bucket, Key=p.key)["Body"]
            try:
                while data := body.read(1 << 20):
                    yield data
            finally:
                body.close()

    def _multipart(self, final: str, parts: Sequence[Part], h: Any) -> None:
        mp = self.client.create_multipart_upload(Bucket=self.bucket, Key=final)
        done, pending, n = [], bytearray(), 0
        try:
            for data in self._read_parts(parts):
                h.update(data)
                pending += data
                while len(pending) >= PIECE:
                    n += 1
                    r = self.client.upload_part(Bucket=self.bucket, Key=final, UploadId=mp["UploadId"],
                                                PartNumber=n, Body=bytes(pending[:PIECE]))
                    done.append({"PartNumber": n, "ETag": r["ETag"]})
                    del pending[:PIECE]
            if pending or not done:
                n += 1
                r = self.client.upload_part(Bucket=self.bucket, Key=final, UploadId=mp["UploadId"], PartNumber=n,
                                            Body=bytes(pending))
                done.append({"PartNumber": n, "ETag": r["ETag"]})
            self.client.complete_multipart_upload(Bucket=self.bucket, Key=final, UploadId=mp["UploadId"],
                                                  MultipartUpload={"Parts": done})
        except BaseException:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=final, UploadId=mp["UploadId"])
            raise

    def open(self, upload_id: str) -> BinaryIO:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._final(upload_id))["Body"]
        except Exception as e:
            raise StorageError("cannot read %s: %s" % (upload_id, e)) from None

    def delete(self, upload_id: str, parts: Sequence[Part]) -> None:
        self._delete_keys([self._final(upload_id)] + [p.key for p in parts])

    def _delete_keys(self, keys: list[str]) -> None:
        for i in range(0, len(keys), 1000):
            batch = keys[i:i + 1000]
            if batch:
                self.client.delete_objects(Bucket=self.bucket,
                                           Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True})

    def delete_parts(self, keys: Sequence[str]) -> None:
        try:
            self._delete_keys(list(keys))
        except Exception as e:
            raise StorageError("cannot delete %d parts: %s" % (len(keys), e)) from None

    def repair(self, upload_id: str, parts: Sequence[Part], committed: int) -> tuple[int, bool]:
        return committed, False  # a part is in the database only after S3 acknowledged its PUT

    def sweep(self, live_keys: set[str], older_than_s: float) -> int:
        cutoff = time.time() - older_than_s
        stale = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                          Prefix=self._parts_prefix()):
            for obj in page.get("Contents", []):
                if obj["Key"] not in live_keys and obj["LastModified"].timestamp() < cutoff:
                    stale.append(obj["Key"])
        self._delete_keys(stale)
        return len(stale)


class _S3Chunk:
    def __init__(self, store: S3Store, key: str) -> None:
        self.store, self.key = store, key
        self.spool: Any = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)

    def write(self, data: bytes) -> None:
        try:
            self.spool.write(data)
        except OSError as e:
            self.abort()
            raise StorageError("cannot spool %s: %s" % (self.key, e), e.errno) from None

    def commit(self) -> str:
        try:
            self.spool.seek(0)
            self.store.client.put_object(Bucket=self.store.bucket, Key=self.key, Body=self.spool)
        except Exception as e:
            raise StorageError("cannot store %s: %s" % (self.key, e)) from None
        finally:
            self.abort()
        return self.key

    def abort(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None
