"""Helpers for the console tests: a room world on the real server, staff sessions, raw candidate calls
(tus uploads, heartbeats, chained ops), evidence media, and Debian's Chromium through Playwright."""
from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import requests

from tests.helpers.papers import sample_paper
from tests.helpers.server import LiveServer
from tests.server.kit import OpChain, auth

CHROMIUM = os.environ.get("EXAMDESK_CHROMIUM", "/usr/bin/chromium")
STAFF_PASSWORD = "console-pass-1"


@dataclass
class Candidate:
    ticket: str
    id_number: str
    password: str
    name: str
    sitting_id: str = ""
    token: str = ""
    chain: Optional[OpChain] = None


@dataclass
class Room:
    room_id: str
    proctors: List[str]
    candidates: List[Candidate] = field(default_factory=list)


def add_staff(srv: LiveServer, username: str, role: str = "proctor", display_name: str = "",
              password: str = STAFF_PASSWORD) -> Dict[str, Any]:
    return srv.admin_json("POST", "/admin/staff", json={"username": username, "role": role, "password": password,
                                                        "display_name": display_name or username})


def make_room(srv: LiveServer, paper_id: str, tag: str, n: int, proctors: List[str], start_in_s: float = 0.0,
              names: Optional[List[str]] = None, kind: str = "formal") -> Room:
    cands = []
    for i in range(n):
        ticket = "%s-%03d" % (tag, i)
        c = Candidate(ticket, "ID" + ticket, "cand-pw-%d" % i, names[i] if names and i < len(names) else "%s考生%d" % (tag, i))
        srv.admin_json("POST", "/admin/candidates", json={"ticket": c.ticket, "id_number": c.id_number,
                                                         "name": c.name, "level": "中级", "password": c.password})
        cands.append(c)
    room = srv.add_room(paper_id, [c.ticket for c in cands], start_in_s=start_in_s, proctors=proctors, kind=kind)
    ids = {x["ticket"]: x["sitting_id"] for x in room["sittings"]}
    for c in cands:
        c.sitting_id = ids[c.ticket]
        c.chain = OpChain(c.sitting_id)
    return Room(room["room_id"], proctors, cands)


def paper(srv: LiveServer, paper_id: str = "console-paper") -> str:
    return srv.add_paper(sample_paper(paper_id, kind="formal"))


def candidate_login(srv: LiveServer, c: Candidate) -> str:
    r = requests.post(srv.api + "/auth/login", json={"ticket": c.ticket, "id_number": c.id_number,
                                                     "password": c.password}, timeout=30)
    r.raise_for_status()
    c.token = r.json()["token"]
    return c.token


def heartbeat(srv: LiveServer, c: Candidate, **body: Any) -> Dict[str, Any]:
    r = requests.post(srv.api + "/sittings/%s/heartbeat" % c.sitting_id, json=body, headers=auth(c.token), timeout=30)
    r.raise_for_status()
    return r.json()


def send_ops(srv: LiveServer, c: Candidate, ops: List[Dict[str, Any]]) -> Dict[str, Any]:
    r = requests.post(srv.api + "/sittings/%s/ops" % c.sitting_id, json={"ops": ops}, headers=auth(c.token),
                      timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def event(srv: LiveServer, c: Candidate, type_: str, severity: str, **detail: Any) -> int:
    assert c.chain is not None
    op = c.chain.add("event", {"type": type_, "severity": severity, "detail": detail})
    send_ops(srv, c, [op])
    return int(op["seq"])


def tus_upload(srv: LiveServer, c: Candidate, data: bytes, purpose: str, filename: str, filetype: str,
               event_seq: Optional[int] = None) -> str:
    """A whole file through the server's tus endpoint, as the client's uploader does it."""
    meta = {"filename": filename, "filetype": filetype, "sitting_id": c.sitting_id, "purpose": purpose,
            "sha256": hashlib.sha256(data).hexdigest()}
    if event_seq is not None:
        meta["event_seq"] = str(event_seq)
    header = ",".join("%s %s" % (k, base64.b64encode(v.encode()).decode()) for k, v in meta.items())
    h = dict(auth(c.token), **{"Tus-Resumable": "1.0.0"})
    r = requests.post(srv.api + "/files/", headers=dict(h, **{"Upload-Length": str(len(data)), "Upload-Metadata": header}),
                      timeout=30)
    assert r.status_code == 201, r.text
    url = r.headers["Location"]
    if not url.startswith("http"):
        url = srv.url + url
    r = requests.patch(url, data=data, headers=dict(h, **{"Upload-Offset": "0",
                                                          "Content-Type": "application/offset+octet-stream"}), timeout=60)
    assert r.status_code == 204, r.text
    return url.rstrip("/").rsplit("/", 1)[1]


def sealed_upload(srv: LiveServer, c: Candidate, purpose: str, members: Dict[str, bytes],
                  event_seq: Optional[int] = None, event_type: Optional[str] = None, duration_ms: int = 0,
                  event_at_ms: int = 0) -> str:
    """An `examdesk-evidence/1` file sealed to the server's key (as the client's recorder writes it), by tus."""
    from examcore.evidence import pack, seal_bytes

    key = requests.get(srv.api + "/server-info", timeout=30).json()["sealing_public_key"]
    kind = "snapshot" if purpose == "snapshot" else "snippet"
    taken = srv.server_time_ms()
    header: Dict[str, Any] = {"kind": kind, "sitting_id": c.sitting_id, "event_seq": event_seq, "taken_ms": taken}
    meta: Dict[str, Any] = {"kind": kind, "taken_ms": taken}
    if kind == "snippet":
        header.update(event_type=event_type, duration_ms=duration_ms, event_at_ms=event_at_ms)
        meta.update(event_seq=event_seq, event_type=event_type, event_at_s=event_at_ms / 1000.0)
    data = seal_bytes(pack(meta, members), key, header)
    return tus_upload(srv, c, data, purpose, "%s.evd" % kind, "application/octet-stream", event_seq)


def paired_phone(srv: LiveServer, c: Candidate, frames: int = 2) -> Any:
    """The candidate's second camera: paired by the candidate's client, then sending real JPEG frames (the
    phone page's protocol, spoken by the stand-in phone of tests/helpers/phone.py)."""
    from tests.helpers.phone import StandInPhone

    r = requests.post(srv.api + "/sittings/%s/phone/pairing" % c.sitting_id, headers=auth(c.token), timeout=30)
    assert r.status_code == 200, r.text
    phone = StandInPhone(srv.api)
    assert phone.claim(r.json()["url"]).status_code == 200
    for i in range(frames):
        assert phone.frame(jpeg_snapshot(i), battery_level=0.8).status_code == 200
    return phone


# -- staff sessions --------------------------------------------------------------------------------
class StaffClient:
    """A staff member's session through the console's JSON routes (bearer token, as scripts use it)."""

    def __init__(self, srv: LiveServer, username: str, password: str = STAFF_PASSWORD) -> None:
        self.srv = srv
        r = requests.post(srv.url + "/console/api/login", json={"username": username, "password": password}, timeout=30)
        assert r.status_code == 200, r.text
        body = r.json()
        self.token, self.csrf = body["token"], body["csrf"]
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer " + self.token

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.http.get(self.srv.url + path, timeout=30, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return self.http.post(self.srv.url + path, timeout=30, **kw)


# -- media -----------------------------------------------------------------------------------------
def face_frames(n: int = 20, width: int = 320, height: int = 240) -> List[Any]:
    """A real face photo (scikit-image's astronaut) panning a little, as a webcam would see it."""
    import cv2
    import numpy as np
    from skimage import data

    photo = cv2.resize(data.astronaut()[:, :, ::-1], (height, height))
    frames = []
    for i in range(n):
        frame = np.full((height, width, 3), (190, 180, 170), np.uint8)
        x = (width - height) // 2 + int(8 * np.sin(i / 3.0))
        frame[:, x:x + height] = photo
        frames.append(frame)
    return frames


def webm_clip(path: Path, seconds: float = 3.0, fps: float = 10.0) -> Path:
    """A VP8 WebM clip (the format a browser plays), written by cv2 as an evidence recorder could."""
    import cv2

    frames = face_frames(int(seconds * fps))
    w = cv2.VideoWriter(str(path), cv2.CAP_FFMPEG, cv2.VideoWriter.fourcc(*"VP80"), fps,
                        (frames[0].shape[1], frames[0].shape[0]))
    assert w.isOpened(), "cv2 cannot write WebM here"
    for f in frames:
        w.write(f)
    w.release()
    assert path.stat().st_size > 1000
    return path


def mp4v_clip(path: Path, seconds: float = 2.0, fps: float = 10.0) -> Path:
    """MPEG-4 Part 2 in .mp4, what cv2 writes by default (Chromium cannot play it)."""
    import cv2

    frames = face_frames(int(seconds * fps))
    w = cv2.VideoWriter(str(path), cv2.CAP_FFMPEG, cv2.VideoWriter.fourcc(*"mp4v"), fps,
                        (frames[0].shape[1], frames[0].shape[0]))
    assert w.isOpened()
    for f in frames:
        w.write(f)
    w.release()
    return path


def jpeg_snapshot(index: int = 0) -> bytes:
    import cv2

    ok, buf = cv2.imencode(".jpg", face_frames(index + 1)[index], [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return bytes(buf)


# -- the browser ------------------------------------------------------------------------------------
def launch_chromium(playwright: Any) -> Any:
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium missing (apt-get install chromium chromium-driver, as ./dev does)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--autoplay-policy=no-user-gesture-required"])


def browser_login(page: Any, srv: LiveServer, username: str, password: str = STAFF_PASSWORD,
                  next_path: str = "/console/rooms") -> None:
    page.goto(srv.url + "/console/login?next=" + next_path)
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_url("**" + next_path)
