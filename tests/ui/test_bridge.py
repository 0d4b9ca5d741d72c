"""The adapter between engine threads and the GUI thread."""
from __future__ import annotations

import threading

import pytest

from client.exam import api
from client.qt import QLabel
from client.ui.bridge import EngineBridge, run_in_background
from tests.helpers.fake_engine import FakeEngine


def test_engine_callbacks_arrive_on_the_gui_thread(qtbot):
    engine = FakeEngine()
    bridge = EngineBridge(engine)
    seen = []
    bridge.syncChanged.connect(lambda s: seen.append((threading.current_thread(), s.online)))
    bridge.commandReceived.connect(lambda c: seen.append((threading.current_thread(), c.text)))
    engine.emit("on_sync", api.SyncStatus(False, "refused", 2, 0, 5))     # from a worker thread
    engine.emit("on_command", api.ProctorCommand("c1", "message", text="你好"))
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert all(t is threading.main_thread() for t, _ in seen)
    assert [v for _, v in seen] == [False, "你好"]


@pytest.mark.expected_log(r"background call failed: ZeroDivisionError")
def test_background_results_come_back_on_the_gui_thread_and_failures_too(qtbot):
    got = []
    run_in_background(lambda: 42, lambda v: got.append(("done", v, threading.current_thread())))
    run_in_background(lambda: 1 / 0, None, lambda e: got.append(("failed", type(e).__name__,
                                                                  threading.current_thread())))
    qtbot.waitUntil(lambda: len(got) == 2)
    assert sorted(g[:2] for g in got) == [("done", 42), ("failed", "ZeroDivisionError")]
    assert all(g[2] is threading.main_thread() for g in got)


def test_a_result_for_a_screen_that_went_away_is_dropped(qtbot, caplog):
    label = QLabel()
    gate = threading.Event()
    delivered = []

    def show(value):
        delivered.append(value)
        label.setText(value)          # the label is gone: PySide raises RuntimeError here
        delivered.append("shown")
    call = run_in_background(lambda: gate.wait(5) and "late", show)
    label.deleteLater()
    qtbot.waitUntil(lambda: not _alive(label))
    with caplog.at_level("DEBUG", logger="client.ui.bridge"):
        gate.set()
        qtbot.waitUntil(lambda: delivered == ["late"])                # the callback ran ...
        qtbot.waitUntil(lambda: "result for a closed screen dropped" in caplog.text)   # ... and was dropped
    assert call not in type(call)._running


def test_other_errors_in_a_callback_are_not_swallowed(qtbot):
    call = run_in_background(lambda: "x", lambda v: (_ for _ in ()).throw(RuntimeError("a real bug")))
    with qtbot.captureExceptions() as raised:
        qtbot.waitUntil(lambda: call not in type(call)._running)
        qtbot.waitUntil(lambda: len(raised) == 1)
    assert "a real bug" in str(raised[0][1])


def _alive(widget) -> bool:
    try:
        widget.objectName()
        return True
    except RuntimeError:
        return False


def test_a_call_ended_by_the_closing_journal_is_no_warning(qtbot, caplog):
    failed = []

    def closing():
        raise api.EngineError("journal.closed", "考试客户端正在关闭。", "the exam client is closing")
    with caplog.at_level("INFO", logger="client.ui.bridge"):
        run_in_background(closing, None, failed.append)
        qtbot.waitUntil(lambda: len(failed) == 1)          # the screen still hears of it
    records = [r for r in caplog.records if "background call failed" in r.getMessage()]
    assert [r.levelname for r in records] == ["INFO"]
