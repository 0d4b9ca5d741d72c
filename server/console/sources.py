"""Where the console's evidence comes from, behind one small interface.

- snippets and snapshots: the uploads of purpose `evidence` / `snapshot` (tus, SHA-256 verified), filed
  under their event by `event_seq` or the event's `upload_id`, stored as the client sent them;
- phone frames: the second camera's frames of a sitting (none until that camera's server part exists).

A candidate's file is served to a proctor's browser only with a media type from MEDIA_TYPES (anything
else downloads as octet-stream), `nosniff` and a sandboxing CSP: an upload can never run as a page.
"""

import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from server.context import ServerContext
from server.db import Upload
from server.errors import ApiError

EVIDENCE_PURPOSES = ("evidence", "snapshot")
MEDIA_TYPES = {"video/webm": "video", "video/mp4": "video", "video/ogg": "video", "audio/wav": "audio",
               "audio/x-wav": "audio", "audio/wave": "audio", "audio/ogg": "audio", "audio/webm": "audio",
               "audio/mpeg": "audio", "image/jpeg": "image", "image/png": "image", "image/webp": "image"}
BY_EXTENSION = {".webm": "video/webm", ".mp4": "video/mp4", ".ogv": "video/ogg", ".wav": "audio/wav",
                ".ogg": "audio/ogg", ".mp3": "audio/mpeg", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                ".png": "image/png", ".webp": "image/webp"}


@dataclass(frozen=True)
class Evidence:
    upload_id: str
    sitting_id: str
    purpose: str          # evidence | snapshot
    media_type: str       # from MEDIA_TYPES, else application/octet-stream
    kind: str             # video | audio | image | file
    filename: str
    size: int
    offset: int
    status: str           # partial | verified | rejected
    event_seq: int | None
    created_at_ms: int

    def view(self) -> dict[str, Any]:
        return {"upload_id": self.upload_id, "purpose": self.purpose, "media_type": self.media_type,
                "kind": self.kind, "filename": self.filename, "size": self.size, "offset": self.offset,
                "status": self.status, "event_seq": self.event_seq, "created_at_ms": self.created_at_ms,
                "url": "/console/api/sittings/%s/evidence/%s" % (self.sitting_id, self.upload_id)}


def media_type_of(filetype: str, filename: str) -> str:
    declared = (filetype or "").split(";")[0].strip().lower()
    if declared in MEDIA_TYPES:
        return declared
    return BY_EXTENSION.get(os.path.splitext(filename or "")[1].lower(), "application/octet-stream")


def _evidence(u: Upload) -> Evidence:
    mt = media_type_of(u.filetype, u.filename)
    return Evidence(u.upload_id, u.sitting_id, u.purpose, mt, MEDIA_TYPES.get(mt, "file"), u.filename, u.size,
                    u.offset, u.status, u.event_seq, u.created_at_ms)


def evidence_of(session, sitting_id: str) -> list[Evidence]:
    rows = session.scalars(select(Upload).where(Upload.sitting_id == sitting_id,
                                                Upload.purpose.in_(EVIDENCE_PURPOSES)).order_by(Upload.created_at_ms))
    return [_evidence(u) for u in rows]


def latest_snapshots(session, sitting_ids: list[str]) -> dict[str, dict[str, Any]]:
    """{sitting_id: {url, at_ms}} of the newest verified snapshot of each sitting."""
    if not sitting_ids:
        return {}
    out: dict[str, dict[str, Any]] = {}
    rows = session.execute(select(Upload.sitting_id, Upload.upload_id, Upload.created_at_ms)
                           .where(Upload.sitting_id.in_(sitting_ids), Upload.purpose == "snapshot",
                                  Upload.status == "verified"))
    for sid, upload_id, at in rows:
        if sid not in out or at > out[sid]["at_ms"]:
            out[sid] = {"url": "/console/api/sittings/%s/evidence/%s" % (sid, upload_id), "at_ms": at}
    return out


def media_file(ctx: ServerContext, session, sitting_id: str, upload_id: str) -> tuple[str, Evidence]:
    """(path, evidence) of a verified evidence/snapshot upload of this sitting; else not_found."""
    u = session.get(Upload, upload_id) if len(upload_id) <= 64 else None
    if u is None or u.sitting_id != sitting_id or u.purpose not in EVIDENCE_PURPOSES:
        raise ApiError("not_found", "没有这份证据", "no such evidence", upload_id=upload_id[:64])
    if u.status != "verified":
        raise ApiError("not_found", "证据尚未完整上传", "the evidence has not fully arrived", status=u.status)
    path = os.path.join(str(ctx.upload_dir), u.upload_id + ".bin")  # server/tus.py's layout
    if not os.path.exists(path):
        raise ApiError("not_found", "证据文件不在服务器上", "the evidence file is missing on the server")
    return path, _evidence(u)


def phone_frames(ctx: ServerContext, session, sitting_id: str) -> list[dict[str, Any]]:
    """The second camera's frames of a sitting: [{frame_id, t_ms, url}] (none until that part lands)."""
    return []
