"""An upload's last byte: its parts assembled into the final object, the SHA-256 (and a document's bytes)
checked, and the verdict recorded. Shared by tus PATCH, start-up repair and staff deletion."""

import io
import logging
from typing import NamedTuple

from sqlalchemy import delete, select, update

from server import audit
from server.context import ServerContext
from server.db import Upload, UploadPart
from server.errors import ApiError
from server.logs import event
from server.storage import Part, StorageError
from server.validation import document_type

log = logging.getLogger("examdesk.server.tus")


def _gone() -> ApiError:
    return ApiError("not_found", "上传不存在", "no such upload")   # terminated meanwhile


def storage_call(fn, *args):
    try:
        return fn(*args)
    except StorageError as e:  # disk full or store gone: the client keeps its file and retries later
        log.error("upload store failed: %s", e)
        raise ApiError("upload.storage", status=507, errno=e.errno) from None


def forget_parts(ctx: ServerContext, upload_id: str, keys: list[str]) -> None:
    try:
        ctx.store.delete_parts(keys)
    except StorageError as e:  # orphans: upload_upkeep.repair_on_startup sweeps them later
        log.info("%d parts of %s left for the sweep: %s", len(keys), upload_id, e)


def parts_of(session, upload_id: str) -> list[Part]:
    return [Part(p.offset, p.length, p.key) for p in session.scalars(
        select(UploadPart).where(UploadPart.upload_id == upload_id).order_by(UploadPart.offset))]


class Declared(NamedTuple):
    """What the upload's creation declared."""
    sitting_id: str
    size: int
    purpose: str
    sha256: str
    filetype: str


def declared_of(up: Upload) -> Declared:
    return Declared(up.sitting_id, up.size, up.purpose, up.sha256, up.filetype)


class Finishing(NamedTuple):
    declared: Declared
    parts: list[Part]


def finishing(session, upload_id: str) -> Finishing:
    up = session.get(Upload, upload_id)
    if up is None:
        raise _gone()
    return Finishing(declared_of(up), parts_of(session, upload_id))


def _verdict(ctx: ServerContext, upload_id: str, declared: Declared, digest: str) -> str | None:
    """Why the assembled bytes are refused (sha256, type), or None."""
    if digest != declared.sha256:
        return "sha256"
    if declared.purpose == "document" and storage_call(document_kind, ctx, upload_id) != declared.filetype:
        return "type"   # declared PDF/DOCX, but the bytes say otherwise
    return None


def _rejected(session, now_ms: int, declared: Declared, upload_id: str, problem: str | None) -> None:
    if problem == "type":
        audit.record(session, now_ms, "server", "upload.rejected", declared.sitting_id, upload_id,
                     reason="the bytes are not a %s" % declared.filetype)


def finish(ctx: ServerContext, upload_id: str, known: Finishing | None = None) -> str | None:
    """Assemble and verify the SHA-256 (and a document's bytes); returns why it was rejected, or None.
    `known`: what it declared and its parts, read in the transaction that counted the last chunk."""
    if known is None:
        with ctx.db.read() as s:
            known = finishing(s, upload_id)
    declared, parts = known
    digest = storage_call(ctx.store.complete, upload_id, parts, declared.size)
    problem = _verdict(ctx, upload_id, declared, digest)
    with ctx.db.write() as s:
        up = s.get(Upload, upload_id)
        if up is None:
            raise _gone()
        if up.status != "partial":  # a racing request finished it first
            return None
        up.status = "verified" if problem is None else "rejected"
        up.completed_at_ms = ctx.now_ms()
        _rejected(s, up.completed_at_ms, declared, upload_id, problem)
        s.execute(delete(UploadPart).where(UploadPart.upload_id == upload_id))  # assembled: the parts may go
        event(log, "upload complete", upload_id=upload_id, status=up.status, size=up.size, problem=problem)
    forget_parts(ctx, upload_id, [p.key for p in parts])  # only now: a crash before this leaves orphans, not holes
    return problem


def finish_whole(ctx: ServerContext, upload_id: str, declared: Declared, key: str) -> tuple[bool, str | None]:
    """The whole upload in one PATCH, into a store that writes chunks in the upload's own object (every
    snapshot on local disk): verified first, then one transaction counts the bytes and records the verdict
    (no part rows). A crash between the two leaves offset 0 and start-up repair cuts the file back.
    (False, None): another request counted bytes at offset 0 first."""
    digest = storage_call(ctx.store.complete, upload_id, [Part(0, declared.size, key)], declared.size)
    problem = _verdict(ctx, upload_id, declared, digest)
    status = "verified" if problem is None else "rejected"

    def count(s) -> bool:
        now = ctx.now_ms()
        moved = s.execute(update(Upload).where(Upload.upload_id == upload_id, Upload.offset == 0,
                                               Upload.status == "partial")
                          .values(offset=declared.size, status=status, completed_at_ms=now)
                          ).rowcount
        if moved != 1:
            if s.execute(select(Upload.upload_id).where(Upload.upload_id == upload_id)).first() is None:
                raise _gone()
            return False
        _rejected(s, now, declared, upload_id, problem)
        return True

    if not ctx.commits.run(declared.sitting_id, count):   # with other candidates' writes that came in meanwhile
        return False, None
    event(log, "upload complete", upload_id=upload_id, status=status, size=declared.size, problem=problem)
    return True, problem


def document_kind(ctx: ServerContext, upload_id: str) -> str | None:
    with ctx.store.open(upload_id) as f:   # documents are small (max_document_bytes): read whole
        return document_type(io.BytesIO(f.read()))
