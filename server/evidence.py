"""Evidence on the server: the sealed snippets and snapshots candidates' clients upload (tus, purpose
`evidence` | `snapshot`), filed under their event and opened for the proctor.

- `evidence_view(ctx, upload)`: what the timeline shows of one upload: its kind, event seq and type,
  when it was taken, from the file's clear header (no decryption; examcore.evidence).
- `annotate_timeline(ctx, session, entries)`: hangs each verified evidence upload under its event op
  in a sitting's timeline, and adds snapshots as their own entries at the time they were taken.
- `open_evidence(ctx, upload_id)` -> OpenedEvidence: the file unsealed with the server's key: header,
  meta and the media members (video.mp4, audio.wav, snapshot.jpg) as bytes with their media types.
  `event_evidence(ctx, sitting_id, seq)` opens every piece of one event. This is the function the
  proctor console calls; nothing here writes, so evidence stays as the candidate's client sealed it.
"""

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from examcore.evidence import EvidenceError, media_type, open_package, read_header
from server.context import ServerContext
from server.db import Upload
from server.errors import ApiError

log = logging.getLogger("examdesk.server.evidence")
EVIDENCE_PURPOSES = ("evidence", "snapshot")


@dataclass
class OpenedEvidence:
    upload_id: str
    sitting_id: str
    header: dict[str, Any]
    meta: dict[str, Any]
    members: dict[str, bytes] = field(default_factory=dict)

    def media(self) -> dict[str, str]:
        return {name: media_type(name) for name in self.members}


def evidence_view(ctx: ServerContext, up: Upload) -> dict[str, Any]:
    """The clear header's facts of a verified evidence upload (or why there are none)."""
    view: dict[str, Any] = {"upload_id": up.upload_id, "purpose": up.purpose, "status": up.status,
                            "size": up.size, "event_seq": up.event_seq}
    if up.status != "verified":
        return view
    try:
        with ctx.store.open(up.upload_id) as f:
            header, _ = read_header(f)
    except (OSError, EvidenceError) as e:
        return dict(view, readable=False, problem=str(e)[:200])
    if header.get("sitting_id") != up.sitting_id:
        return dict(view, readable=False, problem="the file names another sitting")
    return dict(view, readable=True, kind=header.get("kind"), event_type=header.get("event_type"),
                taken_ms=header.get("taken_ms"), duration_ms=header.get("duration_ms"),
                event_at_ms=header.get("event_at_ms"))


def annotate_timeline(ctx: ServerContext, session: Any, sitting_id: str, entries: list[dict[str, Any]]) -> None:
    """Evidence under its event (`evidence: [...]` on the event op) and snapshots at their time."""
    ups = list(session.scalars(select(Upload).where(Upload.sitting_id == sitting_id,
                                                    Upload.purpose.in_(EVIDENCE_PURPOSES))))
    verified = {u.sha256 for u in ups if u.status == "verified"}
    # an upload whose creation answer a cut network lost is retried as a new one: show the file once
    ups = [u for u in ups if u.status == "verified" or u.sha256 not in verified]
    by_seq: dict[int, list[dict[str, Any]]] = {}
    for up in ups:
        view = evidence_view(ctx, up)
        if up.purpose == "snapshot":
            if view.get("readable"):
                entries.append(dict(view, type="snapshot", t_ms=int(view.get("taken_ms") or up.created_at_ms)))
        elif up.event_seq is not None:
            by_seq.setdefault(int(up.event_seq), []).append(view)
    for e in entries:
        if e.get("type") == "op" and e.get("kind") == "event" and e.get("seq") in by_seq:
            e["evidence"] = by_seq[e["seq"]]


def _upload(ctx: ServerContext, upload_id: str, sitting_id: str | None = None) -> Upload:
    with ctx.db.read() as s:
        up = s.get(Upload, upload_id)
        if up is None or up.purpose not in EVIDENCE_PURPOSES or (sitting_id and up.sitting_id != sitting_id):
            raise ApiError("not_found", "证据不存在", "no such evidence", upload_id=upload_id[:64])
        return up


def open_evidence(ctx: ServerContext, upload_id: str, sitting_id: str | None = None) -> OpenedEvidence:
    """One evidence file unsealed with the server's sealing key; ApiError when it cannot be."""
    up = _upload(ctx, upload_id, sitting_id)
    if up.status != "verified":
        raise ApiError("evidence.invalid", "证据文件尚未完整上传并通过校验", "the evidence has not been fully uploaded and verified",
                       status=409, upload_status=up.status)
    try:
        with ctx.store.open(up.upload_id) as f:
            data = f.read()
        header, meta, members = open_package(data, ctx.keys.sealing)
    except OSError as e:
        log.error("evidence file unreadable: %s (%s)", up.upload_id, e)
        raise ApiError("evidence.invalid", "证据文件无法读取", "the evidence file cannot be read", status=422) from None
    except EvidenceError as e:
        log.warning("evidence %s does not open: %s", up.upload_id, e)
        raise ApiError("evidence.invalid", e.message_zh, e.message_en, status=422) from None
    if header.get("sitting_id") != up.sitting_id:
        raise ApiError("evidence.invalid", "证据文件属于另一场考试", "the evidence names another sitting", status=422)
    return OpenedEvidence(up.upload_id, up.sitting_id, header, meta, members)


def event_evidence(ctx: ServerContext, sitting_id: str, event_seq: int) -> list[OpenedEvidence]:
    """Every verified piece of evidence of one event of a sitting, opened."""
    with ctx.db.read() as s:
        ids = [u.upload_id for u in s.scalars(select(Upload).where(
            Upload.sitting_id == sitting_id, Upload.event_seq == event_seq, Upload.purpose == "evidence",
            Upload.status == "verified").order_by(Upload.created_at_ms))]
    return [open_evidence(ctx, i, sitting_id) for i in ids]


def listing(ctx: ServerContext, sitting_id: str) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        ups = list(s.scalars(select(Upload).where(Upload.sitting_id == sitting_id,
                                                  Upload.purpose.in_(EVIDENCE_PURPOSES)).order_by(Upload.created_at_ms)))
        return [evidence_view(ctx, u) for u in ups]
