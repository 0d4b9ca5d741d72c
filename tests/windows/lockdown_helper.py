"""Child processes for the lockdown tests in Windows Python, each with a real Win32 window (Qt's windows
platform). Prints one JSON object per line on stdout; reads commands from stdin.

    exam DATA_DIR POLICY_JSON  the exam window under a LockdownSession (WindowsBackend): prints
                               {"ready": hwnd}, every event {"event": [...]}, every key the window gets
                               {"key": vk}; "stop" -> {"stopped": failures}; "quit" ends.
    window TITLE               a plain window; exits when closed (WM_CLOSE)
    overlay                    a top-most, click-through, translucent tool window (how helpers float)
    clipboard TEXT             puts TEXT on the clipboard and stays (the owner must live)
"""
from __future__ import annotations

import json
import os
import queue
import sys
import threading

os.environ["QT_QPA_PLATFORM"] = "windows"   # real HWNDs (the test process itself runs offscreen)

from client.qt import QApplication, QLabel, Qt, QTimer, QWidget  # noqa: E402

out_lock = threading.Lock()


def say(obj):
    with out_lock:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        sys.stdout.flush()


class KeyLog(QLabel):
    def keyPressEvent(self, event):  # noqa: N802 - Qt API
        say({"key": int(event.nativeVirtualKey())})
        super().keyPressEvent(event)


def commands():
    q = queue.Queue()

    def read():
        for line in sys.stdin:
            q.put(line.strip())
        q.put("quit")
    threading.Thread(target=read, daemon=True).start()
    return q


def main(argv):
    mode = argv[1]
    app = QApplication(["lockdown-helper"])
    QTimer.singleShot(180000, app.quit)   # never outlive a broken test
    cmds = commands()
    lock = None
    if mode == "exam":
        from client.lockdown.session import LockdownSession
        from client.ui.kiosk_window import QtKioskWindow

        w = KeyLog("ExamDesk exam window")
        w.setWindowTitle("ExamDesk exam")
        w.setFocusPolicy(Qt.StrongFocus)
        w.resize(800, 600)
        w.show()
        w.activateWindow()
        w.setFocus()
        app.processEvents()
        kiosk = QtKioskWindow(w)
        lock = LockdownSession(argv[2], json.loads(argv[3]), lambda t, s, d: say({"event": [t, s, d]}),
                               intervals={"programs": 0.5, "overlays": 0.5, "clipboard": 0.1, "focus": 0.1})
        lock.start(kiosk)
        say({"ready": kiosk.native_handle(), "pid": os.getpid()})
    else:
        w = QWidget()
        if mode == "overlay":
            w.setWindowFlags(Qt.Tool | Qt.WindowStaysOnTopHint | Qt.FramelessWindowHint | Qt.WindowTransparentForInput)
            w.setAttribute(Qt.WA_TranslucentBackground)
            w.setGeometry(50, 50, 500, 300)
        else:
            w.setWindowTitle(argv[2] if len(argv) > 2 else "helper")
            w.resize(400, 300)
        w.show()
        app.processEvents()
        if mode == "clipboard":
            QApplication.clipboard().setText(argv[2])
            app.processEvents()
        say({"ready": int(w.winId()), "pid": os.getpid()})

    def poll():
        try:
            cmd = cmds.get_nowait()
        except queue.Empty:
            return
        if cmd == "stop" and lock is not None:
            say({"stopped": lock.stop()})
        elif cmd == "quit":
            app.quit()
    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(20)
    app.exec_()
    if lock is not None and lock.active:
        lock.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
