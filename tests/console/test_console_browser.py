"""The proctor console in a real headless Chromium (Playwright, Debian's chromium) against the real server
on loopback, with simulated candidates: two real ExamService clients (one loses its network and later hands
in its sealed file), one who never logs in, and one speaking the raw protocol (heartbeats, an event, a clip
and a snapshot through tus)."""
from __future__ import annotations

from typing import Any, Iterator, List

import pytest

from client.exam.api import EngineListener, ProctorCommand
from tests.console.kit import (
    add_staff,
    browser_login,
    candidate_login,
    event,
    face_frames,
    heartbeat,
    jpeg_snapshot,
    launch_chromium,
    make_room,
    mp4v_clip,
    paired_phone,
    paper,
    sealed_upload,
)
from tests.helpers.exam_client import started_service, wait_for
from tests.helpers.fixtures import Sitting
from tests.helpers.flaky_proxy import FlakyProxy
from tests.helpers.server import LiveServer

HOSTILE_NAME = '陈思远<img src=x onerror="window.__pwned=1">'   # a name is shown as text, never run


class World:
    def __init__(self, srv: LiveServer, r1: Any, r2: Any, d_flag_seq: int, d_clip: str, d_snapshot: str,
                 d_phone: Any) -> None:
        self.srv, self.r1, self.r2 = srv, r1, r2
        self.d_flag_seq, self.d_clip, self.d_snapshot, self.d_phone = d_flag_seq, d_clip, d_snapshot, d_phone


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    srv = LiveServer(tmp_path_factory.mktemp("console") / "srv").start()
    try:
        pid = paper(srv)
        for name, shown in (("p1", "王老师"), ("p2", "李老师"), ("p3", "赵老师"), ("p4", "钱老师")):
            add_staff(srv, name, display_name=shown)
        r1 = make_room(srv, pid, "R1", 4, ["p1", "p2"], names=["张晓梅", "刘洋", HOSTILE_NAME, "周婷"])
        r2 = make_room(srv, pid, "R2", 1, ["p3", "p4"], names=["李娜"])
        d = r1.candidates[3]   # the raw-protocol candidate: a warning with an unplayable clip, and a snapshot
        candidate_login(srv, d)
        heartbeat(srv, d, state="in_exam", camera="live", microphone="ok", lockdown="on", pending_ops=2)
        seq = event(srv, d, "camera.face_absent", "warn", state="start")
        clip = sealed_upload(srv, d, "evidence", {"video.mp4": mp4v_clip(tmp_path_factory.mktemp("d") / "d.mp4")
                                                  .read_bytes()}, seq, "camera.face_absent", 2000, 1000)
        snap = sealed_upload(srv, d, "snapshot", {"snapshot.jpg": jpeg_snapshot()})
        phone = paired_phone(srv, d, frames=3)   # D's second camera sends pictures
        yield World(srv, r1, r2, seq, clip, snap, phone)
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            yield browser
        finally:
            browser.close()


def sitting_of(world: World, c: Any) -> Sitting:
    return Sitting(world.srv, c.ticket, c.id_number, c.password, c.sitting_id, {"room_id": world.r1.room_id}, "")


class Heard(EngineListener):
    def __init__(self) -> None:
        self.commands: List[ProctorCommand] = []

    def on_command(self, command: ProctorCommand) -> None:
        self.commands.append(command)


def record_snippet(svc: Any, seq: int, folder: Any) -> None:
    """A 10 s snippet of a real face, cut, encoded and sealed by the client's EvidenceRecorder with the
    exam's policy (its default codec), queued for upload as the proctoring session does it."""
    from client.monitor.evidence import EvidenceRecorder, Snippet

    rec = EvidenceRecorder(str(folder), svc.sealing_key(), svc.sitting_id, svc.policy()["monitor"]["evidence"],
                           lambda path, header: svc.attach_evidence(path, "evidence", header.get("event_seq")),
                           threaded=False)
    frames = [(i / 5.0, f) for i, f in enumerate(face_frames(50))]
    rec.submit(Snippet(seq, "camera.multiple_faces", 5.0, 0.0, 10.0, frames, taken_ms=svc.server_time_ms()))
    assert rec.written and not rec.skipped, rec.skipped


def card(page: Any, sitting_id: str, state: str) -> str:
    return '.cand[data-sitting-id="%s"][data-state="%s"]' % (sitting_id, state)


def uploads_verified(srv: LiveServer, sitting_id: str) -> bool:
    entries = srv.admin_json("GET", "/admin/sittings/%s/timeline" % sitting_id)["entries"]
    ups = [e for e in entries if e["type"] == "upload"]
    return bool(ups) and all(e["status"] == "verified" for e in ups)


@pytest.mark.expected_log(r"(?i)network|offline|unreachable|connection|refused|sync")
def test_a_proctor_watches_the_room_reviews_a_flag_and_acts(world: World, chromium: Any, tmp_path) -> None:
    srv, r1 = world.srv, world.r1
    a, b, c, d = r1.candidates
    proxy = FlakyProxy(srv.port, cut_probability=0.0)
    heard = Heard()
    svc_a = started_service(sitting_of(world, a), tmp_path / "a", heartbeat_interval_s=0.5)
    svc_b = started_service(sitting_of(world, b), tmp_path / "b", server_url=proxy.url, heartbeat_interval_s=0.5)
    context = chromium.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    try:
        svc_a.add_listener(heard)
        svc_a.set_device_status({"camera": "live", "microphone": "ok", "lockdown": "on", "phone": "ok"})
        svc_a.answer("q1", "B")
        seq_a = svc_a.report_event("camera.multiple_faces", "alert", {"state": "start", "faces": 2})
        record_snippet(svc_a, seq_a, tmp_path / "evidence")   # the client's own recorder, its default codec
        wait_for(lambda: uploads_verified(srv, a.sitting_id), 60, "A's clip on the server")

        # the proctor signs in and opens the room: everyone in the state they are in
        browser_login(page, srv, "p1")
        page.click('a.room-link:text-is("%s")' % r1.room_id)
        page.wait_for_selector(card(page, a.sitting_id, "in_exam"))
        page.wait_for_selector(card(page, b.sitting_id, "in_exam"))
        page.wait_for_selector(card(page, c.sitting_id, "not_logged_in"))
        assert page.locator(card(page, c.sitting_id, "not_logged_in") + " .name").inner_text() == HOSTILE_NAME
        assert page.evaluate("window.__pwned") is None
        page.wait_for_selector(card(page, d.sitting_id, "in_exam"))
        a_card = page.locator(card(page, a.sitting_id, "in_exam"))
        assert a_card.locator('.device[data-device="camera"]').get_attribute("class").split()[-1] == "good"
        assert "高" in a_card.locator(".band").inner_text()
        d_img = page.locator('.cand[data-sitting-id="%s"] .snap img' % d.sitting_id)
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=d_img.element_handle())
        assert "2" in page.locator('.cand[data-sitting-id="%s"] .pending' % d.sitting_id).inner_text()

        # B's network goes; a minute later by the server's clock the grid shows B offline, A still in the exam
        proxy.refuse = True
        proxy.drop_all()
        svc_b.answer("q2", ["A", "B"])   # journaled on B's PC, not delivered
        srv.set_clock_offset(60_000)
        page.wait_for_selector(card(page, b.sitting_id, "offline"), timeout=60_000)
        page.wait_for_selector(card(page, a.sitting_id, "in_exam"))
        assert "离线自" in page.locator(card(page, b.sitting_id, "offline")).inner_text()

        # the flag queue ranks A's integrity alert above D's warning; its clip plays
        page.click("#nav-flags")
        queue = page.locator("#flag-queue li")
        assert queue.nth(0).get_attribute("data-sitting-id") == a.sitting_id
        assert queue.nth(1).get_attribute("data-sitting-id") == d.sitting_id
        queue.nth(0).locator("a.flag-link").click()
        page.wait_for_url("**/console/sittings/%s*" % a.sitting_id)
        video = page.locator("#flag-%d video.snippet" % seq_a)
        assert video.get_attribute("data-member") == "video.webm"
        page.wait_for_function("v => v.readyState >= 1 && v.duration > 9", arg=video.element_handle())
        start = page.evaluate("v => { v.muted = true; return v.play().then(() => v.currentTime); }",
                              video.element_handle())
        assert 3.5 <= start <= 4.5   # it opens a second before the moment (5 s into the clip)
        page.wait_for_function("([v, t]) => v.currentTime > t + 0.5 && !v.error && v.videoWidth === 320",
                               arg=[video.element_handle(), start])
        assert page.locator("#flag-%d .codec-note" % seq_a).is_hidden()

        # reviewed with a note
        flag = page.locator("#flag-%d" % seq_a)
        flag.locator('input[value="no_issue"]').check()
        flag.locator('textarea[name="note"]').fill("第二张脸是墙上的海报，已请考生取下")
        with page.expect_navigation():   # each action reloads the page to show its effect
            flag.locator(".review-form button").click()
        page.wait_for_selector("#flag-%d .review-done[data-outcome=no_issue]" % seq_a)

        # a message the candidate's client receives
        text = "请把手机放在身后 1.5 米外"
        page.fill("#message-text", text)
        with page.expect_navigation():
            page.click("#message-send")
        wait_for(lambda: any(x.type == "message" and x.text == text for x in heard.commands), 60, "the message")

        # ten more minutes: the candidate's own countdown moves
        before = svc_a.clock().remaining_s
        page.fill("#extend-minutes", "10")
        page.fill("#extend-reason", "网络中断 8 分钟，补足时间")
        with page.expect_navigation():
            page.click("#extend-send")
        wait_for(lambda: svc_a.clock().remaining_s > before + 500, 60, "A's deadline to move")
        page.wait_for_selector("#extension")
        sitting = srv.admin_json("GET", "/admin/sittings/%s/timeline" % a.sitting_id)["sitting"]
        assert sitting["deadline_ms"] == sitting["start_at_ms"] + (7200 + 600) * 1000

        # B: ended by the proctor, then its sealed file handed in late and accepted
        page.goto(srv.url + "/console/sittings/" + b.sitting_id)
        assert page.get_attribute("#candidate-now", "data-state") == "offline"
        page.on("dialog", lambda dialog: dialog.accept())
        page.fill("#end-reason", "考生断网，按规定结束，等待交回封存文件")
        with page.expect_navigation():
            page.click("#end-send")
        page.wait_for_selector('#sitting-status[data-status="ended"]')
        sealed = svc_b.export_sealed(str(tmp_path / "b.examdesk-sealed"))
        page.set_input_files("#hand-in-file", sealed)
        page.fill("#hand-in-reason", "考生考后交来 U 盘")
        with page.expect_navigation():
            page.click("#hand-in-send")
        page.wait_for_selector('#sitting-status[data-status="submitted"]')
        answered = [e for e in srv.admin_json("GET", "/admin/sittings/%s/timeline" % b.sitting_id)["entries"]
                    if e["type"] == "op" and e["kind"] == "answer"]
        assert [(e["payload"]["question_id"], e["source"]) for e in answered] == [("q2", "sealed")]

        # every action in the audit log: who, what, when, why
        entries = srv.admin_json("GET", "/admin/audit", params={"actor": "p1"})["entries"]
        done = {e["action"]: e for e in entries if e["outcome"] == "ok"}
        for action in ("login", "evidence.view", "flag.review", "command.message", "command.extend", "command.end",
                       "hand_in.accept"):
            assert action in done, (action, sorted(done))
            assert done[action]["role"] == "proctor" and done[action]["at_ms"] > 0
        assert done["flag.review"]["reason"] == "第二张脸是墙上的海报，已请考生取下"
        assert done["flag.review"]["sitting_id"] == a.sitting_id and done["flag.review"]["room_id"] == r1.room_id
        assert done["command.message"]["details"]["text"] == text
        assert done["command.extend"]["reason"] == "网络中断 8 分钟，补足时间"
        assert done["command.extend"]["details"]["seconds"] == 600
        assert done["command.end"]["sitting_id"] == b.sitting_id
        assert done["hand_in.accept"]["reason"] == "考生考后交来 U 盘"
        page.goto(srv.url + "/console/sittings/" + c.sitting_id)
        assert HOSTILE_NAME in page.locator("#candidate-name").inner_text()
        assert page.evaluate("window.__pwned") is None
        page.click("#nav-audit")
        shown = {row.get_attribute("data-action") for row in page.locator("#audit-table tbody tr").all()}
        assert {"flag.review", "command.message", "command.extend", "command.end", "hand_in.accept"} <= shown
    finally:
        context.close()
        svc_a.close()
        svc_b.close()
        proxy.close()


def test_an_unplayable_clip_says_so_and_offers_the_file(world: World, chromium: Any) -> None:
    d = world.r1.candidates[3]
    context = chromium.new_context()
    page = context.new_page()
    try:
        assert world.d_phone.frame(jpeg_snapshot(2), battery_level=0.8).status_code == 200   # sending right now
        browser_login(page, world.srv, "p2", next_path="/console/sittings/" + d.sitting_id)
        note = page.locator("#flag-%d .codec-note" % world.d_flag_seq)
        note.wait_for(state="visible")
        href = note.locator("a").get_attribute("href")
        assert href == "/console/api/sittings/%s/evidence/%s/video.mp4" % (d.sitting_id, world.d_clip)
        r = context.request.get(world.srv.url + href)   # opened with the server's key: the candidate's clip
        assert r.status == 200 and r.headers["content-type"] == "video/mp4" and r.body()[4:8] == b"ftyp"
        # the second camera: its state, its newest picture and the frames the server kept
        assert page.locator("#phone").get_attribute("data-state") == "live"
        for img in [page.locator("#phone-live")] + page.locator("#phone figure a img").all():
            page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=img.element_handle())
        assert page.locator("#phone figure a img").count() >= 1
        assert "80%" in page.locator("#phone").inner_text()
    finally:
        context.close()


def test_a_proctor_of_another_room_sees_none_of_it(world: World, chromium: Any) -> None:
    srv, r1 = world.srv, world.r1
    d = r1.candidates[3]
    r1_marks = [r1.room_id] + [x.ticket for x in r1.candidates] + [x.name for x in r1.candidates] + \
        [x.sitting_id for x in r1.candidates]
    context = chromium.new_context()
    page = context.new_page()
    try:
        browser_login(page, srv, "p3")
        page.wait_for_selector('.cand[data-sitting-id="%s"]' % world.r2.candidates[0].sitting_id)
        for path in ("/console/rooms", "/console/flags?reviewed=1", "/console/audit"):
            page.goto(srv.url + path)
            html = page.content()
            assert [m for m in r1_marks if m in html] == [], path
        for path in ("/console/rooms/" + r1.room_id, "/console/sittings/" + d.sitting_id):
            resp = page.goto(srv.url + path)
            assert resp is not None and resp.status == 403, path
            assert page.locator("#error-page").get_attribute("data-code") == "auth.forbidden"
            assert d.name not in page.content()
        for path in ("/console/api/rooms/%s/grid" % r1.room_id, "/console/api/grid?room=" + r1.room_id,
                     "/console/api/sittings/" + d.sitting_id,
                     "/console/api/sittings/%s/evidence/%s/snapshot.jpg" % (d.sitting_id, world.d_snapshot)):
            r = context.request.get(srv.url + path)
            assert r.status == 403, (path, r.status)
            assert d.name not in r.text()
    finally:
        context.close()
