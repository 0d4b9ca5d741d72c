#!/usr/bin/env python3
"""Screenshots of the proctor console for docs/proctor.md, in headless Chromium (Debian's, via Playwright)
against the real server on loopback. The candidates speak the raw protocol: heartbeats with their devices,
events, a sealed WebM clip and sealed JPEG snapshots through tus; the server's clock is moved to age a silence.

    .venv/bin/python tools/console_screenshots.py [--out docs/screenshots]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.console.kit import (  # noqa: E402
    add_staff,
    browser_login,
    candidate_login,
    event,
    heartbeat,
    jpeg_snapshot,
    launch_chromium,
    make_room,
    paired_phone,
    paper,
    sealed_upload,
    send_ops,
    webm_clip,
)
from tests.helpers.server import LiveServer  # noqa: E402

NAMES = ["张晓梅", "刘洋", "陈思远", "李娜", "王建国", "赵敏", "孙丽", "周杰", "吴芳", "郑强", "冯雪", "褚明"]


def scene(srv: LiveServer, tmp: Path) -> dict:
    pid = paper(srv, "ccc-mid-2026-formal")
    add_staff(srv, "wang", display_name="王老师")
    add_staff(srv, "li", display_name="李老师")
    room = make_room(srv, pid, "A101", 12, ["wang", "li"], names=NAMES)
    other = make_room(srv, pid, "A102", 6, ["wang", "zhao"], names=["钱进", "孔亮", "曹颖", "严华", "华莉", "金波"])
    c = room.candidates
    for x in c[:10] + other.candidates[:5]:
        candidate_login(srv, x)
    devices = {"camera": "live", "microphone": "ok", "lockdown": "on", "phone": "ok"}
    for i, x in enumerate(c[:8] + other.candidates[:5]):
        send_ops(srv, x, [x.chain.answer("q1", "B"), x.chain.answer("q3", True)])
        heartbeat(srv, x, state="in_exam", **devices)
        sealed_upload(srv, x, "snapshot", {"snapshot.jpg": jpeg_snapshot(i % 12)})
    seq = event(srv, c[1], "camera.multiple_faces", "alert", state="start", faces=2)
    sealed_upload(srv, c[1], "evidence", {"video.webm": webm_clip(tmp / "clip.webm", seconds=4).read_bytes()}, seq,
                  "camera.multiple_faces", 4000, 2000)
    event(srv, c[4], "audio.talking", "warn", state="start")
    event(srv, c[4], "audio.talking", "warn", state="end", duration_s=75)
    event(srv, c[6], "lockdown.focus_lost", "warn")
    event(srv, c[2], "camera.face_absent", "warn", state="start")
    event(srv, c[2], "camera.face_absent", "warn", state="end", duration_s=7)
    heartbeat(srv, c[5], state="in_exam", camera="lost", microphone="ok", lockdown="on", phone="ok",
              pending_ops=3, pending_uploads=1)
    heartbeat(srv, c[8], state="logged_in", camera="live", microphone="ok")
    heartbeat(srv, c[9], state="checks_passed", camera="live", microphone="ok", lockdown="off")
    heartbeat(srv, c[3], state="in_exam", camera="live", microphone="ok", lockdown="on", phone="lost")
    # c[7] falls silent: a minute later by the server's clock it is offline; the others keep beating
    srv.set_clock_offset(70_000)
    changed = {c[5].ticket: {"camera": "lost"}, c[3].ticket: {"phone": "lost"}}
    for x in c[:7] + other.candidates[:5]:
        heartbeat(srv, x, state="in_exam", **dict(devices, **changed.get(x.ticket, {})))
    heartbeat(srv, c[8], state="logged_in", camera="live", microphone="ok")
    heartbeat(srv, c[9], state="checks_passed", camera="live", microphone="ok", lockdown="off")
    send_ops(srv, c[0], [c[0].chain.add("event", {"type": "lockdown.focus_lost", "severity": "info", "detail": {}})])
    r = srv.admin_json("POST", "/admin/sittings/%s/commands" % c[3].sitting_id, json={"type": "message",
                                                                                     "text": "请把手机放回身后 45° 的位置"})
    assert r["id"]
    phone = paired_phone(srv, c[1], frames=0)
    send_phone_view(phone, 3)
    return {"room": room, "other": other, "flagged": c[1], "seq": seq, "phone": phone}


def send_phone_view(phone: object, n: int) -> None:
    """What the candidate's phone behind them sees (real photos, tests/helpers/phone.py), as JPEG frames."""
    import cv2

    from tests.helpers.phone import phone_view_frames

    for frame in phone_view_frames(n, width=480, height=270):
        ok, buf = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 70])
        assert ok and phone.frame(bytes(buf), battery_level=0.76).status_code == 200  # type: ignore[attr-defined]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        srv = LiveServer(Path(tmp) / "srv").start()
        try:
            s = scene(srv, Path(tmp))
            with sync_playwright() as p:
                browser = launch_chromium(p)
                ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
                page = ctx.new_page()

                def shot(name: str, full: bool = False) -> None:
                    page.wait_for_timeout(400)
                    page.screenshot(path=os.path.join(args.out, name), full_page=full)
                    print("wrote", name)

                page.goto(srv.url + "/console/login")
                shot("console-01-login.png")
                browser_login(page, srv, "wang")
                page.wait_for_selector(".cand")
                shot("console-02-rooms.png", full=True)
                page.goto(srv.url + "/console/rooms/" + s["room"].room_id)
                page.wait_for_selector('.cand[data-state="offline"]')
                page.wait_for_function("() => [...document.images].every(i => i.complete)")
                shot("console-03-room-grid.png", full=True)
                page.goto(srv.url + "/console/flags")
                shot("console-04-flags.png", full=True)
                send_phone_view(s["phone"], 1)   # the phone is sending right now
                page.goto(srv.url + "/console/sittings/" + s["flagged"].sitting_id)
                page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
                video = page.locator("video.snippet").first
                page.evaluate("v => { v.muted = true; return v.play().then(() => new Promise(r => setTimeout(r, 1500)))"
                              ".then(() => v.pause()); }", video.element_handle())
                shot("console-05-sitting.png", full=True)
                page.fill("#message-text", "请保持面部在画面中央")
                page.click("#message-send")
                with page.expect_navigation():   # the page reloads to show what the action did
                    page.wait_for_selector(".action-result.ok")
                    shot("console-06-action.png")
                page.goto(srv.url + "/console/audit")
                shot("console-07-audit.png")
                page.goto(srv.url + "/console/rooms/%s?lang=en" % s["room"].room_id)
                page.wait_for_selector('.cand[data-state="offline"]')
                page.wait_for_function("() => [...document.images].every(i => i.complete)")
                shot("console-08-room-grid-en.png")
                page.goto(srv.url + "/console/rooms?lang=zh")
                browser.close()
        finally:
            srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
