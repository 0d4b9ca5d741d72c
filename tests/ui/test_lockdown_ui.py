"""The lockdown in the exam window: the preflight list with "close" before the start (polite first, forced
only after the candidate agrees), the exam window handed to the lockdown for formal exams only, the
candidate's notices, and the window handed back at the seal."""
from __future__ import annotations

import threading

import pytest

from client.lockdown.session import Preflight
from client.qt import QApplication, Qt
from client.ui import language
from client.ui.kiosk_window import QtKioskWindow
from client.ui.main_window import ExamDeskWindow
from tests.helpers.fake_engine import FakeEngine
from tests.helpers.fake_lockdown import FakeLockdown, blocked_by_program


@pytest.fixture(autouse=True)
def chinese():
    language.install("zh_CN")
    yield
    language.install("zh_CN")


def window_for(qtbot, engine, lockdown):
    window = ExamDeskWindow(engine, lockdown=lockdown)
    qtbot.addWidget(window)
    window.show()
    return window


def test_blocked_start_closes_programs_with_consent_then_locks_the_formal_exam(qtbot):
    engine = FakeEngine()
    lockdown = FakeLockdown([blocked_by_program(), Preflight()], closes=[{4321: "alive"}, {4321: "closed"}])
    window = window_for(qtbot, engine, lockdown)
    assert lockdown.notice is not None
    window.start_formal(engine.sitting)
    qtbot.waitUntil(lambda: window.preflight_dialog is not None and window.preflight_dialog.isVisible())
    dialog = window.preflight_dialog
    issues = [dialog.issues.item(i) for i in range(dialog.issues.count())]
    assert [i.data(Qt.ItemDataRole.UserRole) for i in issues] == ["system.displays", "lockdown.programs"]
    assert "拔下其他显示器" in issues[0].text()                     # the fix, in the candidate's language
    assert dialog.programs.count() == 1 and "ToDesk 远程控制" in dialog.programs.item(0).text()
    asked = []
    dialog.ask_force = lambda alive: asked.append([f.pid for f in alive]) or True   # the candidate agrees
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.preflight_dialog is None)
    assert asked == [[4321]]
    assert lockdown.close_calls == [([4321], False), ([4321], True)]   # polite first, force second
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.exam)
    assert isinstance(lockdown.windows[-1], QtKioskWindow) and window.kiosk is lockdown.windows[-1]

    # a notice from a lockdown thread reaches the banner on the GUI thread
    t = threading.Thread(target=lockdown.notice, args=("已拦截 Alt+Tab。", "Alt+Tab was blocked."))
    t.start()
    t.join()
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert window.banner.text.text() == "已拦截 Alt+Tab。"

    window.seal_and_submit("candidate")
    qtbot.waitUntil(lambda: lockdown.windows[-1] is None)
    assert window.kiosk is None


def test_refusing_to_force_leaves_the_start_blocked_and_back_returns_to_the_waiting_room(qtbot):
    engine = FakeEngine()
    lockdown = FakeLockdown([blocked_by_program()], closes=[{4321: "alive"}])
    window = window_for(qtbot, engine, lockdown)
    window.waiting.set_sittings(engine.sittings())
    window.waiting.set_ready(True)
    window.start_formal(engine.sitting)
    qtbot.waitUntil(lambda: window.preflight_dialog is not None)
    dialog = window.preflight_dialog
    dialog.ask_force = lambda alive: False
    dialog.close_programs()
    qtbot.waitUntil(lambda: dialog.recheck_button.isEnabled() and len(lockdown.close_calls) == 1)
    assert lockdown.close_calls == [([4321], False)] and dialog.isVisible()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.preflight_dialog is None)
    assert window.waiting.start_button.isEnabled() and lockdown.windows == []
    assert engine.state() != "in_exam"


def test_a_mock_exam_is_never_locked_down(qtbot):
    engine = FakeEngine(kind="mock")
    lockdown = FakeLockdown()
    window = window_for(qtbot, engine, lockdown)
    window.start_mock(engine.sitting)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.exam)
    QApplication.processEvents()
    assert lockdown.windows == []
    window.exam.stop()
