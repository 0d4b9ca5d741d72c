"""`python -m client.demo` (`./dev demo`): the demo server comes up with its data, the client opens at the
login screen with the demo accounts shown and the demo camera; the launcher resumes the previous demo,
supervises the client (a SIGKILL of the client is followed by the offer to restart it), stops everything
it started on SIGTERM, and removes its folder when asked. Everything here is real: processes, server,
client, journal."""
from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import cv2
import psutil
import pytest

from client import demo
from client.demo import display

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WAIT = 240.0   # a hang guard on a shared machine, not a speed requirement


def test_demo_credentials_come_from_the_server_demo_data():
    creds = demo.demo_credentials()
    assert {c[4] for c in creds} == {"初级", "中级", "高级"}
    hint = demo.credentials_hint(creds)
    assert all(c[0] in hint and c[1] in hint and c[2] in hint for c in creds)


@pytest.fixture(scope="module")
def demo_video(tmp_path_factory):
    return demo.make_demo_video(str(tmp_path_factory.mktemp("cam") / "cam.mp4"), seconds=2.0)


def test_the_demo_camera_is_a_1280x720_15fps_recording(demo_video):
    cap = cv2.VideoCapture(demo_video)
    size = (cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_HEIGHT), cap.get(cv2.CAP_PROP_FPS))
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    assert size == (1280, 720, 15) and len(frames) == 30
    assert all(cv2.absdiff(a, b).mean() > 0.05 for a, b in zip(frames, frames[1:]))   # a live picture


def test_the_demo_camera_passes_every_camera_check(demo_video):
    out = subprocess.run([sys.executable, "-m", "client", "check", "--camera", demo_video, "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=180,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=ROOT))
    report = json.loads(out.stdout)
    assert {c["id"]: c["status"] for c in report["checks"] if c["status"] != "pass"} == {}
    assert report["overall"] == "pass" and out.returncode == 0


def test_demo_runs_end_to_end(tmp_path, demo_video):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=ROOT, EXAMDESK_LOG_LEVEL="INFO")
    env.setdefault("EXAMDESK_SERVER_PYTHON", sys.executable)
    scratch = tmp_path / "demo"
    proc = subprocess.run([sys.executable, "-m", "client.demo", "--quit-after", "2", "--data-dir", str(scratch),
                           "--camera", demo_video], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "DEMO-M-001" in out                       # the credentials are printed
    assert "smoke test: screen loginPage" in out     # the client opened at the login screen
    assert re.search(r"the formal exams start at \d\d:\d\d \(in about (9|10) min\)", out), out
    assert (scratch / "server" / "server.log").exists()


def test_examdesk_help_documents_every_option():
    out = subprocess.run([sys.executable, "-m", "client", "--help"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, env=dict(os.environ, PYTHONPATH=ROOT)).stdout
    for option in ("--server-url", "--data-dir", "--language", "--demo", "--upload-bandwidth-bps", "--camera",
                   "--camera-label", "--windowed"):
        assert option in out


# -- the launcher: resume, supervision, clean stop --------------------------------------------------
class Launcher:
    """`python -m client.demo` as a child: its output read line by line, its prompt answered on stdin."""

    def __init__(self, home: Path, video: str, *extra: str) -> None:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=ROOT, EXAMDESK_LOG_LEVEL="INFO")
        env.setdefault("EXAMDESK_SERVER_PYTHON", sys.executable)
        self.proc = subprocess.Popen([sys.executable, "-m", "client.demo", "--data-dir", str(home), "--camera",
                                      video, *extra], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put("")

    def expect(self, pattern: str, timeout: float = WAIT) -> re.Match[str]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            self.seen.append(line)
            m = re.search(pattern, line)
            if m:
                return m
        raise AssertionError("no %r in the launcher's output:\n%s" % (pattern, "".join(self.seen[-60:])))

    def answer(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(60)


def running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def ours(home: Path) -> list:
    """Processes still running on this demo's folder (its server, its client)."""
    out = []
    for p in psutil.process_iter(["cmdline"]):
        try:
            if any(str(home) in part for part in (p.info["cmdline"] or [])) and running(p.pid):
                out.append(p.pid)
        except psutil.Error:
            pass
    return out


def note(home: Path) -> dict:
    return json.loads((home / "demo-state.json").read_text(encoding="utf-8"))


def answer_in_the_junior_mock(home: Path, port: int) -> str:
    """What a candidate does between two demo runs: logs in on this demo's client data and answers."""
    from client.config import ClientConfig
    from client.exam.service import ExamService

    server = demo.start_server(port, str(home / "server"))
    try:
        engine = ExamService(ClientConfig(server_url="http://127.0.0.1:%d" % port, data_dir=str(home / "client")))
        try:
            engine.login("DEMO-J-001", "110105200003140121", "demo1234")
            mock = next(s for s in engine.sittings() if s.kind == "mock")
            assert mock.level == "初级"                    # the junior candidate's own mock paper
            engine.select_sitting(mock.sitting_id)
            engine.record_consent("demo", "demo")
            paper = engine.start_exam()
            engine.answer(paper.questions[0].id, "B")
            deadline = time.monotonic() + 60
            while engine.sync_status().pending_ops and time.monotonic() < deadline:
                time.sleep(0.1)
            assert engine.sync_status().all_saved
            return mock.sitting_id
        finally:
            engine.close()
    finally:
        display.stop(server)


def server_holds_answer(home: Path, port: int, sitting_id: str) -> bool:
    import requests

    token = (home / "server" / "admin-token").read_text(encoding="utf-8").strip()
    body = requests.get("http://127.0.0.1:%d/api/v1/admin/sittings/%s/timeline" % (port, sitting_id),
                        headers={"Authorization": "Bearer " + token}, timeout=10).json()
    return any(e["type"] == "op" and e["kind"] == "answer" and e["payload"]["value"] == "B" for e in body["entries"])


def test_the_launcher_supervises_resumes_and_stops_cleanly(tmp_path, demo_video):
    home = tmp_path / "demo"
    first = Launcher(home, demo_video)
    try:
        client = int(first.expect(r"the exam client is running \(pid (\d+)\)").group(1))
        server = note(home)["processes"]["server"]["pid"]
        port = note(home)["port"]
        assert running(client) and running(server)
        os.kill(client, signal.SIGKILL)                                   # the client crashes
        first.expect(r"stopped unexpectedly \(signal SIGKILL\)")
        first.expect(r"Restart the exam client\? \[Y/n\]")
        assert running(server)                                            # the launcher and its server live on
        first.answer("")                                                  # Enter: yes
        again = int(first.expect(r"the exam client is running \(pid (\d+)\)").group(1))
        assert again != client and running(again) and note(home)["processes"]["client"]["pid"] == again
    finally:
        rc = first.stop()
    assert rc == 0
    assert not running(again) and not running(server)                    # everything it started is gone
    assert note(home)["processes"] == {} and (home / "server").is_dir()   # its data stays for the next run
    assert ours(home) == []

    sitting = answer_in_the_junior_mock(home, port)                       # an exam in progress on this demo

    second = Launcher(home, demo_video)
    try:
        second.expect(r"resuming the previous demo")
        second.expect(r"the exam client is running")
        assert note(home)["port"] == port                                 # the same server address
        log = home / "client" / "logs" / "client.log"
        end = time.monotonic() + WAIT
        while time.monotonic() < end and "resumed a sitting left on disk, in state in_exam" not in \
                (log.read_text(encoding="utf-8") if log.exists() else ""):
            time.sleep(0.5)
        assert "resumed a sitting left on disk, in state in_exam" in log.read_text(encoding="utf-8")
        assert server_holds_answer(home, port, sitting)                   # the same server data
        busy = Launcher(home, demo_video)                                 # a second launcher on the same folder
        assert busy.proc.wait(60) == 3
        busy.expect(r"this demo is already running")
    finally:
        assert second.stop() == 0
    assert ours(home) == []

    clean = subprocess.run([sys.executable, "-m", "client.demo", "--data-dir", str(home), "--clean"], cwd=ROOT,
                           capture_output=True, text=True, timeout=60, env=dict(os.environ, PYTHONPATH=ROOT))
    assert clean.returncode == 0 and not home.exists(), clean.stdout + clean.stderr


def test_a_killed_launcher_leaves_nothing_running_after_the_next_start(tmp_path, demo_video):
    home = tmp_path / "demo"
    first = Launcher(home, demo_video, "--restart", "never")
    client = int(first.expect(r"the exam client is running \(pid (\d+)\)").group(1))
    server = note(home)["processes"]["server"]["pid"]
    first.proc.kill()                                                     # the launcher itself is killed
    first.proc.wait(30)
    assert running(client) and running(server)                           # orphans, for now
    second = Launcher(home, demo_video, "--fresh", "--restart", "never")
    try:
        second.expect(r"stopping the (client|server)")
        second.expect(r"removed the demo data")
        second.expect(r"the exam client is running")
        assert not running(client) and not running(server)
    finally:
        assert second.stop() == 0
    assert ours(home) == []


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed (./dev installs it)")
def test_xvfb_gets_a_free_display_and_is_checked(tmp_path):
    log = open(str(tmp_path / "xvfb.log"), "ab")
    one, d1 = display.start_xvfb(log)
    two, d2 = display.start_xvfb(log)          # the first one's display is taken: the second picks another
    try:
        assert d1 != d2 and display.answers(d1) and display.answers(d2)
    finally:
        display.stop(one)
        display.stop(two)
    assert one.poll() is not None and two.poll() is not None and not display.answers(d1, timeout=2)
    with pytest.raises(display.DisplayError):
        display.start_xvfb(log, xvfb="false")   # an X server that exits at once is reported, not trusted
