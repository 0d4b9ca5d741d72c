"""Where the console's evidence comes from, behind one small interface.

- snippets and snapshots: the sealed `examdesk-evidence/1` files candidates' clients upload (purpose
  `evidence` / `snapshot`). Their clear header (server/evidence.evidence_view) says what and when without
  opening them; the members (`video.webm` or `video.mp4`/`video.avi`, `audio.wav`, `snapshot.jpg`) are
  opened with the server's key (server/evidence.open_evidence) when a proctor's page needs them;
- the phone: the second camera's state, events and kept frames (server/phone: phone_report, read_frame),
  and its newest picture.

Opened files are kept briefly in memory (a video asks in several Range requests; a page lists members):
uploads never change once verified. Members go to a proctor's browser with their own media type,
`nosniff` and a sandboxing CSP (server/console/api.py): a candidate's file can never run as a page.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from examcore.evidence import PACKAGE_MEMBERS, VIDEO_MEMBERS
from server.context import ServerContext
from server.db import Upload
from server.errors import ApiError
from server.evidence import evidence_view, open_evidence
from server.phone.router import phone_report

EVIDENCE_PURPOSES = ("evidence", "snapshot")
OPENED_BYTES = 64 * 1024 * 1024     # decrypted members kept in memory, at most
SNAPSHOT = "snapshot.jpg"


def member_kind(name: str) -> str:
    return PACKAGE_MEMBERS.get(name, "application/octet-stream").split("/")[0]


def member_url(sitting_id: str, upload_id: str, member: str) -> str:
    return "/console/api/sittings/%s/evidence/%s/%s" % (sitting_id, upload_id, member)


@dataclass
class Evidence:
    upload_id: str
    sitting_id: str
    purpose: str            # evidence | snapshot
    status: str             # partial | verified | rejected
    size: int
    offset: int
    event_seq: int | None
    created_at_ms: int
    readable: bool = False
    problem: str | None = None
    kind: str | None = None            # snippet | snapshot (from the sealed header)
    event_type: str | None = None
    taken_ms: int | None = None
    duration_ms: int | None = None
    event_at_ms: int | None = None
    members: list[dict[str, Any]] = field(default_factory=list)

    @property
    def at_ms(self) -> int:
        return self.taken_ms or self.created_at_ms

    def view(self) -> dict[str, Any]:
        return {"upload_id": self.upload_id, "purpose": self.purpose, "status": self.status, "size": self.size,
                "offset": self.offset, "event_seq": self.event_seq, "created_at_ms": self.created_at_ms,
                "at_ms": self.at_ms, "readable": self.readable, "problem": self.problem, "kind": self.kind,
                "event_type": self.event_type, "duration_ms": self.duration_ms, "event_at_ms": self.event_at_ms,
                "members": self.members}


class Opened:
    """Members of opened evidence files by upload: names and sizes for long, bytes within OPENED_BYTES."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._names: dict[str, list[tuple[str, int]]] = {}
        self._bytes: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._held = 0

    def members(self, ctx: ServerContext, sitting_id: str, upload_id: str) -> list[tuple[str, int]]:
        with self._lock:
            if upload_id in self._names:
                return self._names[upload_id]
        self._open(ctx, sitting_id, upload_id)
        with self._lock:
            return self._names.get(upload_id, [])

    def member(self, ctx: ServerContext, sitting_id: str, upload_id: str, member: str) -> bytes:
        with self._lock:
            data = self._bytes.get((upload_id, member))
            if data is not None:
                self._bytes.move_to_end((upload_id, member))
                return data
        opened = self._open(ctx, sitting_id, upload_id)
        if member not in opened:
            raise ApiError("not_found", "证据中没有 %s" % member[:40], "the evidence has no %s" % member[:40])
        return opened[member]

    def _open(self, ctx: ServerContext, sitting_id: str, upload_id: str) -> dict[str, bytes]:
        members = open_evidence(ctx, upload_id, sitting_id).members
        with self._lock:
            if len(self._names) > 100_000:
                self._names.clear()
            self._names[upload_id] = sorted((n, len(b)) for n, b in members.items())
            for name, data in members.items():
                if (upload_id, name) not in self._bytes and len(data) <= OPENED_BYTES // 4:
                    self._bytes[(upload_id, name)] = data
                    self._held += len(data)
            while self._held > OPENED_BYTES and self._bytes:
                _, old = self._bytes.popitem(last=False)
                self._held -= len(old)
        return members


OPENED = Opened()


def evidence_of(ctx: ServerContext, session, sitting_id: str) -> list[Evidence]:
    """The sitting's evidence files, oldest first; the readable ones with their members (opened once)."""
    ups = list(session.scalars(select(Upload).where(Upload.sitting_id == sitting_id,
                                                    Upload.purpose.in_(EVIDENCE_PURPOSES))
                               .order_by(Upload.created_at_ms)))
    verified = {u.sha256 for u in ups if u.status == "verified"}
    out = []
    for u in ups:
        if u.status != "verified" and u.sha256 in verified:
            continue   # a retry after a lost creation answer: the file is there once
        v = evidence_view(ctx, u)
        ev = Evidence(u.upload_id, u.sitting_id, u.purpose, u.status, u.size, u.offset, u.event_seq, u.created_at_ms,
                      bool(v.get("readable")), v.get("problem"), v.get("kind"), v.get("event_type"),
                      v.get("taken_ms"), v.get("duration_ms"), v.get("event_at_ms"))
        if ev.readable:
            try:
                names = OPENED.members(ctx, sitting_id, u.upload_id)
            except ApiError as e:
                ev.readable, ev.problem = False, e.message_en
                names = []
            order = {n: i for i, n in enumerate(VIDEO_MEMBERS + ("audio.wav", SNAPSHOT))}
            ev.members = [{"name": n, "size": size, "media_type": PACKAGE_MEMBERS[n], "kind": member_kind(n),
                           "url": member_url(sitting_id, u.upload_id, n)}
                          for n, size in sorted(names, key=lambda x: order.get(x[0], 99)) if n in PACKAGE_MEMBERS]
        out.append(ev)
    return out


def latest_snapshots(session, sitting_ids: list[str]) -> dict[str, dict[str, Any]]:
    """{sitting_id: {url, at_ms}} of the newest verified snapshot of each sitting (nothing is opened here)."""
    if not sitting_ids:
        return {}
    out: dict[str, dict[str, Any]] = {}
    rows = session.execute(select(Upload.sitting_id, Upload.upload_id, Upload.created_at_ms)
                           .where(Upload.sitting_id.in_(sitting_ids), Upload.purpose == "snapshot",
                                  Upload.status == "verified"))
    for sid, upload_id, at in rows:
        if sid not in out or at > out[sid]["at_ms"]:
            out[sid] = {"url": member_url(sid, upload_id, SNAPSHOT), "at_ms": at}
    return out


def purpose_of(session, sitting_id: str, upload_id: str) -> str:
    """The upload's purpose if it is evidence of this sitting; else not_found."""
    u = session.get(Upload, upload_id) if len(upload_id) <= 64 else None
    if u is None or u.sitting_id != sitting_id or u.purpose not in EVIDENCE_PURPOSES:
        raise ApiError("not_found", "没有这份证据", "no such evidence", upload_id=upload_id[:64])
    return u.purpose


def member_bytes(ctx: ServerContext, sitting_id: str, upload_id: str, member: str) -> tuple[bytes, str]:
    """(bytes, media type) of one member of a sitting's evidence file, opened with the server's key."""
    if member not in PACKAGE_MEMBERS or member == "meta.json":
        raise ApiError("not_found", "证据中没有 %s" % member[:40], "the evidence has no %s" % member[:40])
    return OPENED.member(ctx, sitting_id, upload_id, member), PACKAGE_MEMBERS[member]


def phone(ctx: ServerContext, sitting_id: str) -> dict[str, Any]:
    """The second camera of a sitting (server/phone): its state, events and kept frames, with the console's
    URLs for the frames and for the phone's newest picture."""
    report = phone_report(ctx, sitting_id)
    base = "/console/api/sittings/%s/phone" % sitting_id
    frames = [dict(f, url="%s/frames/%d" % (base, f["frame_id"])) for f in report["frames"] if not f["deleted"]]
    return {"status": report["status"], "events": report["events"], "frames": frames, "live_url": base + "/live"}
