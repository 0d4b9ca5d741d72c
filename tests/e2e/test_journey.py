"""The candidate's whole journey through the real window, the real ExamService and the real server."""
from __future__ import annotations

import pytest

from tests.e2e import driver as d
from tests.helpers.fixtures import make_sitting


@pytest.fixture
def engine_and_window(qtbot, tmp_path):
    made = {}

    def make(server):
        made["engine"] = d.make_engine(server, d.data_dir(tmp_path))
        made["window"] = d.make_window(qtbot, made["engine"])
        return made["engine"], made["window"]
    yield make
    d.close(made.get("window"), made.get("engine"))


def test_formal_exam_from_login_to_receipt(qtbot, live_server, engine_and_window):
    s = make_sitting(live_server, kind="formal")
    engine, window = engine_and_window(live_server)
    d.log_in(qtbot, window, s.ticket, s.id_number, s.password)
    d.consent_and_check(qtbot, window)
    d.start_formal(qtbot, window)
    expected = d.answer_everything(qtbot, window)
    assert window.exam.counts() == {"unanswered": 0, "flagged": 1, "total": 5, "unanswered_numbers": [],
                                    "flagged_numbers": [3]}
    d.submit(qtbot, window)
    d.on_page(qtbot, window, window.receipt_page)
    qtbot.waitUntil(lambda: window.receipt is not None, timeout=d.WAIT_MS)
    qtbot.waitUntil(lambda: "close" in window.receipt_page.status.text().lower()
                    or "关闭" in window.receipt_page.status.text(), timeout=d.WAIT_MS)
    assert window.receipt.submission_id in window.receipt_page.details.text()
    assert d.server_answers(live_server, s.sitting_id) == expected
    assert d.server_flags(live_server, s.sitting_id) == {"q3": True}
    kinds = [e["kind"] for e in live_server.admin_json("GET", "/admin/sittings/%s/timeline" % s.sitting_id)
             ["entries"] if e["type"] == "op"]
    assert "consent" in kinds and "check_report" in kinds


@pytest.mark.expected_log(r"background call failed: ApiError\('auth\.")
def test_wrong_password_shows_a_clear_message_and_stays(qtbot, live_server, engine_and_window):
    s = make_sitting(live_server, kind="formal")
    engine, window = engine_and_window(live_server)
    d.log_in(qtbot, window, s.ticket, s.id_number, "wrong-password")
    error = d.child(window.login, "loginError")
    qtbot.waitUntil(lambda: error.isVisible(), timeout=d.WAIT_MS)
    assert window.stack.currentWidget() is window.login
    assert error.text().strip() != ""
