"""The second camera's server side against the real server process: one-time pairing, frame and status
intake, the phone's state (live, hidden, stopped, resumed) in the heartbeat answer, sparse evidence in the
data folder (0600) with retention, the timeline, the proctor's functions, and hostile input (never a 500)."""
from __future__ import annotations

import hashlib
import json
import os
import stat

import pytest
import requests

from tests.helpers.fixtures import make_sitting
from tests.helpers.media import load_face
from tests.helpers.phone import StandInPhone, jpeg, phone_view_frames, policy_file
from tests.helpers.server import LiveServer
from tests.server.kit import assert_error, auth

STALLED_S = 5


@pytest.fixture
def phone_server(tmp_path):
    pol = policy_file(tmp_path / "policy.json", stalled_s=STALLED_S, evidence_every_s=60, pairing_ttl_s=120,
                      interval_s=4.0, setup_interval_s=1.0)
    srv = LiveServer(tmp_path / "server", extra_args=["--policy-file", str(pol)]).start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def frames():
    return [jpeg(f) for f in phone_view_frames(8)]


def pair(srv, st):
    r = requests.post("%s/sittings/%s/phone/pairing" % (srv.api, st.sitting_id), headers=auth(st.token), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def status_of(srv, st, after_seq=0):
    r = requests.get("%s/sittings/%s/phone" % (srv.api, st.sitting_id), params={"after_seq": after_seq},
                     headers=auth(st.token), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def admin_phone(srv, st):
    return srv.admin_json("GET", "/admin/sittings/%s/phone" % st.sitting_id)


def test_a_pairing_url_works_once_and_only_while_it_is_fresh(phone_server):
    srv = phone_server
    st = make_sitting(srv)
    p = pair(srv, st)
    assert p["url"].startswith(srv.url + "/phone/#t=") and p["ttl_s"] == 120
    token = StandInPhone.token_of(p["url"])
    assert status_of(srv, st)["status"]["state"] == "pairing"
    first = StandInPhone(srv.api)
    r = first.claim(p["url"])
    assert r.status_code == 200, r.text
    assert r.json()["sitting"]["ticket_tail"] == st.ticket[-4:] and "*" in r.json()["sitting"]["candidate"]
    assert status_of(srv, st)["status"]["state"] == "connecting"
    # used: refused with the reason, in both languages
    err = assert_error(StandInPhone(srv.api).claim(p["url"]), 410, "phone.pairing_used")
    assert "只能用一次" in err["message_zh"] and "once" in err["message_en"]
    # expired: the server's clock moves past the code's lifetime
    late = pair(srv, st)
    srv.set_clock_offset(121_000)
    assert_error(StandInPhone(srv.api).claim(late["url"]), 410, "phone.pairing_expired")
    srv.set_clock_offset(0)
    assert_error(StandInPhone(srv.api).claim("x" * 43), 404, "phone.pairing_unknown")
    # nothing about the token is stored in the clear, and it never reached a log line
    db = (srv.data_dir / "examdesk.sqlite3").read_bytes()
    assert token.encode() not in db and first.key.encode() not in db
    assert token not in srv.log_tail(200_000) and first.key not in srv.log_tail(200_000)


def test_only_the_candidate_pairs_their_own_sitting(phone_server):
    srv = phone_server
    mine, other = make_sitting(srv), make_sitting(srv)
    r = requests.post("%s/sittings/%s/phone/pairing" % (srv.api, other.sitting_id), headers=auth(mine.token), timeout=10)
    assert_error(r, 403, "auth.forbidden")
    r = requests.get("%s/sittings/%s/phone" % (srv.api, other.sitting_id), headers=auth(mine.token), timeout=10)
    assert_error(r, 403, "auth.forbidden")
    r = srv.admin("POST", "/sittings/%s/phone/pairing" % mine.sitting_id)
    assert_error(r, 403, "auth.forbidden")
    assert_error(requests.post("%s/sittings/%s/phone/pairing" % (srv.api, mine.sitting_id), timeout=10),
                 401, "auth.required")


def test_frames_make_the_phone_live_and_the_live_view_gets_them(phone_server, frames):
    srv = phone_server
    st = make_sitting(srv)
    phone = StandInPhone(srv.api)
    assert phone.claim(pair(srv, st)["url"]).status_code == 200
    r = phone.frame(frames[0], battery_level=0.9, charging="true")
    assert r.status_code == 200, r.text
    assert r.json()["mode"] == "exam" and r.json()["next_in_ms"] == 4000    # nobody watches: the exam pace
    view = status_of(srv, st)
    assert view["status"]["state"] == "live" and view["status"]["frames"] == 1
    assert view["status"]["battery_level"] == 0.9 and view["status"]["charging"] is True
    assert view["frame"]["seq"] == 1 and view["frame"]["width"] == 640 and view["frame"]["height"] == 360
    import base64

    assert base64.b64decode(view["frame"]["jpeg_b64"]) == frames[0]
    assert status_of(srv, st, after_seq=1)["frame"] is None            # nothing newer
    r = phone.frame(frames[1])
    assert r.json()["mode"] == "setup" and r.json()["next_in_ms"] == 1000   # a live view watches: faster
    # the heartbeat answer carries the phone (how the client learns it in the exam)
    hb = requests.post("%s/sittings/%s/heartbeat" % (srv.api, st.sitting_id), json={"state": "in_exam"},
                       headers=auth(st.token), timeout=10).json()
    assert hb["phone"]["state"] == "live" and hb["phone"]["pairing_id"] == view["status"]["pairing_id"]


def test_hidden_stopped_and_resumed_with_what_interrupted_it(phone_server, frames):
    srv = phone_server
    st = make_sitting(srv)
    phone = StandInPhone(srv.api)
    phone.claim(pair(srv, st)["url"])
    assert phone.frame(frames[0]).status_code == 200
    assert phone.beat("hidden", visibility="hidden").status_code == 200
    assert status_of(srv, st)["status"]["state"] == "hidden"
    gap = {"reason": "hidden", "duration_ms": 4200, "signals": ["wake_lock_released"]}
    r = phone.beat("interrupted", visibility="visible", interruption=gap)
    assert r.status_code == 200, r.text
    s = status_of(srv, st)["status"]
    assert s["state"] == "live" and s["last_interruption"]["reason"] == "hidden"
    # no frame for longer than stalled_s: stopped, dated when it happened (last frame + stalled_s)
    last = s["last_frame_at_ms"]
    srv.set_clock_offset((STALLED_S + 2) * 1000)
    s = status_of(srv, st)["status"]
    assert s["state"] == "stopped" and s["since_ms"] == last
    stopped = [e for e in admin_phone(srv, st)["events"] if e["type"] == "feed_stopped"]
    assert len(stopped) == 1 and stopped[0]["at_ms"] == last + STALLED_S * 1000
    assert stopped[0]["detail"]["why"] == "no_frames" and stopped[0]["detail"]["noticed_at_ms"] >= stopped[0]["at_ms"]
    status_of(srv, st)                                                  # asking again records nothing new
    # frames again: resumed, with the gap, and that frame is kept as evidence
    assert phone.frame(frames[1]).status_code == 200
    report = admin_phone(srv, st)
    assert report["status"]["state"] == "live"
    types = [e["type"] for e in report["events"]]
    assert types == ["paired", "live", "hidden", "visible", "interrupted", "feed_stopped", "resumed"], types
    assert [e for e in report["events"] if e["type"] == "resumed"][0]["detail"]["gap_ms"] >= STALLED_S * 1000
    assert [f["reason"] for f in report["frames"]] == ["first", "resumed"]
    # the page saying it is closing stops the feed at once
    phone.beat("closing", visibility="hidden")
    s = status_of(srv, st)["status"]
    assert s["state"] == "stopped"
    assert [e["detail"]["why"] for e in admin_phone(srv, st)["events"] if e["type"] == "feed_stopped"][-1] == "closed"


def test_a_frozen_page_and_a_low_battery_are_seen(phone_server, frames):
    srv = phone_server
    st = make_sitting(srv)
    phone = StandInPhone(srv.api)
    phone.claim(pair(srv, st)["url"])
    for _ in range(4):                                                  # the very same bytes again and again
        assert phone.frame(frames[2], battery_level=0.1, charging="false").status_code == 200
    s = status_of(srv, st)["status"]
    assert s["state"] == "frozen" and s["battery_low"] is True
    assert phone.frame(frames[3], battery_level=0.12, charging="true").status_code == 200
    s = status_of(srv, st)["status"]
    assert s["state"] == "live" and s["battery_low"] is False
    assert [e["type"] for e in admin_phone(srv, st)["events"] if e["type"].startswith("battery")] == \
        ["battery_low", "battery_ok"]


def test_a_newer_phone_replaces_the_old_one_only_when_it_claims(phone_server, frames):
    srv = phone_server
    st = make_sitting(srv)
    old, new = StandInPhone(srv.api), StandInPhone(srv.api)
    old.claim(pair(srv, st)["url"])
    assert old.frame(frames[0]).status_code == 200
    fresh = pair(srv, st)                                               # shown, not yet scanned
    assert old.frame(frames[1]).status_code == 200                     # the old phone still counts
    assert new.claim(fresh["url"]).status_code == 200
    assert_error(old.frame(frames[2]), 410, "phone.replaced")
    assert_error(old.beat("beat"), 410, "phone.replaced")
    assert new.frame(frames[3]).status_code == 200
    assert status_of(srv, st)["status"]["frames"] == 1


def test_evidence_is_sparse_private_listed_fetched_and_expires(phone_server, frames, tmp_path):
    srv = phone_server
    st = make_sitting(srv)
    phone = StandInPhone(srv.api)
    phone.claim(pair(srv, st)["url"])
    for i in range(3):                                                  # within one evidence interval: one kept
        assert phone.frame(frames[i]).status_code == 200
    srv.set_clock_offset(61_000)
    assert phone.frame(frames[3]).status_code == 200                   # the next interval: kept (after a gap: resumed)
    srv.set_clock_offset(61_000 + 4_000)
    assert phone.frame(frames[4]).status_code == 200
    kept = admin_phone(srv, st)["frames"]
    assert [f["seq"] for f in kept] == [1, 4]
    folder = srv.data_dir / "phone"
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    files = sorted(p for p in folder.rglob("*.jpg"))
    assert len(files) == 2 and all(stat.S_IMODE(os.stat(p).st_mode) == 0o600 for p in files)
    assert all(stat.S_IMODE(os.stat(p.parent).st_mode) == 0o700 for p in files)
    r = srv.admin("GET", "/admin/sittings/%s/phone/frames/%d" % (st.sitting_id, kept[0]["frame_id"]))
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg" and r.content == frames[0]
    assert hashlib.sha256(r.content).hexdigest() == kept[0]["sha256"]
    live = srv.admin("GET", "/admin/sittings/%s/phone/live" % st.sitting_id)
    assert live.status_code == 200 and live.content == frames[4]
    # the timeline shows them (API and CLI)
    entries = srv.admin_json("GET", "/admin/sittings/%s/timeline" % st.sitting_id)["entries"]
    assert [e["seq"] for e in entries if e["type"] == "phone_frame"] == [1, 4]
    assert {"paired", "live", "resumed"} <= {e["event"] for e in entries if e["type"] == "phone"}
    # a damaged file is refused, not served
    files[0].write_bytes(b"\xff\xd8damaged\xff\xd9")
    assert_error(srv.admin("GET", "/admin/sittings/%s/phone/frames/%d" % (st.sitting_id, kept[0]["frame_id"])),
                 404, "not_found")
    # past retention (30 days by default): deleted when the next frame is kept after a start; records stay
    srv.stop()
    srv.set_clock_offset(31 * 86_400_000)
    srv.start()
    later = make_sitting(srv)
    another = StandInPhone(srv.api)
    another.claim(pair(srv, later)["url"])
    assert another.frame(frames[5]).status_code == 200
    kept = admin_phone(srv, st)["frames"]
    assert [f["deleted"] for f in kept] == [True, True]
    assert [f["deleted"] for f in admin_phone(srv, later)["frames"]] == [False]
    assert len(list(folder.rglob("*.jpg"))) == 1
    assert_error(srv.admin("GET", "/admin/sittings/%s/phone/frames/%d" % (st.sitting_id, kept[1]["frame_id"])),
                 404, "not_found")


def test_the_cli_timeline_lists_phone_frames(phone_server, frames):
    srv = phone_server
    st = make_sitting(srv)
    phone = StandInPhone(srv.api)
    phone.claim(pair(srv, st)["url"])
    phone.frame(frames[0])
    srv.stop()
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "server", "timeline", st.sitting_id, "--data-dir", str(srv.data_dir)],
                         capture_output=True, text=True, check=True, env=dict(os.environ, PYTHONPATH=os.getcwd()))
    entries = json.loads(out.stdout)["entries"]
    assert [e["reason"] for e in entries if e["type"] == "phone_frame"] == ["first"]


def test_a_finished_sitting_stops_the_phone(phone_server, frames):
    srv = phone_server
    st = make_sitting(srv)
    phone = StandInPhone(srv.api)
    phone.claim(pair(srv, st)["url"])
    assert phone.frame(frames[0]).status_code == 200
    srv.command(st.sitting_id, type="end", reason="proctor")
    srv.set_clock_offset(10_000)                                        # past the grace after the end
    assert_error(phone.frame(frames[1]), 410, "phone.sitting_over")
    r = requests.post("%s/sittings/%s/phone/pairing" % (srv.api, st.sitting_id), headers=auth(st.token), timeout=10)
    assert_error(r, 410, "phone.sitting_over")


@pytest.mark.parametrize("body,ctype,status,code", [
    (b"not a jpeg at all", "image/jpeg", 422, "phone.bad_frame"),
    (b"\xff\xd8\xff\xc0\x00\x11\x08\x27\x10\x27\x10\x03" + b"\x00" * 20, "image/jpeg", 422, "phone.bad_frame"),  # 10000x10000
    (b"\xff\xd8\xff\xe0\x00\x01", "image/jpeg", 422, "phone.bad_frame"),            # a segment length below 2
    (b"\xff\xd8" + b"\x00" * 300_000, "image/jpeg", 413, "request.too_large"),
    (b"\xff\xd8\xff\xd9", "image/png", 415, "request.unsupported_media"),
])
def test_hostile_frames_get_clear_refusals(phone_server, body, ctype, status, code):
    srv = phone_server
    st = make_sitting(srv)
    phone = StandInPhone(srv.api)
    phone.claim(pair(srv, st)["url"])
    r = requests.post(srv.api + "/phone/frames", params={"seq": 1}, data=body, timeout=10,
                      headers=phone.headers(**{"Content-Type": ctype}))
    assert_error(r, status, code)


def test_hostile_status_and_claims_get_clear_refusals(phone_server, frames):
    srv = phone_server
    st = make_sitting(srv)
    phone = StandInPhone(srv.api)
    phone.claim(pair(srv, st)["url"])
    for body in ({"event": "beat", "battery_level": 7}, {"event": "explode"}, {"event": "beat", "extra": 1},
                 {"event": "interrupted", "interruption": {"reason": "hidden", "duration_ms": -1}},
                 {"event": "beat", "detail": "x" * 5000}, [1, 2]):
        assert_error(requests.post(srv.api + "/phone/status", json=body, headers=phone.headers(), timeout=10),
                     422, "request.invalid")
    assert_error(requests.post(srv.api + "/phone/status", data=b"{", headers=phone.headers(
        **{"Content-Type": "application/json"}), timeout=10), 422, "request.invalid")
    assert_error(requests.post(srv.api + "/phone/frames", params={"seq": 1}, data=frames[0], timeout=10,
                               headers={"Content-Type": "image/jpeg"}), 401, "auth.required")
    assert_error(requests.post(srv.api + "/phone/frames", params={"seq": 1}, data=frames[0], timeout=10,
                               headers={"Content-Type": "image/jpeg", "Authorization": "Bearer nope"}),
                 401, "phone.unpaired")
    assert_error(requests.post(srv.api + "/phone/frames", params={"seq": 0}, data=frames[0], timeout=10,
                               headers=phone.headers(**{"Content-Type": "image/jpeg"})), 422, "request.invalid")
    for token in ("short", "bad chars!" * 5, 12345):
        assert_error(requests.post(srv.api + "/phone/claim", json={"token": token}, timeout=10), 422, "request.invalid")
    assert "Traceback" not in srv.log_tail(200_000)


def test_the_page_is_served_with_a_strict_policy_and_never_the_microphone(phone_server):
    srv = phone_server
    r = requests.get(srv.url + "/phone/", timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "microphone=()" in r.headers["permissions-policy"] and "camera=(self)" in r.headers["permissions-policy"]
    assert "script-src 'self'" in r.headers["content-security-policy"] and r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store" and "<script" in r.text and "onclick" not in r.text
    js = requests.get(srv.url + "/phone/phone.js", timeout=10).text
    assert "audio: false" in js and 'facingMode: {exact: "environment"}' in js and "wakeLock" in js
    assert requests.get(srv.url + "/phone/guide.svg", timeout=10).headers["content-type"] == "image/svg+xml"
    assert_error(requests.get(srv.url + "/phone/ca.crt", timeout=10), 404, "not_found")   # no TLS: no local CA
    assert_error(requests.get(srv.url + "/phone/..%2fserver.key", timeout=10), 404, "not_found")
    assert_error(requests.get(srv.url + "/phone/missing.js", timeout=10), 404, "not_found")


def test_openapi_describes_pairing_frames_and_status(phone_server):
    spec = requests.get(phone_server.url + "/openapi.json", timeout=10).json()
    paths = spec["paths"]
    for p in ("/api/v1/sittings/{sid}/phone/pairing", "/api/v1/sittings/{sid}/phone", "/api/v1/phone/claim",
              "/api/v1/phone/frames", "/api/v1/phone/status", "/api/v1/admin/sittings/{sid}/phone"):
        assert p in paths, p
    assert "image/jpeg" in paths["/api/v1/phone/frames"]["post"]["requestBody"]["content"]
    schemas = spec["components"]["schemas"]
    assert {"PairingOut", "ClaimOut", "BeatBody", "Pacing", "LiveOut", "PhoneStatusOut", "Interruption"} <= set(schemas)
    assert set(schemas["PhoneStatusOut"]["properties"]["state"]["enum"]) >= {"live", "hidden", "stopped"}


def test_jpeg_size_reads_the_frame_header_only():
    from server.phone.intake import jpeg_size

    assert jpeg_size(jpeg(load_face("obama-720p.jpg"))) == (1280, 720)
    for bad in (b"", b"\xff\xd8", b"\x89PNG\r\n", b"\xff\xd8\xff\xda\x00\x02", b"\xff\xd8\x00\x00\x00\x00"):
        with pytest.raises(ValueError):
            jpeg_size(bad)


def test_the_server_lowers_the_quality_to_keep_the_upstream_budget(tmp_path, frames):
    # 10 kbps at a 4 s interval leaves ~4 KB per frame: our ~9 KB frames overrun it
    pol = policy_file(tmp_path / "policy.json", interval_s=4.0, max_kbps=10, jpeg_quality=0.6)
    srv = LiveServer(tmp_path / "server", extra_args=["--policy-file", str(pol)]).start()
    try:
        st = make_sitting(srv)
        phone = StandInPhone(srv.api)
        phone.claim(pair(srv, st)["url"])
        asked = [phone.frame(frames[i % len(frames)]).json()["quality"] for i in range(6)]
        assert asked == sorted(asked, reverse=True) and asked[-1] < 0.6 * 0.85 ** 4, asked
        small = jpeg(phone_view_frames(1, 160, 90)[0], 30)               # frames well inside the budget
        back = [phone.frame(small).json()["quality"] for _ in range(12)]
        assert back[-1] == 0.6 and back == sorted(back)                   # back up, never above the policy's
        status_of(srv, st)                                                # a live view watches: full quality
        assert phone.frame(frames[0]).json()["quality"] == 0.6
    finally:
        srv.stop()
