"""Promise 1 through the UI: whatever the window showed as saved survives a SIGKILL of the client, comes back
on restart and reaches the server."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from tests.e2e import driver as d
from tests.helpers.fixtures import make_sitting

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_answers_shown_as_saved_survive_a_kill(qtbot, live_server, tmp_path):
    s = make_sitting(live_server, kind="formal")
    folder = d.data_dir(tmp_path)
    child = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "e2e", "kill_child.py"), live_server.url,
                              folder, s.ticket, s.id_number, s.password], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    saved = []
    try:
        for line in child.stdout:
            if line.startswith("SAVED"):
                saved.append(line.split()[1])
                if saved == ["q1"]:
                    live_server.stop()           # the next answers are saved while offline
            if len(saved) == 3:
                break
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
    assert saved == ["q1", "q2", "q3"], child.stderr.read()[-3000:]
    live_server.start()
    engine = d.make_engine(live_server, folder)
    window = d.make_window(qtbot, engine)
    try:
        d.on_page(qtbot, window, window.exam)
        assert {k: window.exam.answers[k] for k in ("q1", "q2", "q3")} == {"q1": "C", "q2": ["A"], "q3": False}
        qtbot.waitUntil(lambda: {k: v for k, v in d.server_answers(live_server, s.sitting_id).items()
                                 if k != "q5"} == {"q1": "C", "q2": ["A"], "q3": False}, timeout=d.WAIT_MS)
    finally:
        d.close(window, engine)
