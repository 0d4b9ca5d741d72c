"""Uploads outside the tus protocol: a staff deletion, and the repair at start-up after a crash."""

import logging
import re

from sqlalchemy import delete, select

from server.context import ServerContext
from server.db import Upload, UploadPart
from server.errors import ApiError
from server.logs import event
from server.upload_rules import mark_deleted
from server.upload_verdict import finish, parts_of, storage_call

log = logging.getLogger("examdesk.server.tus")
SWEEP_AFTER_S = 3600  # a part object no row refers to, older than this, belongs to no live request


def admin_delete_upload(ctx: ServerContext, upload_id: str, by: str, reason: str) -> dict:
    """Staff only: delete an upload's bytes, whatever it is linked to; the row stays, marked, audited."""
    with ctx.db.write() as s:
        up = s.get(Upload, upload_id) if re.fullmatch(r"[0-9a-f]{32}", upload_id) else None
        if up is None or up.status == "deleted":
            raise ApiError("not_found", "上传不存在", "no such upload")
        mark_deleted(s, up, ctx.now_ms(), by, reason)
        parts = parts_of(s, upload_id)
        s.execute(delete(UploadPart).where(UploadPart.upload_id == upload_id))
        sitting_id = up.sitting_id
    storage_call(ctx.store.delete, upload_id, parts)
    return {"upload_id": upload_id, "sitting_id": sitting_id, "status": "deleted"}


def repair_on_startup(ctx: ServerContext) -> int:
    """Cut every partial upload back to its committed offset (a crash may have left more), move the offset
    back where a power cut took chunks that were not yet on disk, verify the uploads whose last byte arrived
    but whose check a crash interrupted, and delete part objects that no request will commit."""
    fixed, complete, live = 0, [], set()
    with ctx.db.read() as s:
        partial = [(u.upload_id, u.offset, u.size, parts_of(s, u.upload_id))
                   for u in s.scalars(select(Upload).where(Upload.status == "partial"))]
        live = set(s.scalars(select(UploadPart.key)))
    for upload_id, offset, size, parts in partial:
        have, cut = ctx.store.repair(upload_id, parts, offset)
        fixed += cut
        if have < offset:
            _roll_back(ctx, upload_id, have)
            fixed += 1
            event(log, "upload offset moved back: chunks lost before they reached the disk", logging.WARNING,
                  upload_id=upload_id, offset=offset, now=have)
        elif offset == size:
            complete.append(upload_id)
    for upload_id in complete:
        finish(ctx, upload_id)
    ctx.store.sweep(live, SWEEP_AFTER_S)
    return fixed + len(complete)


def _roll_back(ctx: ServerContext, upload_id: str, have: int) -> None:
    with ctx.db.write() as s:
        kept = 0
        for p in s.scalars(select(UploadPart).where(UploadPart.upload_id == upload_id).order_by(UploadPart.offset)):
            if p.offset + p.length <= have and p.offset == kept:
                kept += p.length
            else:
                s.delete(p)
        up = s.get(Upload, upload_id)
        if up is not None:
            up.offset = kept
