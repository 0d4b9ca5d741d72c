"""The second camera in the UI (fake engine, real widgets offscreen, frames from the real photos): the QR code
decodes to the pairing URL, the self-check step judges the phone's frames, the header light and the banner
tell the candidate at once, the light reopens pairing, the waiting room shows a code until a phone is live."""
from __future__ import annotations

import time

import cv2
import numpy as np
import pytest

from client.exam import api
from client.qt import QImage, Qt
from client.ui import language
from client.ui.main_window import ExamDeskWindow
from client.ui.phone.pairing import PhonePairingPanel
from client.ui.selfcheck.phone_page import PhonePage
from tests.helpers.fake_engine import FakeEngine
from tests.helpers.media import black
from tests.helpers.phone import jpeg, phone_view_frames

WAIT = 30000


def decode_qr(widget) -> str:
    """Read the QR code off the screen as a phone camera would (OpenCV's detector on the rendered widget)."""
    img = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    w, h = img.width(), img.height()
    ptr = img.constBits()
    arr = np.frombuffer(ptr, np.uint8, count=img.bytesPerLine() * h).reshape(h, img.bytesPerLine())[:, :w * 3]
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(cv2.cvtColor(arr.reshape(h, w, 3), cv2.COLOR_RGB2BGR))
    return text


T0 = int(time.time() * 1000)


def feed(engine: FakeEngine, frames, start_seq: int = 1) -> None:
    """Frames as the server relays them: one a second (server time), numbered from start_seq."""
    for i, f in enumerate(frames):
        seq = start_seq + i
        engine.phone_frames.append(api.PhoneFrame(seq, jpeg(f), T0 + seq * 1000, f.shape[1], f.shape[0]))


LIVE = api.PhoneStatus(state="live", frames=5, visibility="visible", battery_level=0.9, charging=True,
                       wake_lock="held", facing="environment", pairing_id="p-1")


def test_the_qr_code_decodes_to_the_pairing_url(qtbot):
    engine = FakeEngine()
    panel = PhonePairingPanel(engine)
    qtbot.addWidget(panel)
    panel.resize(320, 420)
    panel.show()
    panel.request()
    qtbot.waitUntil(lambda: panel.pairing is not None, timeout=WAIT)
    assert decode_qr(panel.qr) == engine.pairings[0].url
    assert "#t=" not in panel.url.text()                      # the token is in the code only, not in plain text
    panel.on_status(api.PhoneStatus(state="live", pairing_id="p-1"))
    assert panel.used and panel.qr.dimmed
    panel.request()
    qtbot.waitUntil(lambda: len(engine.pairings) == 2 and not panel.used, timeout=WAIT)
    assert decode_qr(panel.qr) == engine.pairings[1].url


def step_for(qtbot, engine) -> PhonePage:
    page = PhonePage(engine)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.start()
    return page


def verdicts(page) -> dict:
    return {r.id: r.status for r in page.live}


def test_the_step_passes_with_steady_live_frames_that_show_a_person(qtbot):
    engine = FakeEngine()
    engine.phone = LIVE
    feed(engine, phone_view_frames(12)[:1])
    page = step_for(qtbot, engine)
    try:
        qtbot.waitUntil(lambda: page.feed is not None and page.feed.check is not None
                        and page.feed.check.frames_seen >= 1, timeout=WAIT)
        for frame in phone_view_frames(12)[6:11]:   # one new frame at a time, as the real phone sends them
            feed(engine, [frame], start_seq=len(engine.phone_frames) + 1)
            n = len(engine.phone_frames)
            qtbot.waitUntil(lambda n=n: page.feed.seq == n, timeout=WAIT)
        qtbot.waitUntil(lambda: page.primary()[1], timeout=WAIT)   # the main action: next, once enough frames
        assert page.primary()[0] == page.tr("Next") and page.secondary()[0] == page.tr("Check again")
        v = verdicts(page)
        assert {k: v[k] for k in ("phone.link", "phone.frames", "phone.picture", "phone.frozen", "phone.person",
                                  "phone.orientation", "phone.camera")} == dict.fromkeys(
            ("phone.link", "phone.frames", "phone.picture", "phone.frozen", "phone.person", "phone.orientation",
             "phone.camera"), "pass")
        assert page.view.frames_shown >= 5 and page.view.verdict == "pass"
        assert page.verdict.status == "pass"                          # the step's large verdict, live
        assert page.on_primary()
        assert {r.id for r in page.results} >= {"phone.frames", "phone.person"} and page.feed is None
    finally:
        page.stop()


def test_a_black_or_frozen_phone_picture_fails(qtbot):
    engine = FakeEngine()
    engine.phone = LIVE
    still = phone_view_frames(1)[0]
    feed(engine, [black(640, 360)])
    page = step_for(qtbot, engine)
    try:
        qtbot.waitUntil(lambda: "phone.picture" in verdicts(page), timeout=WAIT)
        assert verdicts(page)["phone.picture"] == "fail"
        for _ in range(4):                                   # the same picture, again and again
            feed(engine, [still], start_seq=len(engine.phone_frames) + 1)
            n = len(engine.phone_frames)
            qtbot.waitUntil(lambda n=n: page.feed.seq == n, timeout=WAIT)
        qtbot.waitUntil(lambda: verdicts(page).get("phone.frozen") == "fail", timeout=WAIT)
        assert "刷新" in page.view.message or "Reload" in page.view.message or page.view.message
    finally:
        page.stop()


@pytest.mark.parametrize("required,status", [(False, "warn"), (True, "fail")])
def test_skipping_the_step_warns_or_fails_by_policy(qtbot, required, status):
    engine = FakeEngine()
    engine.server_policy = {"phone": {"required": required}}
    page = step_for(qtbot, engine)
    assert page.primary() == (page.tr("Waiting for the phone…"), False)   # no phone yet: only skipping goes on
    assert page.secondary() == (page.tr("Skip this step"), True)
    assert page.on_secondary()
    assert [(r.id, r.status) for r in page.results] == [("phone.not_run", status)]
    assert page.verdict.status == status and page.feed is None


def started_window(qtbot, engine, lang: str = "zh_CN") -> ExamDeskWindow:
    language.install(lang)
    window = ExamDeskWindow(engine)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login, timeout=WAIT)
    return window


def exam_window(qtbot, engine, lang: str = "zh_CN") -> ExamDeskWindow:
    window = started_window(qtbot, engine, lang)
    engine.set_state(api.IN_EXAM)
    window.on_paper(engine.start_exam())
    return window


def test_in_the_exam_the_light_and_the_banner_tell_the_candidate_at_once(qtbot):
    engine = FakeEngine()
    engine.phone = LIVE
    window = exam_window(qtbot, engine)
    light = window.exam.header.phone
    assert light.text() == "● 手机：正常" and light.level == "good"
    engine.set_phone(api.PhoneStatus(state="stopped", since_ms=1, pairing_id="p-1"))
    qtbot.waitUntil(lambda: light.level == "bad", timeout=WAIT)
    assert light.text() == "● 手机：画面中断"
    assert window.banner.isVisible() and "已停止发送画面" in window.banner.text.text()
    assert window.banner.property("level") == "alert"
    engine.set_phone(api.PhoneStatus(state="hidden", pairing_id="p-1"))
    qtbot.waitUntil(lambda: "不在前台" in window.banner.text.text(), timeout=WAIT)
    engine.set_phone(LIVE)
    qtbot.waitUntil(lambda: light.level == "good", timeout=WAIT)
    assert not window.banner.isVisible()                      # back to normal: the warning goes
    engine.set_phone(api.PhoneStatus(state="live", battery_low=True, battery_level=0.08, pairing_id="p-1"))
    qtbot.waitUntil(lambda: light.level == "warn", timeout=WAIT)
    assert "充电器" in window.banner.text.text() and window.banner.property("level") == "warn"
    # pressing the light opens the re-pair dialog with a fresh code, beside the paper
    qtbot.mouseClick(light, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.phone_dialog is not None and window.phone_dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: window.phone_dialog.panel.pairing is not None, timeout=WAIT)
    assert decode_qr(window.phone_dialog.panel.qr) == engine.pairings[-1].url
    assert not window.phone_dialog.isModal()
    window.phone_dialog.close()
    window.exam.stop()


def test_in_english_too(qtbot):
    engine = FakeEngine()
    try:
        window = exam_window(qtbot, engine, "en")
        engine.set_phone(api.PhoneStatus(state="stopped", pairing_id="p-1"))
        qtbot.waitUntil(lambda: "stopped sending pictures" in window.banner.text.text(), timeout=WAIT)
        assert window.exam.header.phone.text() == "● Phone: feed stopped"
        window.exam.stop()
    finally:
        language.install("zh_CN")


def test_the_waiting_room_shows_a_code_until_a_phone_is_live(qtbot):
    engine = FakeEngine()
    window = started_window(qtbot, engine)
    window.waiting.set_sittings([engine.sitting])
    window.show_page(window.waiting)
    card = window.waiting.phone_card
    qtbot.waitUntil(lambda: card.panel.pairing is not None, timeout=WAIT)
    assert card.panel.isVisible() and decode_qr(card.panel.qr) == engine.pairings[0].url
    engine.set_phone(LIVE)
    qtbot.waitUntil(lambda: not card.panel.isVisible(), timeout=WAIT)
    assert card.light.text() == "● 手机：正常"


def test_building_the_phone_widgets_never_flashes_a_window(qtbot):
    """A child shown before it has a parent becomes a window of its own for a moment (and steals the focus)."""
    from client.qt import QApplication, QEvent, QObject
    from client.ui.phone.waiting_card import PhoneWaitingCard

    shown = []

    class Spy(QObject):
        def eventFilter(self, obj, ev):  # noqa: N802 - Qt API
            if ev.type() == QEvent.Type.Show and getattr(obj, "isWindow", lambda: False)():
                shown.append(obj.objectName() or type(obj).__name__)
            return False

    spy = Spy()
    QApplication.instance().installEventFilter(spy)
    try:
        engine = FakeEngine()
        for make in (lambda: PhonePairingPanel(engine), lambda: PhonePairingPanel(engine, compact=True),
                     lambda: PhoneWaitingCard(engine), lambda: PhonePage(engine)):
            w = make()
            qtbot.addWidget(w)
    finally:
        QApplication.instance().removeEventFilter(spy)
    assert shown == []


def test_in_the_wizard_the_phone_step_follows_the_camera_and_speaks_plainly(qtbot, tmp_path):
    """The redesigned wizard with a sitting: the phone step after the camera, its one main action waiting for
    the phone (skipping is the plainer one), Enter reaches Next once the phone's picture is in, no check id
    on screen, and a skipped step is a warning on the summary."""
    from client.qt import QApplication
    from client.ui.selfcheck.wizard import SelfCheckWizard
    from tests.ui.test_selfcheck import INTERNAL_ID, visible_texts

    language.install("zh_CN")
    engine = FakeEngine()
    engine.phone = LIVE
    wizard = SelfCheckWizard(None, None, {"forbidden_processes": []}, phone=engine, camera=str(tmp_path / "none.mp4"),
                             display_count=lambda: 1, data_dir=tmp_path / "data", for_exam=True)
    qtbot.addWidget(wizard)
    wizard.resize(1180, 780)
    wizard.show()
    try:
        assert wizard.order()[:2] == ["camera", "phone"]
        wizard.go("phone")
        page = wizard.phone_page
        assert page is not None and page.feed is not None
        assert not wizard.next_button.isEnabled() and wizard.secondary_button.text() == "跳过这一步"
        qtbot.waitUntil(lambda: page.panel.pairing is not None, timeout=WAIT)
        wizard.back_button.setFocus()
        for frame in phone_view_frames(12)[:6]:          # the phone's pictures arrive, one a second
            feed(engine, [frame], start_seq=len(engine.phone_frames) + 1)
            n = len(engine.phone_frames)
            qtbot.waitUntil(lambda n=n: page.feed.seq == n, timeout=WAIT)
        qtbot.waitUntil(lambda: wizard.next_button.isEnabled(), timeout=WAIT)
        assert wizard.next_button.text() == "下一步" and QApplication.focusWidget() is wizard.next_button
        assert page.verdict.status in ("pass", "warn", "skip")
        assert not [t for t in visible_texts(wizard) if INTERNAL_ID.search(t)]
        wizard.secondary_button.click()                  # check again: waiting for the phone once more
        assert page.feed is not None and page.live == [] and not page.ready
        wizard.secondary_button.click()                  # skipped
        assert [(r.id, r.status) for r in wizard.results["phone"]] == [("phone.not_run", "warn")]
        assert wizard.current_area() == "microphone"
        wizard.go("summary")
        assert "需注意" in wizard.summary_page.area_status["phone"].text()
        assert not [t for t in visible_texts(wizard) if INTERNAL_ID.search(t)]
    finally:
        wizard.stop_all()
