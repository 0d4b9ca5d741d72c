"""The self-check wizard driven like a candidate would, offscreen: a recorded video as the camera,
recorded speech as the microphone (same code paths as the devices), the real server for the network."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from client.monitor.camera_source import source_for
from client.monitor.mic_check import ArrayInput
from client.qt import QAbstractButton, QComboBox, QLabel, QListWidget, QPushButton, Qt, QWidget
from client.ui.selfcheck import SelfCheckWizard
from tests.helpers import media
from tests.helpers.audio import espeak_samples
from tests.helpers.server import LiveServer

WAIT = 60000  # a hang guard for a shared, noisy machine, not a speed requirement


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = LiveServer(tmp_path_factory.mktemp("wizard-server")).start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def good_video(tmp_path_factory):
    path = tmp_path_factory.mktemp("video") / "candidate.mp4"
    return media.live_video(str(path), media.good_frame(), n=30, fps=15)


@pytest.fixture(scope="module")
def speech():
    return espeak_samples(lead_silence_s=1.2)


def make(qtbot, tmp_path, camera, speech, server_url="", policy=None, factory=None):
    w = SelfCheckWizard(None, None, policy or {"forbidden_processes": []}, camera=camera,
                        source_factory=factory, audio_factory=lambda: ArrayInput(speech, 16000),
                        server_url=server_url, display_count=lambda: 1, data_dir=tmp_path / "data",
                        mic_floor_s=0.8, mic_speech_s=5.0, camera_window=8)
    qtbot.addWidget(w)
    w.resize(1000, 760)
    return w


def ids(widget):
    return {widget.item(i).data(256) for i in range(widget.count())}


INTERNAL_ID = re.compile(r"\b(camera|phone|microphone|network|system|summary)\.[a-z_]+\b")


def visible_texts(root):
    """Every text a candidate can read on the wizard: labels, buttons, list rows, choices, tooltips."""
    out = []
    for w in [root] + root.findChildren(QWidget):
        if isinstance(w, QLabel):
            out.append(w.text())
        elif isinstance(w, QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QListWidget):
            out += [w.item(i).text() for i in range(w.count())]
        elif isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        out += [w.toolTip(), w.accessibleName()]
    return [t for t in out if t]


def press_next(qtbot, w):
    qtbot.waitUntil(lambda: w.next_button.isEnabled(), timeout=WAIT)
    qtbot.mouseClick(w.next_button, Qt.LeftButton)


def test_whole_wizard_with_recorded_camera_and_microphone(qtbot, tmp_path, good_video, speech, server):
    w = make(qtbot, tmp_path, good_video, speech, server.url)
    w.show()
    cam = w.camera_page
    assert not w.next_button.isEnabled()          # one main action, once the verdict stands
    qtbot.waitUntil(lambda: cam.ready and w.next_button.isEnabled(), timeout=WAIT)
    assert cam.preview.frames_shown > 0 and cam.preview.image is not None
    live = {r.id: r.status for r in cam.live}
    assert live["camera.face_count"] == "pass" and live["camera.frozen"] == "pass"
    assert cam.preview.message == ""  # nothing to fix: nothing written over the picture
    assert "camera.backlight" in ids(cam.list)
    assert cam.devices.currentText() == "录制的视频（candidate.mp4）"     # the camera's name, never a path
    qtbot.mouseClick(w.next_button, Qt.LeftButton)
    assert w.current_area() == "microphone" and cam.worker is None  # camera released when leaving the page

    mic = w.mic_page
    assert w.next_button.text() == "开始检测" and mic.sentence.isVisible()   # the sentence shows before the start
    assert mic.sentence.text().startswith("我已阅读考试须知")
    qtbot.mouseClick(w.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "microphone" in w.results, timeout=WAIT)
    assert {r.id: r.status for r in w.results["microphone"]}["microphone.speech"] == "pass"
    assert mic.meter.floor is not None and mic.meter.target > mic.meter.floor   # noise floor and target marked
    press_next(qtbot, w)

    assert w.current_area() == "network"
    qtbot.waitUntil(lambda: "network" in w.results, timeout=WAIT)
    net = {r.id: r.status for r in w.results["network"]}
    assert net["network.server"] == "pass" and net["network.upload"] == "pass"
    press_next(qtbot, w)

    qtbot.waitUntil(lambda: "system" in w.results, timeout=WAIT)
    assert {r.id: r.status for r in w.results["system"]}["system.displays"] == "pass"
    press_next(qtbot, w)

    assert w.current_area() == "summary"
    s = w.summary_page
    assert s.details.list.count() == len(w.all_results()) > 20
    assert s.overall.headline.text().startswith("您可以参加考试") or s.overall.status == "fail"
    assert "不包含任何照片、视频或声音" in s.centre_text.text() or "no picture" in s.centre_text.text()
    assert [t for t in visible_texts(w) if INTERNAL_ID.search(t)] == []
    with qtbot.waitSignal(w.finished, timeout=WAIT) as sig:
        qtbot.mouseClick(w.next_button, Qt.LeftButton)
    report = sig.args[0]
    checks = {c["id"]: c for c in report["checks"]}
    assert {"camera.face_count", "microphone.speech", "network.upload", "system.processes"} <= set(checks)
    saved = Path(report["saved_to"])
    assert saved.parent == tmp_path / "data" / "check-reports"
    assert json.loads(saved.read_text(encoding="utf-8"))["checks"] == report["checks"]


def test_the_demo_camera_passes_cleanly(qtbot, tmp_path, speech):
    """A good setup, the demo's own camera: every camera check passes, none warns, none is left unmeasured."""
    from client.demo import DEMO_CAMERA_LABEL, make_demo_video

    video = make_demo_video(str(tmp_path / "demo.mp4"), seconds=3.0)
    w = make(qtbot, tmp_path, video, speech)
    w.camera_page.label = DEMO_CAMERA_LABEL
    w.camera_page._fill_devices()
    w.show()
    qtbot.waitUntil(lambda: w.camera_page.ready, timeout=WAIT)
    qtbot.mouseClick(w.next_button, Qt.LeftButton)
    results = {r.id: r for r in w.results["camera"]}
    assert {k: (r.status, r.value) for k, r in results.items() if r.status != "pass"} == {}
    assert results["camera.resolution"].value == {"width": 1280, "height": 720}
    assert results["camera.frame_rate"].value == 15.0
    assert results["camera.device"].value == "演示摄像头"         # by its label, in the UI's language
    page = w.camera_page
    assert page.verdict.status == "pass" and page.verdict.headline.text() == "摄像头正常"


def test_every_problem_shows_its_fix_in_plain_words(qtbot, tmp_path, speech):
    photo = media.write_image(str(tmp_path / "backlit.jpg"), media.backlit(media.good_frame()))
    w = make(qtbot, tmp_path, photo, speech, server_url="http://127.0.0.1:9")
    w.show()
    qtbot.waitUntil(lambda: w.camera_page.ready, timeout=WAIT)
    qtbot.mouseClick(w.next_button, Qt.LeftButton)
    page = w.camera_page
    problems = [r for r in w.results["camera"] if r.status in ("warn", "fail")]
    assert any(r.id == "camera.backlight" for r in problems) and page.verdict.status in ("warn", "fail")
    shown = page.issues.rows[:page.issues.LIMIT]
    assert shown and all("怎么做" in row.text() for row in shown if row.property("check"))
    for r in problems:          # and every one of them, with its fix, in the details
        assert any(r.fix_zh in page.list.item(i).text() for i in range(page.list.count())), r.id
    skipped = [r.id for r in w.results["camera"] if r.status == "skip"]
    assert sorted(skipped) == ["camera.frame_rate", "camera.frozen"]   # a photo: not measured, never "pass"
    assert any("未测量帧率" in page.list.item(i).text() for i in range(page.list.count()))
    w.go("network")
    qtbot.waitUntil(lambda: "network" in w.results, timeout=WAIT)
    net = w.network_page
    assert net.verdict.status == "fail" and "怎么做" in net.issues.rows[0].text()
    w.go("summary")
    s = w.summary_page
    assert s.overall.status == "fail" and s.overall.headline.text().startswith("暂不符合考试要求")
    assert set(s.rerun) >= {"camera", "network"} and "microphone" in s.issue_lists   # never run: to fix too
    fixes = " ".join(row.text() for lst in s.issue_lists.values() for row in lst.rows)
    assert "怎么做" in fixes and "请返回完成这项检测" in fixes
    assert [t for t in visible_texts(w) if INTERNAL_ID.search(t)] == []


def test_missing_camera_then_rerun_only_the_camera(qtbot, tmp_path, good_video, speech):
    calls = []

    def factory(spec):  # first the camera is unplugged, then the candidate plugs it in
        calls.append(spec)
        return source_for(str(tmp_path / "unplugged.mp4")) if len(calls) == 1 else source_for(good_video, pace=True,
                                                                                             loop=True)

    w = make(qtbot, tmp_path, "camera-under-test", speech, server_url="http://127.0.0.1:9", factory=factory)
    w.show()
    qtbot.waitUntil(lambda: "camera" in w.results, timeout=WAIT)
    first = {r.id: r for r in w.results["camera"]}
    assert first["camera.device"].status == "fail" and w.current_area() == "camera"  # stays to show why
    assert w.camera_page.verdict.status == "fail"
    press_next(qtbot, w)                                              # on to the microphone
    assert w.secondary_button.text() == "跳过这一步"
    qtbot.mouseClick(w.secondary_button, Qt.LeftButton)               # skipped: recorded as not run
    for area in ("network", "system"):
        qtbot.waitUntil(lambda a=area: a in w.results, timeout=WAIT)
        press_next(qtbot, w)
    assert w.current_area() == "summary"
    assert {r.id for r in w.results["microphone"]} == {"microphone.not_run"}
    s = w.summary_page
    qtbot.waitUntil(lambda: s.rerun["camera"].isVisibleTo(s) and s.rerun["network"].isVisibleTo(s), timeout=WAIT)
    rows = [s.details.list.item(i) for i in range(s.details.list.count())]
    assert "camera.device" in [r.data(256) for r in rows]
    network_before = list(w.results["network"])

    qtbot.mouseClick(s.rerun["camera"], Qt.LeftButton)
    assert w.current_area() == "camera"
    qtbot.waitUntil(lambda: w.camera_page.ready, timeout=WAIT)
    qtbot.mouseClick(w.next_button, Qt.LeftButton)
    assert w.current_area() == "summary"  # a rerun goes back to the summary
    assert {r.id: r.status for r in w.results["camera"]}["camera.device"] == "pass"
    assert w.results["network"] == network_before  # the other areas were not run again
    assert "camera" not in w.summary_page.rerun or any(r.status in ("warn", "fail") for r in w.results["camera"])


def test_hiding_the_wizard_releases_the_camera(qtbot, tmp_path, good_video, speech):
    w = make(qtbot, tmp_path, good_video, speech)
    w.show()
    qtbot.waitUntil(lambda: w.camera_page.preview.frames_shown > 0, timeout=WAIT)
    assert w.camera_page.worker is not None
    w.hide()
    assert w.camera_page.worker is None


def test_forbidden_program_closed_only_on_click(qtbot, tmp_path, good_video, speech):
    sleep = shutil.which("sleep")
    if sleep is None or sys.platform == "win32":
        pytest.skip("needs a POSIX `sleep` binary")
    exe = tmp_path / "FakeObs64"
    shutil.copy(sleep, str(exe))
    proc = subprocess.Popen([str(exe), "120"])
    try:
        w = make(qtbot, tmp_path, good_video, speech, policy={"forbidden_processes": ["FakeObs64.exe"]})
        w.show()
        w.go("system")
        qtbot.waitUntil(lambda: "system" in w.results, timeout=WAIT)
        page = w.system_page
        assert page.close_programs.isVisibleTo(page) and "FakeObs64" in page.close_programs.text()
        assert proc.poll() is None  # found, not closed
        before = w.results["system"]
        qtbot.mouseClick(page.close_programs, Qt.LeftButton)
        qtbot.waitUntil(lambda: w.results["system"] is not before and proc.poll() is not None, timeout=WAIT)
        qtbot.waitUntil(lambda: {r.id: r.status for r in w.results["system"]}["system.processes"] == "pass",
                        timeout=WAIT)
        assert not page.close_programs.isVisibleTo(page)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_every_button_has_a_selfcheck_name(qtbot, tmp_path, good_video, speech):
    w = make(qtbot, tmp_path, good_video, speech)
    w.go("summary")
    names = [b.objectName() for b in w.findChildren(QPushButton)]
    assert names and all(n.startswith("selfcheck_") for n in names), names


class UnpluggedAfter:
    """A camera that delivers `n` real frames and then nothing (the cable pulled): no real event exists here."""

    def __init__(self, video, n):
        self.inner = source_for(video, pace=True, loop=True)
        self.n = n
        self.info = None

    def open(self):
        info = self.inner.open()
        info.kind, info.name = "device", "USB camera"
        self.info = info
        return info

    def read(self):
        self.n -= 1
        return self.inner.read() if self.n >= 0 else None

    def close(self):
        self.inner.close()


def test_camera_unplugged_during_the_check_is_reported(qtbot, tmp_path, good_video, speech):
    w = make(qtbot, tmp_path, good_video, speech, factory=lambda spec: UnpluggedAfter(good_video, 12))
    w.show()
    qtbot.waitUntil(lambda: "camera" in w.results, timeout=WAIT)
    r = {x.id: x for x in w.results["camera"]}
    assert r["camera.picture"].status == "fail" and "stopped" in r["camera.picture"].message_en
    assert w.camera_page.worker is None and w.current_area() == "camera"


def test_finishing_early_never_reports_pass_by_omission(qtbot, tmp_path, good_video, speech):
    w = make(qtbot, tmp_path, good_video, speech)
    w.go("summary")
    with qtbot.waitSignal(w.finished, timeout=WAIT) as sig:
        qtbot.mouseClick(w.next_button, Qt.LeftButton)
    report = sig.args[0]
    assert report["overall"] == "fail"
    assert {c["id"] for c in report["checks"]} == {"camera.not_run", "microphone.not_run", "network.not_run",
                                                    "system.not_run"}


def test_standalone_window_finishes_and_closes(qtbot, tmp_path, good_video, capsys):
    from client.ui.selfcheck.standalone import build_standalone

    window, wizard, outcome = build_standalone(camera=good_video, server_url="", policy={},
                                               data_dir=tmp_path / "data")
    qtbot.addWidget(window)
    window.show()
    assert window.objectName() == "selfcheck_window" and window.centralWidget() is wizard
    wizard.go("summary")
    assert wizard.next_button.text() == "完成"
    wizard.next_button.click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    assert outcome["overall"] == "fail"  # nothing was checked: a failing report, saved
    assert "self-check report" in capsys.readouterr().out
    assert list((tmp_path / "data" / "check-reports").glob("check-*.json"))


def test_a_photo_as_the_camera_is_not_measured_for_motion(qtbot, tmp_path, speech):
    photo = media.write_image(str(tmp_path / "photo.jpg"), media.good_frame())
    w = make(qtbot, tmp_path, photo, speech)
    w.show()
    qtbot.waitUntil(lambda: w.camera_page.ready, timeout=WAIT)
    live = {r.id: r.status for r in w.camera_page.live}
    assert live["camera.face_count"] == "pass"
    assert live["camera.frozen"] == "skip" and live["camera.frame_rate"] == "skip"   # a photo cannot show these
    assert w.camera_page.preview.frames_shown > 1
    assert w.camera_page.verdict.status == "skip" and "未能测量" in w.camera_page.verdict.headline.text()
    assert w.camera_page.preview.message == ""        # nothing to fix on a photo that is framed right


def test_a_frozen_device_picture_is_flagged_with_its_fix_on_the_preview(qtbot, tmp_path, speech):
    frozen = media.write_image(str(tmp_path / "still.jpg"), media.good_frame())

    class FrozenDevice(UnpluggedAfter):     # a camera (virtual, or a hung driver) repeating one frame
        def __init__(self):
            super().__init__(frozen, 10 ** 6)

    w = make(qtbot, tmp_path, "camera-under-test", speech, factory=lambda spec: FrozenDevice())
    w.show()
    qtbot.waitUntil(lambda: w.camera_page.ready, timeout=WAIT)
    live = {r.id: r.status for r in w.camera_page.live}
    assert live["camera.frozen"] == "fail"
    assert w.camera_page.preview.message == w.camera_page.hint() != ""  # the fix is written on the preview


@pytest.mark.expected_log(r"ignoring a policy that is not a mapping")
def test_camera_from_the_environment_and_a_bad_policy_is_ignored(qtbot, tmp_path, good_video, speech, monkeypatch):
    monkeypatch.setenv("EXAMDESK_CAMERA", good_video)
    w = SelfCheckWizard(None, None, ["not", "a", "policy"], audio_factory=lambda: ArrayInput(speech, 16000),
                        server_url="", data_dir=tmp_path)
    qtbot.addWidget(w)
    assert w.camera_page.devices.currentData() == good_video
    assert w.policy["multiple_displays"] == "fail"  # the defaults


class BrokenDriver(UnpluggedAfter):
    """A driver that raises while reading (a real failure mode of some USB cameras)."""

    def read(self):
        self.n -= 1
        if self.n < 0:
            raise OSError("device I/O error")
        return self.inner.read()


@pytest.mark.expected_log(r"camera reading failed")
def test_a_camera_driver_error_ends_the_check_visibly(qtbot, tmp_path, good_video, speech):
    w = make(qtbot, tmp_path, good_video, speech, factory=lambda spec: BrokenDriver(good_video, 5))
    w.show()
    qtbot.waitUntil(lambda: "camera" in w.results, timeout=WAIT)
    r = {x.id: x for x in w.results["camera"]}
    assert r["camera.picture"].status == "fail" and "device I/O error" in r["camera.picture"].message_en


def test_keyboard_focus_lands_on_the_next_action(qtbot, tmp_path, good_video, speech):
    from client.qt import QApplication

    w = make(qtbot, tmp_path, good_video, speech)
    w.show()
    w.activateWindow()
    w.go("microphone")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.next_button, timeout=WAIT)
    assert w.next_button.text() == "开始检测"        # Enter starts the microphone check
    w.go("summary")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.next_button, timeout=WAIT)
    with qtbot.waitSignal(w.finished, timeout=WAIT):
        qtbot.keyClick(w.next_button, Qt.Key_Space)
