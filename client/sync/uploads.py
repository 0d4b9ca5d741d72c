"""Evidence and document uploads over tus (tuspy), one chunk at a time, with a bandwidth cap.

tuspy out of the box has no HTTP timeouts and opens the file on every call; `TimedUploader`
adds timeouts and closes what it opens. The upload URL is kept in the journal (the data folder)
so a restart resumes at the server's offset (HEAD) instead of starting over. A local file is
deleted only when `GET /sittings/{sid}/uploads` says the server verified *our* SHA-256.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from typing import Any, Callable, Dict, List, Optional, cast
from urllib.parse import urljoin

import requests
from tusclient.client import TusClient
from tusclient.exceptions import TusCommunicationError, TusUploadFailed
from tusclient.uploader import Uploader

from client.sync.http import Offline
from examcore.errors import ExamError

log = logging.getLogger(__name__)


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class TimedUploader(Uploader):
    """tuspy's Uploader with request timeouts (tuspy has none) and no retry sleeps of its own:
    the sync worker owns retries and backoff."""

    timeout_s = 15.0

    def upload_url(self) -> Optional[str]:
        """The upload's URL once known: tuspy declares `url` as None, set_url() makes it a str."""
        return cast(Optional[str], self.url)

    def tus_client(self) -> TusClient:
        """The TusClient this uploader creates uploads with (UploadJob always gives one)."""
        if self.client is None:
            raise ValueError("TimedUploader needs a TusClient to create an upload")
        return self.client

    def get_offset(self) -> int:
        url = self.upload_url()
        if not url:   # what requests would refuse (MissingSchema), said plainly
            raise TusCommunicationError("no upload URL to ask the offset of")
        try:
            resp = requests.head(url, headers=self.get_headers(), timeout=self.timeout_s)
        except requests.RequestException as e:
            raise TusCommunicationError(str(e)) from None
        offset = resp.headers.get("upload-offset") or ""
        if not offset.isdigit():  # missing, or a reply cut inside its headers
            raise TusCommunicationError("HEAD answered %s" % resp.status_code, resp.status_code, resp.content)
        return int(offset)

    def create_url(self) -> str:
        try:
            resp = requests.post(self.tus_client().url, headers=self.get_url_creation_headers(),
                                 timeout=self.timeout_s)
        except requests.RequestException as e:
            raise TusCommunicationError(str(e)) from None
        url = resp.headers.get("location")
        if url is None:
            raise TusCommunicationError("creation answered %s" % resp.status_code, resp.status_code, resp.content)
        return urljoin(self.tus_client().url, url)

    def _do_request(self) -> None:
        url = self.upload_url()
        if not url:   # what requests would refuse (MissingSchema), said plainly
            raise TusUploadFailed("no upload URL to send the chunk to")
        length = self.get_request_length()
        stream = self.get_file_stream()
        stream.seek(self.offset)
        chunk = stream.read(length)
        headers = dict(self.get_headers())
        headers.update({"Upload-Offset": str(self.offset), "Content-Type": "application/offset+octet-stream"})
        try:
            resp = requests.patch(url, data=chunk, headers=headers, timeout=self.timeout_s)
        except requests.RequestException as e:
            raise TusUploadFailed(e) from None
        if resp.status_code != 204:
            raise TusUploadFailed("", resp.status_code, resp.content)
        new_offset = resp.headers.get("upload-offset") or ""
        if not new_offset.isdigit():  # missing, or a reply cut inside its headers: ask the offset again
            raise TusUploadFailed("no Upload-Offset", resp.status_code, resp.content)

        class _Answer:   # what Uploader.upload_chunk reads back
            response_headers = {"upload-offset": new_offset}

        self.request = _Answer()  # type: ignore[assignment]


class UploadJob:
    """One file on its way to the server. `step()` sends one chunk; returns True when all is sent."""

    def __init__(self, record: Dict[str, Any], api_url: str, headers: Callable[[], Dict[str, str]],
                 save_url: Callable[[str], None], chunk_bytes: int, bandwidth_bps: int,
                 timeout_s: float = 15.0) -> None:
        self.record = record
        self.path = record["path"]
        self.size = int(record["size"])
        self._headers = headers
        self._save_url = save_url
        self.chunk_bytes = chunk_bytes
        self.bandwidth_bps = bandwidth_bps
        self._stream = None  # type: Any
        self._uploader: Optional[TimedUploader] = None
        self._api_url = api_url
        self.timeout_s = timeout_s
        self.not_before = 0.0   # time.monotonic() before which the next chunk must not start
        self.resumed_from: List[int] = []

    def _open(self) -> TimedUploader:
        if self._uploader is not None:
            self._uploader.tus_client().headers = self._headers()
            return self._uploader
        meta = {"filename": os.path.basename(self.path), "filetype": _mime(self.path),
                "sitting_id": self.record["sitting_id"], "purpose": self.record["purpose"],
                "sha256": self.record["sha256"]}
        if self.record.get("event_seq") is not None:
            meta["event_seq"] = str(self.record["event_seq"])
        client = TusClient(self._api_url + "/files/", headers=self._headers())
        self._stream = open(self.path, "rb")
        TimedUploader.timeout_s = self.timeout_s
        try:
            # a stored URL resumes from the server's offset (HEAD); a stale one starts afresh
            up = TimedUploader(file_stream=self._stream, client=client, chunk_size=self.chunk_bytes, metadata=meta,
                               url=self.record.get("url") or None, retries=0)
        except TusCommunicationError as e:
            if e.status_code in (404, 410):
                log.warning("stale upload URL for %s (%s): starting again", self.path, e.status_code)
                self._remember_url("")
                up = TimedUploader(file_stream=self._stream, client=client, chunk_size=self.chunk_bytes,
                                   metadata=meta, retries=0)
            else:
                self.close()
                raise
        up.stop_at = self.size
        if up.url and up.offset > 0:
            self.resumed_from.append(up.offset)     # the server's offset (HEAD), not a fresh start
        self._uploader = up
        return up

    def _remember_url(self, url: str) -> None:
        self.record["url"] = url
        self._save_url(url)

    @property
    def offset(self) -> int:
        return self._uploader.offset if self._uploader else 0

    def step(self) -> bool:
        started = time.monotonic()
        try:
            up = self._open()
            if not up.upload_url():
                url = up.create_url()
                up.set_url(url)
                up.offset = 0
                self._remember_url(url)
            if up.offset < self.size:
                up.upload_chunk()
        except (TusCommunicationError, TusUploadFailed) as e:
            status = getattr(e, "status_code", None)
            self.reset()
            if status and 400 <= int(status) < 500 and int(status) not in (401, 404, 408, 410, 423, 429):
                err = refused(int(status), getattr(e, "response_content", b""))
                # a 409 is usually an offset mismatch (ask the offset again); a closed window is final
                if int(status) != 409 or err.code == "documents.closed":
                    raise err from None
            if status in (404, 410):       # the server forgot this upload: start a new one
                self._remember_url("")
            raise Offline("upload interrupted (%s)" % (status or e), int(status or 0)) from None
        if self.bandwidth_bps > 0:
            # the cap: the next chunk waits so that the average stays under bandwidth_bps; the worker
            # delivers answers meanwhile instead of sleeping
            self.not_before = started + min(self.chunk_bytes, self.size) / float(self.bandwidth_bps)
        return up.offset >= self.size

    def reset(self) -> None:
        """After a cut: forget the connection; the next step asks the server for its offset."""
        self.close()

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
        self._stream = None
        self._uploader = None


class UploadRefused(ExamError):
    """The server will not take this file (too large, wrong type, window closed): do not retry."""


def refused(status: int, content: Any) -> UploadRefused:
    try:
        err = json.loads(content or b"{}").get("error") or {}
    except (ValueError, AttributeError):
        err = {}
    return UploadRefused(str(err.get("code") or "upload.refused"),
                         str(err.get("message_zh") or "服务器拒绝了该文件（HTTP %d）。" % status),
                         str(err.get("message_en") or "the server refused the file (HTTP %d)" % status),
                         {"status": status})


def mime_type(path: str) -> str:
    return _mime(path)


def _mime(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    return {".mp4": "video/mp4", ".avi": "video/x-msvideo", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
            ".png": "image/png", ".pdf": "application/pdf",
            ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}.get(
        ext, "application/octet-stream")
