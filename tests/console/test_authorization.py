"""Every console route refuses what must not open it: no session, a candidate's token (as a bearer token or
in the console's cookie), the admin token, another room's proctor, a marker, a change without the CSRF
token, and an expired session. The routes are enumerated from the app itself: a new route without a
guard, or without a line below saying how to call it, fails here."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

import pytest
import requests

from tests.console.kit import (
    STAFF_PASSWORD,
    StaffClient,
    add_staff,
    candidate_login,
    event,
    heartbeat,
    jpeg_snapshot,
    make_room,
    paired_phone,
    paper,
    sealed_upload,
    webm_clip,
)
from tests.helpers.server import ADMIN_TOKEN, LiveServer

# routes anyone may call, and why
PUBLIC = {
    ("GET", "/console/"): "redirects to the rooms (which need a session)",
    ("GET", "/console/login"): "the login form",
    ("POST", "/console/login"): "the login form's post",
    ("POST", "/console/api/login"): "login for scripts",
    ("POST", "/console/logout"): "ends a session if there is one; always redirects to the login form",
}
STATIC = "/console/static"
# a valid body for each changing route, so that a refusal can only be the guard's
BODIES: Dict[str, Any] = {
    "/console/api/logout": None,
    "/console/api/sittings/{sid}/flags/{seq}/review": {"outcome": "no_issue", "note": "已核实"},
    "/console/api/sittings/{sid}/message": {"text": "请坐正"},
    "/console/api/sittings/{sid}/extend": {"minutes": 5, "reason": "网络中断"},
    "/console/api/sittings/{sid}/end": {"reason": "测试结束"},
    "/console/api/sittings/{sid}/sealed": {"sealed": {"format": "examdesk-sealed/1", "sitting_id": "x",
                                                      "ephemeral_public_key": "AA==", "nonce": "AA==",
                                                      "ciphertext": "AA=="}, "reason": "考后交回"},
}


def console_routes() -> List[Tuple[str, str]]:
    """(method, path) of every console route, from the app the server runs."""
    from server.api import create_app
    from server.context import ServerContext, Settings

    with tempfile.TemporaryDirectory() as tmp:
        ctx = ServerContext(Settings(data_dir=Path(tmp), admin_token="x"))
        try:
            app = create_app(ctx)
            try:
                from fastapi.routing import iter_route_contexts
                items: List[Any] = list(iter_route_contexts(app.routes))
            except ImportError:   # FastAPI before the lazy router includes
                items = list(app.routes)
            out = []
            for r in items:
                path, methods = getattr(r, "path", None), getattr(r, "methods", None)
                if path and path.startswith("/console"):
                    for m in sorted(methods or {"MOUNT"}):
                        if m != "HEAD":
                            out.append((m, path))
            return out
        finally:
            ctx.close()


class World:
    def __init__(self, srv: LiveServer, values: Dict[str, str], r1_marks: List[str], candidate_token: str) -> None:
        self.srv, self.values, self.r1_marks, self.candidate_token = srv, values, r1_marks, candidate_token


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    srv = LiveServer(tmp_path_factory.mktemp("auth") / "srv").start()
    try:
        pid = paper(srv)
        for name, role in (("p1", "proctor"), ("p2", "proctor"), ("p3", "proctor"), ("p4", "proctor"),
                           ("m1", "marker"), ("adm", "admin")):
            add_staff(srv, name, role=role)
        r1 = make_room(srv, pid, "R1", 2, ["p1", "p2"], names=["张晓梅", "刘洋"])
        make_room(srv, pid, "R2", 1, ["p3", "p4"], names=["李娜"])
        a = r1.candidates[0]
        candidate_login(srv, a)
        heartbeat(srv, a, state="in_exam", camera="live")
        seq = event(srv, a, "camera.multiple_faces", "alert", state="start")
        clip = sealed_upload(srv, a, "evidence", {"video.webm": webm_clip(tmp_path_factory.mktemp("clip") / "a.webm")
                                                  .read_bytes()}, seq, "camera.multiple_faces", 3000, 1000)
        sealed_upload(srv, a, "snapshot", {"snapshot.jpg": jpeg_snapshot()})
        paired_phone(srv, a)
        frame_id = srv.admin_json("GET", "/admin/sittings/%s/phone" % a.sitting_id)["frames"][0]["frame_id"]
        values = {"room_id": r1.room_id, "sid": a.sitting_id, "upload_id": clip, "seq": str(seq),
                  "member": "video.webm", "frame_id": str(frame_id)}
        marks = [r1.room_id] + [x.sitting_id for x in r1.candidates] + [x.name for x in r1.candidates]
        yield World(srv, values, marks, a.token)
    finally:
        srv.stop()


def fill(path: str, values: Dict[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        assert name in values, "route %s: say in World.values what {%s} is" % (path, name)
        return values[name]
    return re.sub(r"\{(\w+)(?::\w+)?\}", one, path)


def call(srv: LiveServer, method: str, path: str, values: Dict[str, str], headers: Optional[Dict[str, str]] = None,
         cookies: Optional[Dict[str, str]] = None) -> requests.Response:
    body = None
    if method == "POST":
        assert path in BODIES, "route POST %s: give it a valid body in BODIES" % path
        body = BODIES[path]
        if isinstance(body, dict) and "sealed" in body:
            body = dict(body, sealed=dict(body["sealed"], sitting_id=values["sid"]))
    return requests.request(method, srv.url + fill(path, values), json=body, headers=headers or {}, cookies=cookies,
                            allow_redirects=False, timeout=30)


def guarded() -> List[Tuple[str, str]]:
    return [(m, p) for m, p in console_routes() if (m, p) not in PUBLIC and m != "MOUNT"]


def leaked(world: World, path: str, r: requests.Response) -> List[str]:
    """What of room R1 a refused answer shows, beyond the ids the caller put in the URL itself."""
    url = fill(path, world.values)
    return [m for m in world.r1_marks if m in r.text and m not in url]


def is_page(path: str) -> bool:
    return not path.startswith("/console/api/")


def refused(r: requests.Response, path: str, codes: Set[str], login_why: str) -> bool:
    if is_page(path):
        return r.status_code == 303 and r.headers["location"].startswith("/console/login?") and \
            ("why=" + login_why) in r.headers["location"]
    return r.status_code in (401, 403) and r.json()["error"]["code"] in codes


def test_the_enumeration_finds_the_console(world: World) -> None:
    routes = console_routes()
    assert ("GET", "/console/api/rooms/{room_id}/grid") in routes
    assert ("POST", "/console/api/sittings/{sid}/extend") in routes
    assert ("MOUNT", STATIC) in routes
    assert len(guarded()) >= 20
    stale = [k for k in list(PUBLIC) + [("POST", p) for p in BODIES] if k not in routes]
    assert stale == [], "listed here but not served"


@pytest.mark.parametrize("who", ["nobody", "candidate_bearer", "candidate_cookie", "admin_token"])
def test_no_staff_session_opens_any_route(world: World, who: str) -> None:
    headers: Dict[str, str] = {}
    cookies: Optional[Dict[str, str]] = None
    if who == "candidate_bearer":
        headers = {"Authorization": "Bearer " + world.candidate_token}
    elif who == "candidate_cookie":
        cookies = {"examdesk_console": world.candidate_token}
    elif who == "admin_token":
        headers = {"Authorization": "Bearer " + ADMIN_TOKEN}
    codes = {"auth.forbidden"} if who == "admin_token" else {"auth.required"}
    why = "auth.forbidden" if who == "admin_token" else "auth.required"
    for method, path in guarded():
        r = call(world.srv, method, path, world.values, headers, cookies)
        assert refused(r, path, codes, why), (who, method, path, r.status_code, r.text[:200])
        assert leaked(world, path, r) == [], (who, method, path)


def test_the_rooms_own_proctor_may_read_every_route(world: World) -> None:
    """The values above are real: what the others are refused, the room's proctor gets."""
    p1 = StaffClient(world.srv, "p1")
    for method, path in guarded():
        if method == "GET":
            r = p1.http.get(world.srv.url + fill(path, world.values), allow_redirects=False, timeout=30)
            assert r.status_code == 200, (path, r.status_code, r.text[:200])


@pytest.mark.parametrize("who", ["p3", "m1"])
def test_another_rooms_proctor_and_a_marker_get_nothing_of_the_room(world: World, who: str) -> None:
    staff = StaffClient(world.srv, who)
    for method, path in sorted(guarded(), key=lambda r: r[1] == "/console/api/logout"):  # logout last
        r = call(world.srv, method, path, world.values, {"Authorization": "Bearer " + staff.token})
        scoped = "{" in path
        if scoped or (who == "m1" and "/api/" in path and path not in ("/console/api/me", "/console/api/audit",
                                                                       "/console/api/logout")):
            code = re.search(r'data-code="([^"]+)"', r.text).group(1) if is_page(path) else r.json()["error"]["code"]
            assert r.status_code == 403 and code == "auth.forbidden", (who, method, path, r.status_code)
        elif is_page(path):
            assert r.status_code == 200, (who, path, r.status_code)
        assert leaked(world, path, r) == [], (who, method, path, r.text[:300])


def test_changes_with_the_cookie_need_the_csrf_token(world: World) -> None:
    s = requests.Session()
    r = s.post(world.srv.url + "/console/login", data={"username": "p1", "password": STAFF_PASSWORD},
               allow_redirects=False, timeout=30)
    assert r.status_code == 303 and "examdesk_console" in s.cookies
    for method, path in guarded():
        if method != "POST" or path == "/console/api/logout":
            continue
        r = s.post(world.srv.url + fill(path, world.values), json=BODIES[path], allow_redirects=False, timeout=30)
        assert r.status_code == 403 and "CSRF" in r.json()["error"]["message_en"], (path, r.status_code, r.text)
    me = s.get(world.srv.url + "/console/api/me", timeout=30).json()
    r = s.post(world.srv.url + "/console/api/sittings/%s/message" % world.values["sid"], json={"text": "请坐正"},
               headers={"X-CSRF-Token": me["csrf"]}, timeout=30)
    assert r.status_code == 200, r.text


def test_evidence_is_served_so_it_cannot_run_as_a_page(world: World) -> None:
    p1 = StaffClient(world.srv, "p1")
    r = p1.get("/console/api/sittings/%s/evidence/%s/video.webm" % (world.values["sid"], world.values["upload_id"]))
    assert r.status_code == 200 and r.headers["content-type"] == "video/webm"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-security-policy"].startswith("sandbox")
    assert r.content[:4] == b"\x1a\x45\xdf\xa3"   # EBML: the candidate's WebM, opened with the server's key
    part = p1.get("/console/api/sittings/%s/evidence/%s/video.webm" % (world.values["sid"], world.values["upload_id"]),
                  headers={"Range": "bytes=4-103"})
    assert part.status_code == 206 and part.content == r.content[4:104]
    assert part.headers["content-range"] == "bytes 4-103/%d" % len(r.content)
    beyond = p1.get("/console/api/sittings/%s/evidence/%s/video.webm" % (world.values["sid"], world.values["upload_id"]),
                    headers={"Range": "bytes=%d-" % (len(r.content) + 10)})
    assert beyond.status_code == 416 and beyond.json()["error"]["code"] == "request.invalid"
    for member in ("meta.json", "video.mp4", "../x"):
        assert p1.get("/console/api/sittings/%s/evidence/%s/%s" % (world.values["sid"], world.values["upload_id"],
                                                                   member)).status_code == 404
    page = p1.get("/console/rooms/" + world.values["room_id"])
    assert page.headers["x-frame-options"] == "DENY" and "script-src 'self'" in page.headers["content-security-policy"]


def test_sessions_expire_when_idle_and_after_a_working_day(tmp_path) -> None:
    from server.console.accounts import IDLE_S, SESSION_TTL_S

    srv = LiveServer(tmp_path / "srv").start()
    try:
        add_staff(srv, "p1")
        idle, busy = StaffClient(srv, "p1"), StaffClient(srv, "p1")
        browser = requests.Session()
        browser.post(srv.url + "/console/login", data={"username": "p1", "password": STAFF_PASSWORD}, timeout=30)
        step_ms = (IDLE_S - 60) * 1000
        offset = 0
        while offset + step_ms < SESSION_TTL_S * 1000:
            offset += step_ms
            srv.set_clock_offset(offset)
            assert busy.get("/console/api/me").status_code == 200, offset
            assert browser.get(srv.url + "/console/api/me", timeout=30).status_code == 200
        r = idle.get("/console/api/me")
        assert r.status_code == 401 and r.json()["error"]["code"] == "auth.expired"
        srv.set_clock_offset(SESSION_TTL_S * 1000 + 1000)
        r = busy.get("/console/api/me")
        assert r.status_code == 401 and r.json()["error"]["code"] == "auth.expired"
        for method, path in guarded():
            r = call(srv, method, path, {"room_id": "x", "sid": "x", "upload_id": "x", "seq": "1", "member": "x", "frame_id": "1"},
                     headers={"Authorization": "Bearer " + busy.token})
            assert refused(r, path, {"auth.expired"}, "auth.expired"), (method, path, r.status_code)
            r = requests.request(method, srv.url + fill(path, {"room_id": "x", "sid": "x", "upload_id": "x",
                                                               "seq": "1", "member": "x", "frame_id": "1"}),
                                 cookies=browser.cookies, allow_redirects=False, timeout=30)
            assert refused(r, path, {"auth.expired"}, "auth.expired"), (method, path, r.status_code)
    finally:
        srv.stop()


HOSTILE_BODIES: List[Any] = [None, [], "x", {"unexpected": 1}, {"text": "a" * 5000}, {"minutes": "10", "reason": 5},
                             {"minutes": 10 ** 12, "reason": "好"}, {"outcome": "concern", "note": ["x"]},
                             {"sealed": "not an object", "reason": "考后交回"}]


def test_hostile_input_gets_a_4xx_never_a_500(world: World) -> None:
    p1 = StaffClient(world.srv, "p1")
    odd = dict(world.values, sid="../" + world.values["sid"], room_id="%00", upload_id="x" * 5000, seq=str(10 ** 20),
               member="..%2Fmeta.json", frame_id=str(10 ** 20))
    for method, path in guarded():
        if path == "/console/api/logout":
            continue
        for values in (world.values, odd):
            url = world.srv.url + fill(path, values)
            if method == "GET":
                r = p1.http.get(url, params={"room": ["x"] * 60, "before_id": "abc"}, allow_redirects=False,
                                timeout=30)
                assert r.status_code < 500, (path, r.status_code)
                continue
            for body in HOSTILE_BODIES:
                r = p1.http.post(url, json=body, timeout=30)
                assert 400 <= r.status_code < 500, (path, body, r.status_code, r.text[:200])
                assert r.json()["error"]["code"], r.text
            r = p1.http.post(url, data=b"{not json", headers={"Content-Type": "application/json"}, timeout=30)
            assert 400 <= r.status_code < 500, (path, r.status_code)
    r = requests.post(world.srv.url + "/console/login", data={"username": "p1" * 100, "password": "x"},
                      allow_redirects=False, timeout=30)
    assert r.status_code in (401, 422), r.status_code
    r = requests.get(world.srv.url + "/console/login", params={"next": "//evil.example/x", "why": "<script>"},
                     timeout=30)
    assert r.status_code == 200 and "<script>" not in r.text and "//evil.example" not in r.text and "⟦" not in r.text


def test_every_page_speaks_chinese_first_and_english_with_no_missing_words(world: World) -> None:
    p1 = StaffClient(world.srv, "p1")
    pages = [p for m, p in guarded() if m == "GET" and is_page(p)] + ["/console/login"]
    for path in pages:
        url = world.srv.url + fill(path, world.values)
        zh = p1.http.get(url, params={"lang": "zh"}, timeout=30)
        en = p1.http.get(url, params={"lang": "en"}, timeout=30)
        assert zh.status_code == en.status_code == 200, path
        assert '<html lang="zh-CN">' in zh.text and '<html lang="en">' in en.text, path
        assert "⟦" not in zh.text and "⟦" not in en.text, (path, re.findall("⟦[^⟧]+⟧", zh.text + en.text))


def test_the_scripts_words_exist_in_both_languages() -> None:
    from server.console.i18n import JS_PREFIXES, MESSAGES, js_messages

    js = (Path(__file__).resolve().parents[2] / "server" / "console" / "static" / "console.js").read_text("utf-8")
    found = set(re.findall(r'\bt\("([a-z_.]+)"', js))
    prefixes, keys = {k for k in found if k.endswith(".")}, {k for k in found if not k.endswith(".")}
    assert len(keys) > 15 and prefixes and all(p.startswith(JS_PREFIXES) for p in prefixes), prefixes
    assert sorted(k for k in keys if k not in MESSAGES or not k.startswith(JS_PREFIXES)) == []
    assert all(js_messages("zh")[k] and js_messages("en")[k] for k in keys)
    assert all(zh and en for zh, en in MESSAGES.values())
