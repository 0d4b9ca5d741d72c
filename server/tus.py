"""tus 1.0.0 resumable uploads (core + creation + termination + checksum/sha1) at /api/v1/files/.

Our own small server instead of tuspyserver 4.4.3: that router writes PATCH data before its auth
runs, appends after junk left by a crash, ignores the declared size and checksums,
and cannot check that an upload belongs to the caller's sitting. Here every request is
authorized against the upload's sitting *before* a byte is written, bytes past the committed offset
never count (start-up repair cuts what a crash left), and the SHA-256 is verified when the last byte lands.

Bytes go to the upload store (server/storage: local disk or S3). A PATCH streams its body into a chunk,
commits it in the store, then moves the offset in the database only if it is still the offset the PATCH
started from: the database is the one arbiter, so consecutive (or racing) requests of one upload may land
on different worker processes or machines.
"""

import base64
import hashlib
import logging
import re
import uuid
from typing import NamedTuple

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import delete, update
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from server import quotas
from server.context import ServerContext
from server.db import Upload, UploadPart
from server.deps import bearer, bearer_token, candidate_of, current_ticket, get_ctx
from server.errors import ApiError
from server.ledger import owned_sitting
from server.logs import event
from server.middleware import EdgeRoute
from server.results import document_window
from server.storage import ChunkWriter
from server.upload_rules import check_candidate_delete, check_document_in_time, mark_deleted
from server.upload_verdict import (
    Declared,
    Finishing,
    declared_of,
    finish,
    finish_whole,
    finishing,
    forget_parts,
    parts_of,
    storage_call,
)
from server.validation import invalid, mime_ok, safe_filename

log = logging.getLogger("examdesk.server.tus")
TUS_HEADERS = {"Tus-Resumable": "1.0.0", "Cache-Control": "no-store"}
PURPOSES = ("evidence", "snapshot", "document")
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
router = APIRouter(prefix="/api/v1/files", tags=["uploads"], route_class=EdgeRoute)


def _bad(msg_zh: str, msg_en: str, **details) -> ApiError:
    return ApiError("upload.invalid", msg_zh, msg_en, **details)


def parse_metadata(header: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _, value = pair.partition(" ")
        try:
            meta[key] = base64.b64decode(value, validate=True).decode("utf-8") if value else ""
        except (ValueError, UnicodeDecodeError):
            raise _bad("Upload-Metadata 中 %s 的值不是有效的 base64" % key[:40],
                       "Upload-Metadata value of %s is not valid base64" % key[:40]) from None
    return meta


def _ascii_int(text: str) -> bool:
    # str.isdigit() also accepts "²" and "٣", which int() then refuses
    return text.isascii() and text.isdigit()


def _owned_upload(ctx: ServerContext, session, upload_id: str, ticket: str) -> Upload:
    up = session.get(Upload, upload_id) if re.fullmatch(r"[0-9a-f]{32}", upload_id) else None
    if up is None or up.status == "deleted":
        raise ApiError("not_found", "上传不存在", "no such upload")
    if up.ticket != ticket:
        raise ApiError("auth.forbidden", "这不是您的上传", "this upload belongs to another candidate")
    return up


@router.options("/", include_in_schema=True, status_code=204, summary="tus discovery")
@router.options("/{upload_id}", include_in_schema=True, status_code=204, summary="tus discovery")
def tus_options(ctx: ServerContext = Depends(get_ctx)) -> Response:
    return Response(status_code=204, headers=dict(TUS_HEADERS, **{
        "Tus-Version": "1.0.0", "Tus-Extension": "creation,termination,checksum",
        "Tus-Checksum-Algorithm": "sha1", "Tus-Max-Size": str(ctx.policy["max_upload_bytes"])}))


def _header_doc(name: str, required: bool, about: str) -> dict:
    return {"name": name, "in": "header", "required": required, "schema": {"type": "string"}, "description": about}


@router.post("/", status_code=201, summary="tus creation", dependencies=[Depends(bearer)],
             openapi_extra={"parameters": [_header_doc("Upload-Length", True, "bytes in all"),
                                           _header_doc("Upload-Metadata", False, "tus metadata (base64 values)")]})
async def tus_create(request: Request, ctx: ServerContext = Depends(get_ctx)) -> Response:
    """Authenticated and created in one worker thread; the headers are read once the token is known."""
    token = bearer_token(request)
    headers = request.headers
    return await run_in_threadpool(_create, ctx, token, headers.get("upload-length"), headers.get("upload-metadata", ""))


def _create(ctx: ServerContext, token: str, upload_length: str | None, upload_metadata: str) -> Response:
    ticket = candidate_of(ctx, token)
    if upload_length is None:
        raise invalid("Upload-Length header missing", "缺少 Upload-Length 请求头", ["header", "Upload-Length"], "missing")
    if not _ascii_int(upload_length) or len(upload_length) > 15:
        raise _bad("Upload-Length 必须是非负整数", "Upload-Length must be a non-negative integer")
    size = int(upload_length)
    meta = parse_metadata(upload_metadata)
    missing = [k for k in ("filename", "filetype", "sitting_id", "purpose", "sha256") if not meta.get(k)]
    if missing:
        raise _bad("Upload-Metadata 缺少：%s" % ",".join(missing), "Upload-Metadata lacks: %s" % ",".join(missing),
                   missing=missing)
    purpose, sha = meta["purpose"], meta["sha256"].lower()
    filetype, filename = meta["filetype"].strip().lower(), safe_filename(meta["filename"])
    if purpose not in PURPOSES:
        raise _bad("purpose 须为 evidence/snapshot/document", "purpose must be evidence, snapshot or document")
    if not mime_ok(filetype):
        raise _bad("filetype 须为 MIME 类型（如 video/mp4）", "filetype must be a MIME type such as video/mp4")
    if not SHA_RE.match(sha):
        raise _bad("sha256 须为 64 位十六进制", "sha256 must be 64 hex digits")
    event_seq = meta.get("event_seq")
    if event_seq is not None and not (_ascii_int(event_seq) and len(event_seq) < 10):
        raise _bad("event_seq 须为整数", "event_seq must be an integer")
    limit = ctx.policy["max_document_bytes" if purpose == "document" else "max_upload_bytes"]
    if size > limit:
        raise ApiError("upload.too_large", "文件大小 %d 字节超过上限 %d 字节" % (size, limit),
                       "%d bytes exceed the limit of %d bytes" % (size, limit), max_bytes=limit)
    if purpose == "document" and filetype not in ctx.policy["document_types"]:
        raise ApiError("upload.type", "材料须为 PDF 或 Word (docx) 文件", "documents must be PDF or Word (docx)",
                       types=ctx.policy["document_types"])
    if purpose == "document" and size == 0:
        raise _bad("材料文件不能为空", "a document cannot be empty")
    upload_id = uuid.uuid4().hex

    def reserve(s) -> None:
        sitting = owned_sitting(s, meta["sitting_id"], ticket)
        if purpose == "document":
            window = document_window(ctx, s, sitting)
            if window is None:
                raise ApiError("documents.closed", "该场次没有材料提交环节", "this sitting has no document submission")
            if ctx.now_ms() > window["deadline_ms"]:
                raise ApiError("documents.closed", deadline_ms=window["deadline_ms"])
        quotas.check_upload_quota(s, sitting.sitting_id, purpose, size, ctx.policy)
        s.add(Upload(upload_id=upload_id, sitting_id=sitting.sitting_id, ticket=ticket,
                     filename=filename, filetype=filetype, purpose=purpose, size=size,
                     offset=0, sha256=sha, status="partial", event_seq=int(event_seq) if event_seq else None,
                     created_at_ms=ctx.now_ms()))

    storage_call(ctx.store.create, upload_id)   # before: a write in a group may run twice
    try:
        ctx.commits.run(meta["sitting_id"], reserve)   # with other candidates' writes that came in meanwhile
    except BaseException:
        _discard(ctx, upload_id)
        raise
    if size == 0:
        finish(ctx, upload_id)
    event(log, "upload created", upload_id=upload_id, sitting_id=meta["sitting_id"], purpose=purpose, size=size)
    return Response(status_code=201, headers=dict(TUS_HEADERS, Location="/api/v1/files/" + upload_id))


def _discard(ctx: ServerContext, upload_id: str) -> None:
    """The empty file of a reservation that was refused (quota, sitting, deadline)."""
    try:
        ctx.store.delete(upload_id, [])
    except Exception as e:  # noqa: BLE001 - a stray empty file is harmless; the refusal is what the caller needs
        log.info("empty upload %s left behind: %s", upload_id, e)


@router.head("/{upload_id}", summary="tus offset")
def tus_head(upload_id: str, ticket: str = Depends(current_ticket), ctx: ServerContext = Depends(get_ctx)) -> Response:
    with ctx.db.read() as s:
        up = _owned_upload(ctx, s, upload_id, ticket)
        return Response(status_code=200, headers=dict(TUS_HEADERS, **{
            "Upload-Offset": str(up.offset), "Upload-Length": str(up.size), "Upload-Status": up.status}))


@router.patch("/{upload_id}", status_code=204, summary="tus append", dependencies=[Depends(bearer)],
              openapi_extra={"parameters": [
                  _header_doc("Upload-Offset", True, "where this chunk starts"),
                  _header_doc("Content-Type", True, "application/offset+octet-stream"),
                  _header_doc("Upload-Checksum", False, "sha1 <base64>: the chunk's digest")]})
async def tus_patch(upload_id: str, request: Request, ctx: ServerContext = Depends(get_ctx)) -> Response:
    """Two worker-thread steps: the token, the headers and the upload's state before a byte is read;
    then the chunk committed, counted and (if it was the last) the upload assembled and verified."""
    token = bearer_token(request)
    h = request.headers
    start = await run_in_threadpool(_patch_start, ctx, upload_id, token, h.get("upload-offset"),
                                    h.get("content-type", ""), h.get("upload-checksum", ""))
    chunk = await _receive(ctx, request, upload_id, start.offset, start.size - start.offset, start.expect_sha1)
    if chunk is None:
        return _patched(start.offset)
    written, problem = await run_in_threadpool(_count, ctx, upload_id, start, chunk)
    if written is None:  # another request moved the offset first
        moved_to = (await run_in_threadpool(_patch_state, ctx, upload_id, start.ticket, False)).offset
        raise ApiError("upload.offset_mismatch", offset=moved_to)
    if problem == "type":
        raise ApiError("upload.type", "文件内容不是所声明的 PDF 或 Word (docx) 格式，已拒收",
                       "the file's bytes are not the declared PDF or Word (docx); refused")
    return _patched(start.offset + written)


def _patched(offset: int) -> Response:
    return Response(status_code=204, headers=dict(TUS_HEADERS, **{"Upload-Offset": str(offset)}))


class UploadState(NamedTuple):
    offset: int
    status: str
    declared: Declared


class PatchStart(NamedTuple):
    ticket: str
    offset: int
    expect_sha1: str | None
    declared: Declared

    @property
    def size(self) -> int:
        return self.declared.size


def _patch_start(ctx: ServerContext, upload_id: str, token: str, upload_offset: str | None, content_type: str,
                 upload_checksum: str) -> PatchStart:
    """The token (401/403 first), the headers (415, 422), then the upload (404, 403, 409, 410...)."""
    ticket = candidate_of(ctx, token)
    if content_type.split(";")[0].strip().lower() != "application/offset+octet-stream":
        raise ApiError("request.unsupported_media", "Content-Type 须为 application/offset+octet-stream",
                       "Content-Type must be application/offset+octet-stream")
    if upload_offset is None:
        raise invalid("Upload-Offset header missing", "缺少 Upload-Offset 请求头", ["header", "Upload-Offset"], "missing")
    if not _ascii_int(upload_offset) or len(upload_offset) > 15:
        raise _bad("Upload-Offset 必须是非负整数", "Upload-Offset must be a non-negative integer")
    offset, status, declared = _patch_state(ctx, upload_id, ticket, True)
    if int(upload_offset) != offset:
        raise ApiError("upload.offset_mismatch", offset=offset)
    if status != "partial":
        raise ApiError("upload.finished", upload_status=status)
    expect_sha1 = None
    if upload_checksum:
        algo, _, value = upload_checksum.partition(" ")
        if algo.lower() != "sha1":
            raise _bad("仅支持 sha1 校验", "only sha1 chunk checksums are supported")
        expect_sha1 = value.strip()
    return PatchStart(ticket, offset, expect_sha1, declared)


def _patch_state(ctx: ServerContext, upload_id: str, ticket: str, in_time: bool) -> UploadState:
    """The caller's upload as it stands; `in_time`: a document past its deadline answers here."""
    with ctx.db.read() as s:
        up = _owned_upload(ctx, s, upload_id, ticket)
        if in_time and up.purpose == "document" and up.status == "partial":
            check_document_in_time(ctx, s, up)
        return UploadState(up.offset, up.status, declared_of(up))


def _count(ctx: ServerContext, upload_id: str, start: PatchStart, chunk: "Received") -> tuple[int | None, str | None]:
    """Commit the chunk in the store and count it; finish the upload if it was the last one. (None, None)
    when another request committed a chunk at this offset first."""
    key = storage_call(chunk.writer.commit)
    if ctx.store.chunks_in_place and start.offset == 0 and chunk.written == start.size:   # every snapshot
        counted, problem = finish_whole(ctx, upload_id, start.declared, key)
        return (chunk.written, problem) if counted else (None, None)
    last = _commit_offset(ctx, upload_id, start.offset, chunk.written, key, start.offset + chunk.written == start.size)
    if last is False:
        forget_parts(ctx, upload_id, [key])
        return None, None
    return chunk.written, (finish(ctx, upload_id, last) if last is not True else None)


class Received(NamedTuple):
    writer: ChunkWriter
    written: int


async def _receive(ctx: ServerContext, request: Request, upload_id: str, offset: int, room: int,
                   expect_sha1: str | None) -> Received | None:
    """Stream the body into the chunk at `offset`; keep what arrived before a cut (tus resumes from there).
    None for an empty body."""
    chunk: ChunkWriter = storage_call(ctx.store.chunk, upload_id, offset)
    written, digest = 0, hashlib.sha1()
    try:
        try:
            async for data in request.stream():
                if written + len(data) > room:
                    raise ApiError("upload.too_large", "数据超出声明的文件大小", "more data than Upload-Length")
                storage_call(chunk.write, data)
                digest.update(data)
                written += len(data)
        except ClientDisconnect:
            expect_sha1 = None  # a partial chunk cannot match its checksum; keep the bytes
        if expect_sha1 is not None and base64.b64encode(digest.digest()).decode() != expect_sha1:
            raise ApiError("upload.checksum", status=460)
    except BaseException:
        chunk.abort()
        raise
    if written == 0:
        chunk.abort()
        return None
    return Received(chunk, written)


def _commit_offset(ctx: ServerContext, upload_id: str, offset: int, length: int, key: str, last: bool
                   ) -> "bool | Finishing":
    """Count the chunk if the upload is still at `offset` (one conditional UPDATE: the arbiter between
    racing requests on any worker). False: not counted; for the `last` chunk, what finish needs."""
    with ctx.db.write() as s:
        moved = s.execute(update(Upload).where(Upload.upload_id == upload_id, Upload.offset == offset,
                                               Upload.status == "partial")
                          .values(offset=offset + length)).rowcount  # type: ignore[attr-defined]
        if moved != 1:
            if s.get(Upload, upload_id) is None:  # terminated meanwhile
                raise ApiError("not_found", "上传不存在", "no such upload")
            return False
        s.add(UploadPart(upload_id=upload_id, offset=offset, length=length, key=key, created_at_ms=ctx.now_ms()))
        if not last:
            return True
        s.flush()
        return finishing(s, upload_id)


@router.delete("/{upload_id}", status_code=204, summary="tus termination")
def tus_delete(upload_id: str, ticket: str = Depends(current_ticket), ctx: ServerContext = Depends(get_ctx)) -> Response:
    """An unfinished upload no event refers to goes entirely; a document before its deadline is
    withdrawn (kept in the audit log); evidence linked to an event cannot be deleted (409)."""
    with ctx.db.write() as s:
        up = _owned_upload(ctx, s, upload_id, ticket)
        check_candidate_delete(ctx, s, up)
        parts = parts_of(s, upload_id)
        if up.purpose == "document":
            mark_deleted(s, up, ctx.now_ms(), "candidate:" + ticket, "withdrawn by the candidate")
            s.execute(delete(UploadPart).where(UploadPart.upload_id == upload_id))
        else:
            s.delete(up)
    storage_call(ctx.store.delete, upload_id, parts)
    return Response(status_code=204, headers=TUS_HEADERS)
