"""The exam page's monitor banner and the header's recording indicator, fed by a real ProctoringSession
(its notices arrive on a worker thread and are queued to the GUI thread): per the policy's action the
candidate is warned, told the proctor was notified, or told nothing; the banner goes when it ends."""
from __future__ import annotations

import threading

import pytest

from client.exam import api
from client.proctoring.api import LOG, NOTIFY_PROCTOR, WARN_CANDIDATE, Notice
from client.proctoring.session import ProctoringSession
from client.ui import language
from client.ui.camera_feed import ProctoringNotices
from client.ui.exam_page import ExamPage
from tests.helpers.fake_engine import FakeEngine


class Watcher:
    device = "lockdown"

    def __init__(self):
        self.reporter = None

    def start(self, reporter):
        self.reporter = reporter

    def stop(self):
        pass

    def status(self):
        return "on"


@pytest.fixture
def exam(qtbot):
    language.install("zh_CN")
    engine = FakeEngine()
    watcher = Watcher()
    session = ProctoringSession(engine, watchers=[watcher])
    page = ExamPage(engine)
    qtbot.addWidget(page)
    page.resize(1100, 750)
    page.show()
    notices = ProctoringNotices(session, page)
    notices.notice.connect(page.show_monitor_notice)
    notices.recording.connect(page.header.set_recording)
    engine.set_state(api.IN_EXAM)
    page.start(engine.start_exam(), api.CandidateInfo("T1", "张三", "中级"), "理论考试")
    yield page, session, watcher, engine
    page.stop()
    session.stop()
    notices.close()


def report_from_a_thread(watcher, *args):
    t = threading.Thread(target=watcher.reporter.report, args=args)
    t.start()
    t.join()


def test_warn_notify_and_log_as_the_policy_says(exam, qtbot):
    page, session, watcher, engine = exam
    qtbot.waitUntil(lambda: page.header.recording.property("recording") == "true", timeout=5000)
    assert page.header.recording.isVisible() and "监考录制中" in page.header.recording.text()
    banner = page.monitor_banner
    report_from_a_thread(watcher, "camera.face_absent", "warn", {"state": "start"}, WARN_CANDIDATE)
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    assert "看不到您的面部" in banner.text.text() and "监考老师" not in banner.text.text()
    assert banner.property("level") == "warn"
    report_from_a_thread(watcher, "camera.face_absent", "warn", {"state": "end"}, WARN_CANDIDATE)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=5000)
    report_from_a_thread(watcher, "audio.talking", "warn", {"state": "start"}, NOTIFY_PROCTOR)
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    assert "说话声" in banner.text.text() and "已通知监考老师" in banner.text.text()
    assert banner.property("level") == "alert"
    banner.dismiss()
    report_from_a_thread(watcher, "audio.loud_noise", "info", {"state": "start"}, LOG)
    qtbot.wait(300)
    assert not banner.isVisible()                     # log only: journaled, not shown
    assert [t for _, t, _, _ in engine.reported] == ["camera.face_absent", "camera.face_absent", "audio.talking",
                                                   "audio.loud_noise"]
    engine.seal("candidate")
    qtbot.waitUntil(lambda: page.header.recording.property("recording") == "false", timeout=5000)
    assert "已停止" in page.header.recording.text()


def test_english_and_an_unknown_event(qtbot):
    language.install("en")
    try:
        engine = FakeEngine()
        page = ExamPage(engine)
        qtbot.addWidget(page)
        page.show_monitor_notice(Notice("lockdown.focus_lost", "start", NOTIFY_PROCTOR, "warn"))
        assert "lockdown.focus_lost" in page.monitor_banner.text.text()
        assert "The proctor has been notified." in page.monitor_banner.text.text()
        page.header.set_recording(True)
        assert page.header.recording.text() == "● Monitoring on"
    finally:
        language.install("zh_CN")
