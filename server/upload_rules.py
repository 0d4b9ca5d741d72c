"""Who may delete an upload: evidence linked to an event is immutable for the candidate (staff may
delete it, with an audit entry); a document may be withdrawn, and so replaced, until its deadline."""

from sqlalchemy import select

from server import audit
from server.context import ServerContext
from server.db import Op, Sitting, Upload, json_text
from server.errors import ApiError
from server.results import document_window

# a document reserved before its deadline may finish arriving this long after it (a 20 MiB file on a
# slow line); a reservation cannot be used to hand in later work
DOCUMENT_UPLOAD_GRACE_MS = 15 * 60 * 1000


def linked_to_event(session, up: Upload) -> bool:
    if up.event_seq is not None:
        return True
    return session.scalar(select(Op.seq).where(Op.sitting_id == up.sitting_id, Op.kind == "event",
                                               json_text(session, Op.payload, "upload_id") == up.upload_id).limit(1)) is not None


def check_candidate_delete(ctx: ServerContext, session, up: Upload) -> None:
    """Raise unless the candidate may delete `up` (tus termination)."""
    if up.status == "deleted":
        raise ApiError("not_found", "上传不存在", "no such upload")
    if up.purpose == "document":
        sitting = session.get(Sitting, up.sitting_id)
        window = document_window(ctx, session, sitting) if sitting is not None else None
        if window is None or ctx.now_ms() > window["deadline_ms"]:
            raise ApiError("documents.closed", deadline_ms=window["deadline_ms"] if window else None)
        return
    if linked_to_event(session, up):
        raise ApiError("upload.immutable", event_seq=up.event_seq)
    if up.status != "partial":
        raise ApiError("upload.finished", "已完成的文件不能删除", "a finished upload cannot be deleted",
                       upload_status=up.status)


def mark_deleted(session, up: Upload, now_ms: int, actor: str, reason: str) -> None:
    """Keep the row (the timeline shows that it existed and who removed it); the bytes go."""
    audit.record(session, now_ms, actor, "upload.delete", up.sitting_id, up.upload_id, reason=reason,
                 purpose=up.purpose, sha256=up.sha256, size=up.size, status=up.status, event_seq=up.event_seq)
    up.status = "deleted"
    up.completed_at_ms = up.completed_at_ms or now_ms


def check_document_in_time(ctx: ServerContext, session, up: Upload) -> None:
    """Raise 409 documents.closed when bytes of a document arrive after its deadline + the grace."""
    sitting = session.get(Sitting, up.sitting_id)
    window = document_window(ctx, session, sitting) if sitting is not None else None
    if window is None or ctx.now_ms() > window["deadline_ms"] + DOCUMENT_UPLOAD_GRACE_MS:
        raise ApiError("documents.closed", deadline_ms=window["deadline_ms"] if window else None)
