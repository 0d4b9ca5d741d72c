"""ProctoringSession (no Qt) with real capture of recorded video paced like a camera: it follows the
engine's state, runs the pipeline only in the exam, files sealed snippets under their events, takes
snapshots, reports a camera that goes and comes back, runs the watchers handed in, and records
nothing before the start or after the seal."""
from __future__ import annotations

import os
import time
from pathlib import Path

import cv2

from client.demo import make_demo_video
from client.exam import api
from client.monitor.camera_source import source_for
from client.monitor.capture import CameraCapture
from client.proctoring.api import NOTIFY_PROCTOR, EventReporter, Notice, ProctoringListener
from client.proctoring.session import ProctoringSession
from examcore.evidence import EvidenceError, open_package
from tests.helpers import media, scenes
from tests.helpers.exam_client import wait_for
from tests.helpers.fake_engine import FakeEngine

QUICK = {"capture": {"retry_s": 0.1},
         "devices": {"rules": {"camera.lost": {"hold_s": 0.5, "clear_s": 0.3}}},
         "camera": {"rules": {"camera.face_absent": {"hold_s": 1.0, "clear_s": 0.5}}},
         "evidence": {"pre_s": 2.0, "post_s": 2.0, "snapshot_interval_s": 3.0}}


def engine_with(policy=None):
    engine = FakeEngine()
    engine.server_policy = {"monitor": policy or QUICK}
    return engine


def session_for(engine, path, loop=False, **kw):
    def capture(on_status):
        return CameraCapture(lambda: source_for(path, pace=True, loop=loop), on_status=on_status)
    return ProctoringSession(engine, capture, **kw)


def types(engine):
    return [(t, d.get("state")) for _, t, _, d in engine.reported]


class Notices(ProctoringListener):
    def __init__(self):
        self.notices, self.recording = [], []

    def on_notice(self, notice: Notice) -> None:
        self.notices.append(notice)

    def on_recording(self, recording: bool) -> None:
        self.recording.append(recording)


def test_a_resumed_exam_starts_watching_at_once_and_stops_at_the_seal(tmp_path):
    engine = engine_with()
    engine.set_state(api.IN_EXAM)                      # on disk from before a restart
    video = make_demo_video(str(tmp_path / "cam.mp4"), seconds=3.0)
    session = session_for(engine, video, loop=True)
    heard = Notices()
    session.add_listener(heard)
    session.attach()
    try:
        assert session.running and session.recording
        wait_for(lambda: engine.device_status.get("camera") == "live", what="camera live")
        assert engine.device_status["monitor"] == "on"
        wait_for(lambda: session.monitor is not None and session.monitor.analysed >= 3, what="analysis")
        engine.seal("candidate")
        wait_for(lambda: not session.running, what="stopped at the seal")
        assert engine.device_status["camera"] == "off" and engine.device_status["monitor"] == "off"
        assert heard.recording == [True, False]
    finally:
        session.stop()


def test_snippets_are_sealed_and_filed_under_their_event(tmp_path):
    sc = scenes.candidate_scenes()
    tl = media.scenario_video(str(tmp_path / "cam.avi"), [("good", 3), ("empty", 4), ("good", 3)], sc, fps=15.0)
    engine = engine_with()
    session = session_for(engine, str(tmp_path / "cam.avi"), evidence_dir=str(tmp_path / "evidence"))
    heard = Notices()
    session.add_listener(heard)
    engine.set_state(api.IN_EXAM)
    try:
        wait_for(lambda: ("camera.face_absent", "end") in types(engine), timeout=120, what="absence ended")
        wait_for(lambda: any(p == "evidence" for _, p, _ in engine.evidence), timeout=60, what="snippet")
    finally:
        engine.seal("candidate")
        session.stop()
    start = [(seq, d) for seq, t, _, d in engine.reported if t == "camera.face_absent" and d["state"] == "start"][0]
    assert start[1]["action"] == "warn_candidate" and start[1]["at_ms"] > 0
    snippets = [(p, seq) for p, purpose, seq in engine.evidence if purpose == "evidence"]
    assert [seq for _, seq in snippets] == [start[0]]                     # filed under its event
    data = Path(snippets[0][0]).read_bytes()
    assert b"ftyp" not in data                                             # nothing readable on disk
    try:
        open_package(data, FakeEngine().sealing_private)
        raise AssertionError("opened with another key")
    except EvidenceError:
        pass
    header, meta, members = open_package(data, engine.sealing_private)
    assert header["sitting_id"] == engine.sitting_id and header["event_type"] == "camera.face_absent"
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(members["video.mp4"])
    cap = cv2.VideoCapture(str(clip))
    n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    assert abs(n / cap.get(cv2.CAP_PROP_FPS) - 4.0) <= 0.4 and meta["event_at_s"] == 2.0
    snapshots = [p for p, purpose, _ in engine.evidence if purpose == "snapshot"]
    assert 2 <= len(snapshots) <= 1 + int(tl[-1][2] / 3.0) + 1              # at the start, then every 3 s
    notice = [n for n in heard.notices if n.type == "camera.face_absent"]
    assert [n.state for n in notice] == ["start", "end"] and notice[0].action == "warn_candidate"
    leftovers = [f for f in os.listdir(tmp_path / "evidence") if not f.endswith(".evd") and f != ".work"]
    assert leftovers == [] and os.listdir(tmp_path / "evidence" / ".work") == []


def test_a_camera_that_disappears_is_an_event_and_its_return_ends_it(tmp_path):
    engine = engine_with()
    path = str(tmp_path / "cam.mp4")
    make_demo_video(path, seconds=0.5)                 # a short recording: the source ends, as an unplugged camera
    session = session_for(engine, path)
    engine.set_state(api.IN_EXAM)
    try:
        wait_for(lambda: ("camera.lost", "start") in types(engine), what="camera lost")
        assert engine.device_status["camera"] == "lost"
        os.remove(path)                                # gone for a while ...
        time.sleep(0.3)
        make_demo_video(path, seconds=5.0)             # ... and back
        wait_for(lambda: ("camera.lost", "end") in types(engine), what="camera back")
        wait_for(lambda: engine.device_status["camera"] == "live", what="live again")
    finally:
        session.stop()
    lost = [d for _, t, sev, d in engine.reported if t == "camera.lost" and d["state"] == "start"][0]
    assert lost["reason"] in ("ended", "file.missing") and lost["action"] == NOTIFY_PROCTOR


def test_a_camera_held_by_another_program_is_taken_and_an_unplugged_one_lost():
    # a device number with no camera behind it: the real cv2 device open fails; whether the system still
    # lists the device tells a camera another program holds from one that was unplugged
    for listed, kind, reason in ((True, "camera.taken", "camera.busy"), (False, "camera.lost", "camera.missing")):
        engine = engine_with()

        def capture(on_status, listed=listed):
            return CameraCapture(lambda: source_for("9"), on_status=on_status, present=lambda: listed)
        session = ProctoringSession(engine, capture)
        engine.set_state(api.IN_EXAM)
        try:
            wait_for(lambda kind=kind, engine=engine: (kind, "start") in types(engine), what=kind)
            assert engine.device_status["camera"] == kind.split(".")[1]
        finally:
            session.stop()
        detail = [d for _, t, _, d in engine.reported if t == kind][0]
        assert detail["reason"] == reason and detail["action"] == NOTIFY_PROCTOR
        assert [t for _, t, _, _ in engine.reported] == [kind, kind]       # start, and end at the seal


def test_nothing_is_opened_or_reported_outside_the_exam(tmp_path):
    engine = engine_with()
    opened = []

    def capture(on_status):
        opened.append(1)
        return CameraCapture(lambda: source_for(str(tmp_path / "none.mp4")), on_status=on_status)
    session = ProctoringSession(engine, capture, evidence_dir=str(tmp_path / "ev")).attach()
    for state in (api.LOGGED_IN, api.CHECKS_PASSED, api.WAITING):
        engine.set_state(state)
    assert not opened and not session.running and not engine.reported and not engine.evidence


def test_nothing_is_recorded_after_the_seal(tmp_path):
    video = make_demo_video(str(tmp_path / "cam.mp4"), seconds=2.0)
    engine = engine_with({"evidence": {"snapshot_interval_s": 1.0}})
    session = session_for(engine, video, loop=True, evidence_dir=str(tmp_path / "ev"))
    engine.set_state(api.IN_EXAM)
    wait_for(lambda: len(engine.evidence) >= 2, what="snapshots")
    engine.seal("candidate")
    wait_for(lambda: not session.running, what="stopped")
    sealed_at = time.time()
    files, attached = sorted(os.listdir(tmp_path / "ev")), list(engine.evidence)
    time.sleep(2.5)                                     # a snapshot would be due twice over
    assert sorted(os.listdir(tmp_path / "ev")) == files and engine.evidence == attached
    assert all(os.path.getmtime(tmp_path / "ev" / f) <= sealed_at for f in files)


class FocusWatcher:
    """A watcher like the lockdown's: reports through the session, with a snippet around the moment."""
    device = "lockdown"

    def __init__(self):
        self.reporter = None
        self.stopped = False

    def start(self, reporter: EventReporter) -> None:
        self.reporter = reporter

    def stop(self) -> None:
        self.stopped = True

    def status(self) -> str:
        return "on"


def test_watchers_start_with_the_exam_and_report_through_the_session(tmp_path):
    video = make_demo_video(str(tmp_path / "cam.mp4"), seconds=2.0)
    engine = engine_with({"evidence": {"pre_s": 1.0, "post_s": 1.0, "snapshot_interval_s": 0.0}})
    watcher = FocusWatcher()
    session = session_for(engine, video, loop=True, evidence_dir=str(tmp_path / "ev"), watchers=[watcher])
    heard = Notices()
    session.add_listener(heard)
    engine.set_state(api.IN_EXAM)
    try:
        wait_for(lambda: engine.device_status.get("lockdown") == "on", what="watcher status in the heartbeat")
        time.sleep(1.2)
        assert watcher.reporter is not None
        seq = watcher.reporter.report("lockdown.focus_lost", "warn", {"window": "notepad"}, NOTIFY_PROCTOR,
                                      evidence=True)
        wait_for(lambda: any(s == seq for _, _, s in engine.evidence), what="the watcher's snippet")
    finally:
        engine.seal("candidate")
        session.stop()
    assert watcher.stopped
    assert ("lockdown.focus_lost", "start") in types(engine)
    assert [n.type for n in heard.notices] == ["lockdown.focus_lost"]
