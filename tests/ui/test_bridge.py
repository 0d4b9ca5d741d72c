"""The adapter between engine threads and the GUI thread."""
from __future__ import annotations

import threading

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


def test_background_results_come_back_on_the_gui_thread_and_failures_too(qtbot):
    got = []
    run_in_background(lambda: 42, lambda v: got.append(("done", v, threading.current_thread())))
    run_in_background(lambda: 1 / 0, None, lambda e: got.append(("failed", type(e).__name__,
                                                                  threading.current_thread())))
    qtbot.waitUntil(lambda: len(got) == 2)
    assert sorted(g[:2] for g in got) == [("done", 42), ("failed", "ZeroDivisionError")]
    assert all(g[2] is threading.main_thread() for g in got)


def test_a_result_for_a_screen_that_went_away_is_dropped(qtbot):
    label = QLabel()
    gate = threading.Event()
    call = run_in_background(lambda: gate.wait(5) and "late", lambda v: label.setText(v))
    label.deleteLater()
    qtbot.waitUntil(lambda: not _alive(label))
    gate.set()
    qtbot.waitUntil(lambda: call not in type(call)._running)   # delivered without raising


def _alive(widget) -> bool:
    try:
        widget.objectName()
        return True
    except RuntimeError:
        return False
