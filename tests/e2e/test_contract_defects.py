"""Three defects the untyped engine contract hid, each seen by a new candidate, each now held by a test:
the self-check in the journey checks against the server's policy, the header is filled after a restart,
and heartbeats carry the camera's real state."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from client.exam import api
from client.monitor.system_check import processes_result
from client.ui.main_window import ExamDeskWindow
from tests.e2e.driver import (
    WAIT_MS,
    consent_and_check,
    log_in,
    make_engine,
    make_window,
    on_page,
    start_formal,
)
from tests.helpers.exam_client import started_service, wait_for
from tests.helpers.fake_engine import FakeEngine


@pytest.mark.skipif(not shutil.which("sleep"), reason="needs a program to run under another name")
def test_the_journeys_self_check_uses_the_servers_forbidden_programs(qtbot, tmp_path):
    probe = tmp_path / "examdesk-policy-probe"            # a program only the server's policy names
    shutil.copy(shutil.which("sleep"), probe)
    child = subprocess.Popen([str(probe), "60"])
    try:
        engine = FakeEngine()
        engine.server_policy = {"forbidden_processes": [probe.name]}   # what the server sends at login
        window = ExamDeskWindow(engine)
        qtbot.addWidget(window)
        window.show()
        window.login.loggedIn.emit(engine.login("T1", "ID", "pw"))
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.consent, timeout=WAIT_MS)
        window.consent.agree.setChecked(True)
        window.consent.submit()
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.selfcheck, timeout=WAIT_MS)
        assert probe.name in window.selfcheck.policy["forbidden_processes"]
        found = processes_result(window.selfcheck.policy)              # what its system step reports
        assert found.status != "pass" and probe.name in str(found.value)
    finally:
        child.kill()
        child.wait()


def test_after_a_restart_the_header_names_the_candidate_and_the_exam(qtbot, sitting, tmp_path):
    first = started_service(sitting, tmp_path)
    first.answer("q1", "B")
    wait_for(lambda: first.sync_status().pending_ops == 0, what="delivery")
    first.close()                                          # as after a crash: the next start resumes
    engine = make_engine(sitting.server, tmp_path)
    window = make_window(qtbot, engine)
    on_page(qtbot, window, window.exam)
    header = window.exam.header
    assert header.name.text() == "测试考生"
    assert sitting.ticket in header.details.text()
    assert window.paper is not None and window.paper.title in header.details.text()
    window.exam.stop()
    engine.close()


def test_heartbeats_carry_the_live_camera_and_monitor_state(qtbot, sitting, tmp_path):
    from client.app import build_proctoring
    from client.demo import make_demo_video

    video = make_demo_video(str(tmp_path / "camera.mp4"), seconds=2.0)
    engine = make_engine(sitting.server, tmp_path / "client")
    proctoring = build_proctoring(engine, video).attach()
    try:
        window = make_window(qtbot, engine)
        log_in(qtbot, window, sitting.ticket, sitting.id_number, sitting.password)
        consent_and_check(qtbot, window)
        start_formal(qtbot, window)

        def camera_states():
            timeline = sitting.server.admin_json("GET", "/admin/sittings/%s/timeline" % sitting.sitting_id)
            return [e["status"] for e in timeline["entries"] if e["type"] == "heartbeat"]
        qtbot.waitUntil(lambda: any(s.get("camera") == "live" and s.get("monitor") == "on"
                                    for s in camera_states()), timeout=WAIT_MS)
        assert engine.state() == api.IN_EXAM
        window.exam.stop()
    finally:
        proctoring.stop()
        engine.close()
    assert all(s.get("camera") != "unknown" for s in camera_states()[-1:])
