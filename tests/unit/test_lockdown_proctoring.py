"""The lockdown inside the proctoring session: it starts when the exam runs and the exam window has been
handed in, stops at the seal, journals its events, tells the candidate what concerns them, and delivers
the report of an unclean exit once there is a sitting to journal it in."""
from __future__ import annotations

import pytest

from client.exam import api
from client.lockdown import events as ev
from client.lockdown.backends.null import NullBackend
from client.lockdown.session import LockdownSession, RecoveryReport
from client.proctoring.lockdown import ExamLockdown
from client.proctoring.session import ProctoringSession
from tests.helpers.exam_client import wait_for
from tests.helpers.fake_engine import FakeEngine


class Window:
    def native_handle(self):
        return 0x42

    def is_active(self):
        return True

    def bring_to_front(self):
        pass


class JournalEngine(FakeEngine):
    """A fake engine whose journal refuses events until a sitting is selected, as the real one does."""

    def __init__(self):
        super().__init__()
        self.events = []
        self.has_sitting = False

    def report_event(self, type_, severity, detail, evidence_path=None):
        if not self.has_sitting:
            raise api.EngineError("sitting.none", "尚未选择考试场次", "no sitting selected")
        self.events.append((type_, severity, detail))
        return super().report_event(type_, severity, detail, evidence_path)


def lockdown_for(engine, tmp_path, backend, recovery=None):
    return ExamLockdown(engine, lambda policy, sink: LockdownSession(
        str(tmp_path), policy, sink, backend=backend, intervals={"focus": 0.01, "keys": 0.01}), recovery)


def test_runs_while_the_exam_runs_with_its_window_and_stops_at_the_seal(tmp_path):
    engine, backend = JournalEngine(), NullBackend()
    engine.has_sitting = True
    engine.server_policy = {"forbidden_processes": []}
    lockdown = lockdown_for(engine, tmp_path, backend)
    notices = []
    lockdown.set_notice(lambda zh, en: notices.append((zh, en)))
    session = ProctoringSession(engine, lockdown=lockdown).attach()
    engine.set_state(api.IN_EXAM)
    assert not lockdown.active                              # no window yet (a mock exam never hands one in)
    lockdown.set_window(Window())
    assert lockdown.active and engine.device_status["lockdown"] == "on"
    assert backend.press(0x5B) is True                      # the Windows key
    wait_for(lambda: any(t == ev.KEY_BLOCKED for t, s, d in engine.events), what="key event journalled")
    wait_for(lambda: notices, what="the candidate told")
    assert "Windows" in notices[0][0] and "switch away" in notices[0][1]
    engine.seal("candidate")
    wait_for(lambda: not lockdown.active, what="stopped at the seal")
    assert engine.device_status["lockdown"] == "off"
    assert [t for t, s, d in engine.events][-1] == ev.STOPPED
    session.stop()


@pytest.mark.expected_log(r"waits for a sitting")
def test_unclean_exit_report_waits_for_a_sitting_and_is_shown_once(tmp_path):
    engine = JournalEngine()
    report = RecoveryReport({"pid": 99, "started_at_ms": 1, "backend": "windows"},
                            [{"operation": "accessibility_shortcuts", "outcome": "restored"}], [])
    lockdown = lockdown_for(engine, tmp_path, NullBackend(), report)
    notices = []
    lockdown.set_notice(lambda zh, en: notices.append(en))
    lockdown.set_notice(lambda zh, en: notices.append(en))
    assert len(notices) == 1 and "did not exit normally" in notices[0]
    lockdown.follow(api.LOGGED_IN)                            # no sitting yet: kept
    assert engine.events == []
    engine.has_sitting = True
    lockdown.follow(api.WAITING)
    assert [(t, s) for t, s, d in engine.events] == [(ev.UNCLEAN_EXIT, ev.WARN)]
    lockdown.follow(api.WAITING)
    assert len(engine.events) == 1


@pytest.mark.expected_log(r"lockdown could not start")
def test_a_lockdown_that_cannot_start_lets_the_exam_go_on_and_says_so(tmp_path):
    engine = JournalEngine()
    engine.has_sitting = True

    def broken(policy, sink):
        raise OSError("hook refused")
    lockdown = ExamLockdown(engine, broken)
    engine.set_state(api.IN_EXAM)
    lockdown.set_window(Window())
    assert not lockdown.active and engine.device_status["lockdown"] == "failed"
    assert engine.events[-1][0] == ev.OPERATION_FAILED and engine.events[-1][1] == ev.ALERT
