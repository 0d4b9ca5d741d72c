"""The Qt adapter the lockdown drives: kiosk flags, focus state from Qt, raising queued to the GUI thread."""
from __future__ import annotations

import threading

from client.qt import QApplication, Qt, QThread, QWidget
from client.ui.kiosk_window import QtKioskWindow, apply_kiosk_flags


def test_flags_focus_and_raise_from_another_thread(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    apply_kiosk_flags(w)
    flags = w.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint and flags & Qt.WindowType.WindowStaysOnTopHint
    w.show()
    kiosk = QtKioskWindow(w)
    assert kiosk.native_handle() == int(w.winId()) != 0
    w.activateWindow()
    # the focus moves to this window (not merely to some window: an earlier test's may still hold it)
    qtbot.waitUntil(lambda: QApplication.focusWindow() is w.windowHandle())
    assert kiosk.is_active()
    ran_on = []
    w.raise_ = lambda: ran_on.append(QThread.currentThread())   # what the queued slot calls
    t = threading.Thread(target=kiosk.bring_to_front)
    t.start()
    t.join()
    assert ran_on == []                      # not run on the lockdown's thread...
    qtbot.waitUntil(lambda: len(ran_on) == 1)
    assert ran_on[0] is QApplication.instance().thread()   # ...but on the GUI thread
