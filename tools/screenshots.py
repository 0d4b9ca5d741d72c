#!/usr/bin/env python3
"""Screenshots of every screen of the candidate's journey, for docs/screenshots/ (run by tools/screenshots.sh
under Xvfb with the CJK font). Real parts throughout: the reference server with its demo data on loopback, the
real ExamService, the real window; the camera is the demo camera recording and the microphone recorded
speech (espeak-ng), both through the product's own recorded-input paths."""
from __future__ import annotations

import os
import sys
import tempfile
import time
from typing import Any, Callable

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
OUT = os.path.join(ROOT, "docs", "screenshots")

from client.app import build_proctoring, build_window, make_app  # noqa: E402
from client.config import ClientConfig  # noqa: E402
from client.demo import DEMO_CAMERA_LABEL, credentials_hint, demo_credentials, display, make_demo_video  # noqa: E402
from client.exam.service import ExamService  # noqa: E402
from client.qt import QApplication, QLineEdit, QPlainTextEdit, QTimer  # noqa: E402
from client.ui import language  # noqa: E402
from client.ui.selfcheck_slot import SelfCheckPlaceholder  # noqa: E402
from tests.helpers.server import LiveServer  # noqa: E402


def pump(seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def wait_until(cond: Callable[[], Any], what: str, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QApplication.processEvents()
        if cond():
            return
        time.sleep(0.05)
    raise SystemExit("timed out waiting for: " + what)


def shot(window: Any, name: str) -> None:
    pump(0.6)
    path = os.path.join(OUT, name + ".png")
    window.grab().save(path)
    print("wrote", os.path.relpath(path, ROOT))


def shot_with_dialog(window: Any, dialog: Any, name: str) -> None:
    """A modal dialog is its own top-level window: compose it where it is over the window (whose grab
    already shows the dimmed backdrop)."""
    from client.qt import QPainter

    pump(0.6)
    canvas = window.grab()
    top = dialog.grab()
    painter = QPainter(canvas)
    at = dialog.geometry().topLeft() - window.geometry().topLeft()
    painter.drawPixmap(at.x(), at.y(), top)
    painter.end()
    path = os.path.join(OUT, name + ".png")
    canvas.save(path)
    print("wrote", os.path.relpath(path, ROOT))


def open_client(server: LiveServer, folder: str, video: str, lang: str = "zh_CN") -> Any:
    config = ClientConfig(server_url=server.url, data_dir=folder, language=lang, heartbeat_interval_s=1.0, camera=video,
                          backoff_initial_s=0.2, backoff_max_s=1.0)
    engine = ExamService(config)
    proctoring = build_proctoring(engine, video, folder).attach()   # as client/app.py builds it, windowed
    window = build_window(config, engine, credentials_hint(demo_credentials()), full_screen=False, camera=proctoring,
                          camera_label=DEMO_CAMERA_LABEL, proctoring=proctoring)
    window.resize(1280, 800)
    window.show()
    window.start()
    return engine, window


def log_in(window: Any, ticket: str, id_number: str, password: str) -> None:
    for name, text in (("ticketInput", ticket), ("idNumberInput", id_number), ("passwordInput", password)):
        field = window.login.findChild(QLineEdit, name)
        field.setText(text)
    window.login.submit()


def through_checks(window: Any, consent_shot: bool) -> None:
    wait_until(lambda: window.stack.currentWidget() is window.consent, "consent page")
    if consent_shot:
        shot(window, "03-consent")
    window.consent.agree.setChecked(True)
    window.consent.submit()
    if window.stack.currentWidget() is window.selfcheck:
        if consent_shot and not isinstance(window.selfcheck, SelfCheckPlaceholder):
            self_check_steps(window, window.selfcheck)
        elif isinstance(window.selfcheck, SelfCheckPlaceholder):
            window.selfcheck.continue_button.click()
        else:
            window.selfcheck.finished.emit({"status": "pass", "source": "screenshots"})
    wait_until(lambda: window.stack.currentWidget() is window.waiting, "waiting room")


def self_check_steps(window: Any, wizard: Any) -> None:
    """The wizard as a candidate goes through it: one shot per step, the microphone while reading."""
    from client.monitor.mic_check import ArrayInput
    from tests.helpers.audio import espeak_samples

    speech = espeak_samples(lead_silence_s=2.6)
    mic = wizard.mic_page
    mic.audio_factory = lambda: ArrayInput(speech, 16000, realtime=True, name="recorded speech")
    mic.audio_label = "演示麦克风（录音）"
    mic.devices.clear()
    wait_until(lambda: wizard.camera_page.ready and wizard.next_button.isEnabled(), "camera verdict", 90)
    pump(1.0)
    shot(window, "04-selfcheck-1-camera")
    wizard.next_button.click()
    phone = wizard.phone_page                       # the second camera: its code, waiting for a phone
    assert phone is not None
    wait_until(lambda: phone.panel.pairing is not None, "a pairing code", 60)
    pump(0.5)
    shot(window, "04-selfcheck-2-phone")
    wizard.secondary_button.click()                 # no phone in the demo: skipped (a warning)
    wizard.next_button.click()                      # Start: quiet first, then the sentence
    wait_until(lambda: mic.phase == "speech", "reading phase", 60)
    pump(1.1)                                       # the candidate is reading: the meter moves
    shot(window, "04-selfcheck-3-microphone")
    wait_until(lambda: "microphone" in wizard.results, "microphone verdict", 60)
    wizard.next_button.click()
    wait_until(lambda: "network" in wizard.results, "network verdict", 90)
    shot(window, "04-selfcheck-4-network")
    wizard.next_button.click()
    wait_until(lambda: "system" in wizard.results, "computer verdict", 90)
    shot(window, "04-selfcheck-5-computer")
    wizard.next_button.click()
    pump(0.5)
    shot(window, "04-selfcheck-6-summary")
    wizard.next_button.click()                      # continue to the waiting room


def preflight(window: Any, name: str) -> None:
    """The lockdown's preflight as Start shows it when something blocks the start (a second display, a
    remote-control program): its findings scripted, the dialog real."""
    from client.ui.lockdown_dialog import PreflightDialog
    from tests.helpers.fake_lockdown import FakeLockdown, blocked_by_program

    dialog = PreflightDialog(FakeLockdown(), blocked_by_program(), window)
    dialog.show()
    shot_with_dialog(window, dialog, name)
    dialog.close()
    pump(0.3)


def main() -> int:
    os.makedirs(OUT, exist_ok=True)
    xvfb = None
    if display.needs_display():      # no screen: our own Xvfb, on a display it picks (never a taken one)
        log = open(os.path.join(tempfile.gettempdir(), "examdesk-shots-xvfb.log"), "ab")
        xvfb, os.environ["DISPLAY"] = display.start_xvfb(log)
        print("Xvfb on", os.environ["DISPLAY"])
    try:
        return shots()
    finally:
        display.stop(xvfb)


def shots() -> int:
    app = make_app(["screenshots"])
    scratch = tempfile.mkdtemp(prefix="examdesk-shots-")
    video = make_demo_video(os.path.join(scratch, "camera.mp4"))
    server = LiveServer(os.path.join(scratch, "server"), demo=True, extra_args=["--demo-start-in", "900"]).start()
    try:
        creds = {c[0]: c for c in demo_credentials(limit=10)}
        # English login, then the Chinese journey of an intermediate (中级) candidate
        engine, window = open_client(server, os.path.join(scratch, "en"), video, "en")
        shot(window, "01-login-en")
        preflight(window, "preflight_en")
        window.close()
        engine.close()
        engine, window = open_client(server, os.path.join(scratch, "mid"), video)
        shot(window, "01-login")
        ticket, id_number, password, _name, _level = next(c for c in creds.values() if c[4] == "中级")
        log_in(window, ticket, id_number, "wrong-password")
        wait_until(lambda: window.login.error.isVisible(), "login error")
        shot(window, "02-login-error")
        window.login.error.hide()
        log_in(window, ticket, id_number, password)
        through_checks(window, consent_shot=True)
        shot(window, "05-waiting-room")
        server.set_clock_offset(901 * 1000)  # the test clock: the formal rooms open
        wait_until(lambda: window.waiting.start_button.isEnabled(), "start time", 90)
        shot(window, "05-waiting-room-started")   # the formal time runs: no mock, the time left
        preflight(window, "preflight_zh_CN")
        window.waiting.start_button.click()
        wait_until(lambda: window.stack.currentWidget() is window.exam, "exam window")
        exam = window.exam
        kinds = {}
        for i, q in enumerate(exam.paper.questions):
            kinds.setdefault(q.kind, i)
        exam.go(kinds["single"])
        exam.view.choose(1)
        shot(window, "06-exam-single")
        exam.go(kinds["multiple"])
        exam.view.choose(0)
        exam.view.choose(2)
        exam.toggle_flag()
        shot(window, "07-exam-multiple-flagged")
        if "fill_blank" in kinds:
            exam.go(kinds["fill_blank"])
            blank = exam.findChild(QLineEdit, "blank_1")
            blank.setFocus()
            blank.setText("85")
            blank.textEdited.emit(blank.text())
            exam.flush()
            shot(window, "08-exam-fill-blank")
        exam.go(kinds["essay"])
        essay = exam.findChild(QPlainTextEdit, "essayInput")
        essay.setFocus()
        essay.insertPlainText("一、倾听与确认：耐心倾听客户诉求，复述确认问题要点。\n二、致歉与安抚：真诚致歉，稳定客户情绪。\n"
                              "三、分析与解决：提出可行方案，与客户协商确认。")
        pump(1.2)
        shot(window, "09-exam-essay")
        server.command(engine.sitting_id, type="message", text="请保持面部在画面中央，谢谢配合。")
        wait_until(lambda: exam.proctor_banner.isVisible(), "proctor message", 30)
        shot(window, "10-exam-proctor-message")
        exam.proctor_banner.dismiss()
        exam.engine.remaining_override = None
        server.stop()
        wait_until(lambda: exam.header.sync.property("online") == "false", "offline badge", 60)
        exam.go(0)
        exam.view.choose(2)
        shot(window, "11-exam-offline")
        server.start()
        wait_until(lambda: exam.header.sync.property("saved") == "true", "back online, all delivered", 60)
        QTimer.singleShot(900, lambda: (shot_with_dialog(window, QApplication.activeModalWidget(),
                                                         "12-submit-confirm"),
                                        QApplication.activeModalWidget().accept()))
        exam.submit_button.click()
        wait_until(lambda: window.receipt is not None, "receipt", 60)
        shot(window, "13-receipt")
        window.receipt_page.documents_button.click()
        wait_until(lambda: window.documents.window is not None or "没有" in window.documents.what.text(),
                   "documents", 30)
        shot(window, "14-documents")
        window.close()
        engine.close()
        # the mock exam, marked on the device
        ticket, id_number, password, _name, _level = next(c for c in creds.values() if c[4] == "初级")
        engine, window = open_client(server, os.path.join(scratch, "junior"), video)
        log_in(window, ticket, id_number, password)
        through_checks(window, consent_shot=False)
        window.waiting.mock_button.click()
        wait_until(lambda: window.stack.currentWidget() is window.exam, "mock exam")
        for i in range(0, 6):
            window.exam.go(i)
            window.exam.view.choose(i % 3)
        window.seal_and_submit("candidate")
        wait_until(lambda: window.stack.currentWidget() is window.mock_result, "mock result")
        shot(window, "15-mock-result")
        window.close()
        engine.close()
    finally:
        server.stop()
    language.install("zh_CN")
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
