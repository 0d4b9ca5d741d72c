"""ProctoringSession (no Qt): follows the engine's state, runs capture + monitor only in the exam, and
reports a camera that goes and comes back, with real capture of recorded video."""
from __future__ import annotations

import os
import time

from client.demo import make_demo_video
from client.exam import api
from client.monitor.camera_source import source_for
from client.monitor.capture import CameraCapture
from client.proctoring.session import ProctoringSession
from tests.helpers.exam_client import wait_for
from tests.helpers.fake_engine import FakeEngine


def recording_engine():
    engine = FakeEngine()
    events = []

    def report(type_, severity, detail, evidence_path=None):
        events.append((type_, detail.get("state")))
        return len(events)
    engine.report_event = report
    return engine, events


def session_for(engine, path, retry_s=0.05):
    def capture(on_status):
        return CameraCapture(lambda: source_for(path, pace=True, loop=False), fps=30.0, retry_s=retry_s,
                             on_status=on_status)
    return ProctoringSession(engine, capture)


def test_a_resumed_exam_starts_watching_at_once_and_stops_at_the_seal(tmp_path):
    engine, events = recording_engine()
    engine.set_state(api.IN_EXAM)                      # on disk from before a restart
    video = make_demo_video(str(tmp_path / "cam.mp4"), seconds=3.0)
    session = session_for(engine, video).attach()
    try:
        assert session.running
        wait_for(lambda: engine.device_status.get("camera") == "live", what="camera live")
        engine.seal("candidate")
        wait_for(lambda: not session.running, what="stopped at the seal")
        assert engine.device_status["camera"] == "off"
    finally:
        session.stop()


def test_a_camera_that_disappears_is_an_event_and_its_return_ends_it(tmp_path):
    engine, events = recording_engine()
    path = str(tmp_path / "cam.mp4")
    make_demo_video(path, seconds=0.5)                 # a short recording: the source ends, as an unplugged camera
    session = session_for(engine, path)
    engine.set_state(api.IN_EXAM)
    try:
        wait_for(lambda: ("camera.lost", "start") in events, what="camera lost")
        os.remove(path)                                # gone for a while ...
        time.sleep(0.3)
        make_demo_video(path, seconds=5.0)             # ... and back
        wait_for(lambda: ("camera.lost", "end") in events, what="camera back")
    finally:
        session.stop()
    assert events.count(("camera.lost", "start")) >= 1


def test_nothing_is_opened_or_reported_outside_the_exam(tmp_path):
    engine, events = recording_engine()
    opened = []

    def capture(on_status):
        opened.append(1)
        return CameraCapture(lambda: source_for(str(tmp_path / "none.mp4")), on_status=on_status)
    session = ProctoringSession(engine, capture).attach()
    for state in (api.LOGGED_IN, api.CHECKS_PASSED, api.WAITING):
        engine.set_state(state)
    assert not opened and not session.running and not events
