"""The phone page in a real headless Chromium (Debian's, driven by Playwright) with a fake camera playing a video
made from the real photos, opened from the real server over HTTPS with a test CA the browser trusts (as a
phone trusts an installed CA): the client pairs it and shows its frames, the page never asks for audio and
uses the rear camera, hiding / losing the network / closing the page become events in the exam, and a used,
expired or replaced pairing URL is refused. Headless Chromium never hides a page by itself, so the hidden
page is simulated as NOTES says: visibilityState redefined and visibilitychange dispatched."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests

from client.exam.service import ExamService
from client.proctoring.session import ProctoringSession
from client.ui.selfcheck.phone_page import PhonePage
from tests.helpers.exam_client import client_config, started_service, timeline_ops
from tests.helpers.fixtures import make_sitting
from tests.helpers.phone import (
    HIDE,
    SHOW,
    launch_chromium,
    phone_context,
    phone_view_frames,
    policy_file,
    poll,
    trusting_home,
    wait_until,
    write_y4m,
)
from tests.helpers.server import LiveServer

playwright_api = pytest.importorskip("playwright.sync_api")
STALLED_S = 4
HEARTBEAT_S = 0.5
WAIT = 60000
SHOTS = os.environ.get("EXAMDESK_SCREENSHOT_DIR")   # tools/phone_screenshots.py sets it to docs/screenshots


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    from server.tls import create

    return create(tmp_path_factory.mktemp("tls"), ["127.0.0.1"])


@pytest.fixture(scope="module")
def browser(tmp_path_factory, certs):
    video = write_y4m(tmp_path_factory.mktemp("camera") / "phone-view.y4m", phone_view_frames(24))
    home = trusting_home(tmp_path_factory.mktemp("home"), certs.ca_cert)
    pw = playwright_api.sync_playwright().start()
    try:
        b = launch_chromium(pw, home, video)
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()


@pytest.fixture
def server(tmp_path, certs, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certs.ca_cert))   # how the PC client trusts a local CA
    pol = policy_file(tmp_path / "policy.json", stalled_s=STALLED_S, interval_s=1.0, setup_interval_s=0.5,
                      evidence_every_s=5, pairing_ttl_s=60)
    srv = LiveServer(tmp_path / "server", tls=certs, extra_args=["--policy-file", str(pol)]).start()
    try:
        yield srv
    finally:
        srv.stop()


def sent(page) -> int:
    text = page.evaluate("() => document.getElementById('factSent').textContent")
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits or 0)


def open_phone(browser, url, lang="zh-CN", landscape=False):
    ctx = phone_context(browser, lang, landscape)
    page = ctx.new_page()
    page.goto(url)
    return ctx, page


def shot(page_or_widget, name, tmp_path) -> Path:
    folder = Path(SHOTS) if SHOTS else tmp_path
    path = folder / name
    if hasattr(page_or_widget, "screenshot"):
        page_or_widget.screenshot(path=str(path), full_page=True)
    else:
        assert page_or_widget.grab().save(str(path))
    assert path.stat().st_size > 10_000
    return path


def test_the_client_pairs_the_phone_page_and_shows_its_frames(qtbot, browser, server, tmp_path):
    from tests.ui.test_phone_ui import decode_qr

    st = make_sitting(server, start_in_s=600)
    engine = ExamService(client_config(server.url, tmp_path / "client"))
    engine.login(st.ticket, st.id_number, st.password)
    engine.select_sitting(st.sitting_id)
    step = PhonePage(engine)
    qtbot.addWidget(step)
    step.resize(1100, 720)
    step.show()
    step.start()
    try:
        qtbot.waitUntil(lambda: step.panel.pairing is not None, timeout=WAIT)
        url = decode_qr(step.panel.qr)                         # what a phone's camera reads off the screen
        assert url == step.panel.pairing.url and url.startswith(server.url + "/phone/#t=")
        ctx, page = open_phone(browser, url)
        assert page.evaluate("() => window.isSecureContext") is True
        shot(page, "16-phone-page-zh.png", tmp_path)
        assert "身后一侧" in page.inner_text("#intro") and "1.5 米" in page.inner_text("#intro")
        page.click("#start")
        poll(page, "() => document.getElementById('factSent').textContent", lambda t: sent(page) >= 3, what="frames sent")
        assert "#t=" not in page.url                           # the token left the address bar
        qtbot.waitUntil(lambda: step.view.frames_shown >= 5 and step.primary()[1], timeout=WAIT)
        verdicts = {r.id: r.status for r in step.live}
        for check in ("phone.link", "phone.frames", "phone.picture", "phone.frozen", "phone.person",
                      "phone.orientation", "phone.screen_on"):
            assert verdicts[check] == "pass", (check, verdicts)
        assert verdicts["phone.camera"] == "warn"              # the fake device reports no facing: said honestly
        # the page asked for the rear camera only, never for audio
        calls = page.evaluate("() => window.__gum")
        assert calls and all(c.get("audio") is False for c in calls), calls
        assert calls[0]["video"]["facingMode"] == {"exact": "environment"}, calls
        assert all(c["video"]["facingMode"] in ({"exact": "environment"}, {"ideal": "environment"}) for c in calls)
        mic = page.evaluate("() => navigator.permissions.query({name: 'microphone'}).then(p => p.state)")
        assert mic != "granted"
        assert page.evaluate("() => document.querySelector('video').srcObject.getAudioTracks().length") == 0
        # the server keeps the first frame as evidence: a reduced JPEG
        kept = server.admin_json("GET", "/admin/sittings/%s/phone" % st.sitting_id)["frames"]
        assert kept and kept[0]["reason"] == "first" and kept[0]["width"] <= 480 and kept[0]["size"] < 60_000
        shot(step, "18-selfcheck-phone.png", tmp_path)
        ctx.close()
    finally:
        step.stop()
        engine.close()


def server_phone_events(server, st, kind):
    return [e for e in server.admin_json("GET", "/admin/sittings/%s/phone" % st.sitting_id)["events"]
            if e["type"] == kind]


def client_events(st, kind, state):
    return [op for op in timeline_ops(st) if op["kind"] == "event" and op["payload"]["type"] == kind
            and op["payload"]["detail"]["state"] == state]


def test_hiding_losing_the_network_and_closing_the_page_are_events_in_the_exam(browser, server, tmp_path):
    st = make_sitting(server)
    svc = started_service(st, tmp_path / "client", heartbeat_interval_s=HEARTBEAT_S)
    session = ProctoringSession(svc).attach()
    slack_ms = 5000   # a loaded, shared machine: scheduling, one heartbeat in flight
    try:
        ctx, page = open_phone(browser, svc.pair_phone().url, landscape=True)
        page.click("#start")
        wait_until(lambda: svc.phone_status().state == "live", what="the client learns the phone is live")
        shot(page, "17-phone-page-live-zh.png", tmp_path)
        # the page is hidden (another app, the screen locked, a call)
        page.evaluate(HIDE)
        wait_until(lambda: client_events(st, "phone.hidden", "start"), what="phone.hidden in the journal")
        hidden_at = server_phone_events(server, st, "hidden")[0]["at_ms"]
        told = client_events(st, "phone.hidden", "start")[0]["t_ms"]   # received by the server: no earlier than the candidate was told
        assert told - hidden_at <= HEARTBEAT_S * 1000 + slack_ms, (told, hidden_at)
        page.evaluate(SHOW)
        wait_until(lambda: client_events(st, "phone.hidden", "end"), what="phone.hidden ended")
        gap = server_phone_events(server, st, "interrupted")[-1]["detail"]
        assert gap["reason"] == "hidden" and gap["duration_ms"] > 0
        # the network goes: no frame for longer than stalled_s is a stopped feed, dated when it happened
        ctx.set_offline(True)
        wait_until(lambda: client_events(st, "phone.feed_stopped", "start"), what="feed stopped in the journal")
        stop = server_phone_events(server, st, "feed_stopped")[0]
        assert stop["detail"]["why"] == "no_frames"
        assert stop["at_ms"] == stop["detail"]["last_frame_at_ms"] + STALLED_S * 1000
        told = client_events(st, "phone.feed_stopped", "start")[0]["t_ms"]   # received by the server: no earlier than the candidate was told
        assert told - stop["at_ms"] <= HEARTBEAT_S * 1000 + slack_ms, (told, stop)
        ctx.set_offline(False)                                 # back: the page says what interrupted it
        wait_until(lambda: client_events(st, "phone.feed_stopped", "end"), what="feed back")
        wait_until(lambda: any(e["detail"].get("reason") == "network"
                               for e in server_phone_events(server, st, "interrupted")), what="network reported")
        # the page is closed: it says so as it goes, the feed counts as stopped at once
        page.close()
        wait_until(lambda: len(client_events(st, "phone.feed_stopped", "start")) == 2, what="closed page")
        closed = server_phone_events(server, st, "feed_stopped")[-1]
        assert closed["detail"]["why"] == "closed"
        ctx.close()
    finally:
        session.stop()
        svc.close()


def refusal(page) -> str:
    return poll(page, "() => document.getElementById('problem').hidden ? '' : document.getElementById('problem').innerText",
                lambda t: bool(t), what="the refusal")


def test_a_used_expired_or_replaced_pairing_url_is_refused(browser, server, tmp_path):
    st = make_sitting(server, start_in_s=600)
    svc = ExamService(client_config(server.url, tmp_path / "client"))
    svc.login(st.ticket, st.id_number, st.password)
    svc.select_sitting(st.sitting_id)
    try:
        first = svc.pair_phone()
        ctx_a, page_a = open_phone(browser, first.url)
        page_a.click("#start")
        poll(page_a, "() => 1", lambda _v: sent(page_a) >= 1, what="the first phone sends")
        # used: another phone (or anyone else) opening the same URL is refused, and no camera is asked for
        ctx_b, page_b = open_phone(browser, first.url)
        page_b.click("#start")
        assert "已经用过" in refusal(page_b)
        assert page_b.evaluate("() => window.__gum") == []
        ctx_b.close()
        # a reload of the paired phone's own page resumes (its key is in the tab's session storage)
        page_a.reload()
        poll(page_a, "() => 1", lambda _v: sent(page_a) >= 1, what="the reloaded page sends again")
        # expired: past its lifetime on the server's clock
        late = svc.pair_phone()
        server.set_clock_offset(61_000)
        ctx_c, page_c = open_phone(browser, late.url)
        page_c.click("#start")
        assert "过期" in refusal(page_c)
        shot(page_c, "phone-page-refused.png", tmp_path)
        ctx_c.close()
        server.set_clock_offset(0)
        # replaced: a newer code claimed by another phone; the old page stops and says why
        newer = svc.pair_phone()
        ctx_d, page_d = open_phone(browser, newer.url)
        page_d.click("#start")
        poll(page_d, "() => 1", lambda _v: sent(page_d) >= 1, what="the new phone sends")
        assert "接替" in refusal(page_a)
        stopped_at = sent(page_a)
        assert svc.phone_live(0).status.pairing_id == newer.pairing_id
        assert requests.get(server.url + "/phone/", verify=server.verify, timeout=10).status_code == 200
        assert sent(page_a) == stopped_at
        ctx_a.close()
        ctx_d.close()
    finally:
        svc.close()
