"""The sync badge through the real window, engine and server: an answer given while the server is frozen
(SIGSTOP: the connection is open, nothing answers) is never shown as "all saved"; the badge counts that
answer, not the navigation records around it; once the server answers, every op is acknowledged and only
then does the badge say so."""
from __future__ import annotations

import signal

from client.exam import api
from client.qt import Qt
from tests.e2e import driver as d
from tests.helpers.fixtures import make_sitting


class Statuses(api.EngineListener, list):
    def on_sync(self, status: api.SyncStatus) -> None:
        self.append(status)


def test_an_answer_during_a_frozen_server_is_never_called_saved_to_the_server(qtbot, live_server, tmp_path):
    s = make_sitting(live_server, kind="formal")
    engine = d.make_engine(live_server, d.data_dir(tmp_path))
    window = d.make_window(qtbot, engine)
    badge = window.exam.header.sync
    seen = Statuses()
    engine.add_listener(seen)
    try:
        d.log_in(qtbot, window, s.ticket, s.id_number, s.password)
        d.consent_and_check(qtbot, window)
        d.start_formal(qtbot, window)
        exam = window.exam
        qtbot.waitUntil(lambda: badge.property("saved") == "true" and badge.property("online") == "true",
                        timeout=d.WAIT_MS)
        assert badge.text() == "在线 · 已全部保存到服务器"
        live_server.proc.send_signal(signal.SIGSTOP)
        try:
            d.click(qtbot, exam, "option_B")                     # q1, saved on this PC at once
            qtbot.waitUntil(lambda: "✓" in exam.saved.text(), timeout=d.WAIT_MS)
            texts = []
            for _ in range(20):                                 # a second of the frozen server, sampled
                qtbot.wait(50)
                texts.append(badge.text())
            assert all("已全部保存" not in t for t in texts), texts
            assert "1 条答案" in badge.text() and badge.property("saved") == "false"
            d.click(qtbot, exam, "nextButton")                  # navigation records pile up: still 1 answer
            qtbot.wait(600)
            d.click(qtbot, exam, "navCell_3")
            qtbot.wait(600)
            qtbot.keyClick(exam, Qt.Key_F)                      # and a flag
            assert "1 条答案" in badge.text(), badge.text()
            assert engine.sync_status().pending_ops > engine.sync_status().pending_answers == 1
        finally:
            live_server.proc.send_signal(signal.SIGCONT)
        qtbot.waitUntil(lambda: badge.property("saved") == "true", timeout=d.WAIT_MS)
        assert badge.text() == "在线 · 已全部保存到服务器" and engine.sync_status().pending_ops == 0
        assert d.server_answers(live_server, s.sitting_id) == {"q1": "B"}
        # the count came from the engine the moment the answer was saved, not from the stuck request
        assert any(st.pending_answers == 1 and st.online for st in seen)
    finally:
        d.close(window, engine)
