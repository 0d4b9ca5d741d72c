#!/usr/bin/env python3
"""Screenshots of the second camera for docs/screenshots/: the phone page in a phone-sized Chromium (zh), the
client's second-camera step showing the phone's live frames, and the exam when the phone's feed stops.
Real parts throughout: the reference server over HTTPS with a local test CA, Debian's Chromium with a fake
camera playing a video made from the real photos, the real ExamService and widgets (Qt offscreen, CJK font).

    .venv/bin/python tools/phone_screenshots.py
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = ROOT / "docs" / "screenshots"

from client.qt import QApplication  # noqa: E402
from client.ui import language, theme  # noqa: E402


def pump_until(cond: Callable[[], Any], what: str, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QApplication.processEvents()
        if cond():
            return
        time.sleep(0.05)
    raise SystemExit("timed out waiting for " + what)


def main() -> int:
    import cv2
    from playwright.sync_api import sync_playwright

    from client.exam.service import ExamService
    from client.proctoring.session import ProctoringSession
    from client.ui.main_window import ExamDeskWindow
    from client.ui.selfcheck.wizard import SelfCheckWizard
    from server.tls import create
    from tests.helpers.exam_client import client_config
    from tests.helpers.fixtures import make_sitting
    from tests.helpers.media import good_frame
    from tests.helpers.phone import (
        launch_chromium,
        phone_context,
        phone_view_frames,
        policy_file,
        trusting_home,
        write_y4m,
    )
    from tests.helpers.server import LiveServer

    app = QApplication.instance() or QApplication(["phone-screenshots"])
    theme.apply(app)
    language.install("zh_CN")
    tmp = Path(tempfile.mkdtemp(prefix="examdesk-phone-shots-"))
    certs = create(tmp / "tls", ["127.0.0.1"])
    os.environ["REQUESTS_CA_BUNDLE"] = str(certs.ca_cert)
    pol = policy_file(tmp / "policy.json", stalled_s=4, interval_s=1.0, setup_interval_s=0.5)
    server = LiveServer(tmp / "server", tls=certs, extra_args=["--policy-file", str(pol)]).start()
    video = write_y4m(tmp / "phone-view.y4m", phone_view_frames(24))
    still = tmp / "pc-camera.jpg"
    cv2.imwrite(str(still), good_frame())
    pw = sync_playwright().start()
    browser = launch_chromium(pw, trusting_home(tmp / "home", certs.ca_cert), video)
    try:
        # 1. the self-check's second-camera step, and the phone page it pairs
        st = make_sitting(server, start_in_s=900)
        engine = ExamService(client_config(server.url, str(tmp / "client")))
        engine.login(st.ticket, st.id_number, st.password)
        engine.select_sitting(st.sitting_id)
        wizard = SelfCheckWizard(config=engine.config, policy=engine.policy(), phone=engine, camera=str(still))
        wizard.resize(1180, 780)
        wizard.show()
        wizard.go("phone")
        step = wizard.phone_page
        assert step is not None
        pump_until(lambda: step.panel.pairing is not None, "a pairing code")
        ctx = phone_context(browser)
        page = ctx.new_page()
        page.goto(step.panel.pairing.url)
        page.screenshot(path=str(OUT / "16-phone-page-zh.png"), full_page=True)
        page.click("#start")
        page.set_viewport_size({"width": 844, "height": 390})      # the phone turned sideways, on its stand
        pump_until(lambda: step.ready and step.view.frames_shown >= 6, "the phone's frames")
        page.screenshot(path=str(OUT / "17-phone-page-live-zh.png"))
        wizard.grab().save(str(OUT / "18-selfcheck-phone.png"))
        wizard.stop_all()
        wizard.close()
        ctx.close()
        engine.close()
        # 2. the exam when the phone's feed stops: the header light and the message, at once
        live = make_sitting(server)
        engine = ExamService(client_config(server.url, str(tmp / "client2"), heartbeat_interval_s=0.5))
        engine.login(live.ticket, live.id_number, live.password)
        engine.select_sitting(live.sitting_id)
        engine.record_consent("v1", "同意")
        engine.record_check_report({"overall": "pass"})
        window = ExamDeskWindow(engine, engine.config)
        session = ProctoringSession(engine).attach()
        window.resize(1280, 800)
        window.show()
        window.start()
        window.current = engine.sittings()[0]
        window.on_paper(engine.start_exam())
        ctx = phone_context(browser, landscape=True)
        page = ctx.new_page()
        page.goto(engine.pair_phone().url)
        page.click("#start")
        pump_until(lambda: engine.phone_status().state == "live", "the phone live in the exam")
        page.close()
        pump_until(lambda: window.exam.header.phone.level == "bad" and window.banner.isVisible(), "the candidate told")
        window.grab().save(str(OUT / "19-exam-phone-stopped.png"))
        window.exam.stop()
        session.stop()
        window.close()
        ctx.close()
        engine.close()
    finally:
        browser.close()
        pw.stop()
        server.stop()
    for name in ("16-phone-page-zh.png", "17-phone-page-live-zh.png", "18-selfcheck-phone.png", "19-exam-phone-stopped.png"):
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
