"""`./dev demo` (`python -m client.demo`): the reference server with demo data on 127.0.0.1 and the exam
client, each its own process, watched by this launcher.

- The demo lives in one folder (default `.demo/` in the checkout): server data, client data, the demo
  camera. Started again, it resumes there (the same exam, the same answers); `--fresh` starts over,
  `--clean` removes the folder, `--discard` removes it when the demo stops.
- The client is a child process. If it dies (a crash, a kill), the launcher says so and offers to
  start it again; the client then resumes the exam where the journal left it.
- Ctrl+C or SIGTERM stops everything this launcher started (client, server, Xvfb). A launcher that was
  killed itself leaves a note of its children; the next start stops those leftovers first.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from client.demo import display
from client.demo.note import Note, say, stop_leftovers

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_HOME = ROOT / ".demo"
CANDIDATES_CSV = ROOT / "server" / "demo_data" / "candidates.csv"
DEMO_JSON = ROOT / "server" / "demo_data" / "demo.json"
DEMO_CAMERA_LABEL = "演示摄像头 / demo camera"
CRASH_LOOP = (3, 15.0)   # this many crashes, each this soon after its start: stop offering restarts


class Stop(Exception):
    """SIGTERM, SIGINT or SIGHUP: stop everything we started."""


def _on_signal(signum: int, _frame: Any) -> None:
    raise Stop(signal.Signals(signum).name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_free(port: int) -> bool:
    """As the server binds it (SO_REUSEADDR): a port left in TIME_WAIT by the last run is free."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def server_python() -> str:
    # the server needs Python >= 3.10; from the 3.8 lane use the main venv's interpreter
    return os.environ.get("EXAMDESK_SERVER_PYTHON") or sys.executable


def child_env(**extra: str) -> Dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


def start_server(port: int, data_dir: str, start_in_s: int = 600, timeout: float = 90.0) -> subprocess.Popen:
    import requests

    os.makedirs(data_dir, exist_ok=True)
    log = open(os.path.join(data_dir, "server.log"), "ab")
    proc = subprocess.Popen([server_python(), "-m", "server", "demo", "--port", str(port), "--data-dir", data_dir,
                             "--demo-start-in", str(int(start_in_s))], cwd=str(ROOT), stdout=log,
                            stderr=subprocess.STDOUT, env=child_env(), start_new_session=True)
    url = "http://127.0.0.1:%d/api/v1/healthz" % port
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the demo server exited (%s); see %s" % (proc.returncode, log.name))
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.2)
    display.stop(proc)
    raise RuntimeError("the demo server did not answer within %.0f s; see %s" % (timeout, log.name))


def formal_start_ms(port: int, data_dir: str) -> Optional[int]:
    """The earliest formal demo exam's start, from the server itself (a resumed demo keeps used rooms' times)."""
    import requests

    try:
        token = Path(data_dir, "admin-token").read_text(encoding="utf-8").strip()
        rooms = [r["room_id"] for r in json.loads(DEMO_JSON.read_text(encoding="utf-8"))["rooms"] if r["kind"] == "formal"]
        starts = []
        api = "http://127.0.0.1:%d/api/v1/admin" % port
        headers = {"Authorization": "Bearer " + token}
        for room in rooms:
            rows = requests.get("%s/rooms/%s/results" % (api, room), headers=headers, timeout=5).json()["results"]
            if rows:
                body = requests.get("%s/sittings/%s/timeline" % (api, rows[0]["sitting_id"]), headers=headers,
                                    timeout=5).json()
                starts.append(int(body["sitting"]["start_at_ms"]))
        return min(starts) if starts else None
    except (OSError, ValueError, KeyError, requests.RequestException):
        return None


def demo_credentials(limit: int = 3) -> List[Tuple[str, str, str, str, str]]:
    try:
        with open(CANDIDATES_CSV, encoding="utf-8") as f:
            rows = [(r["ticket"], r["id_number"], r["password"], r["name"], r["level"]) for r in csv.DictReader(f)]
    except (OSError, KeyError):
        return []
    # one per level first: the junior, intermediate and senior journeys differ
    picked, seen = [], set()
    for r in rows:
        if r[4] not in seen:
            picked.append(r)
            seen.add(r[4])
    return picked[:limit]


def credentials_hint(creds: List[Tuple[str, str, str, str, str]]) -> str:
    if not creds:
        return ""
    lines = ["演示账号 / demo accounts:"]
    for ticket, id_number, password, name, level in creds:
        lines.append("%s %s：准考证号 %s  身份证号 %s  密码 %s" % (level, name, ticket, id_number, password))
    return "\n".join(lines)


def console_hint(port: int) -> str:
    """The proctor's side, next to the candidate's: the console in a browser, as server/console/demo.py seeds it."""
    return ("监考台 / proctor console: http://127.0.0.1:%d/console/  用户名 / user demo-proctor  密码 / password demo1234"
            % port)


def has_camera() -> bool:
    """A camera that really opens (a /dev/video node alone may be a dead or busy device)."""
    if sys.platform.startswith("linux") and not list(Path("/dev").glob("video*")):
        return False
    try:
        import cv2

        cap = cv2.VideoCapture(0)
        try:
            return bool(cap.isOpened()) and cap.read()[0]
        finally:
            cap.release()
    except Exception:  # noqa: BLE001 - no camera, then
        return False


# -- the launcher ----------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="./dev demo", description=(
        "ExamDesk demo: reference server with demo data + the exam client. Started again, it resumes the "
        "previous demo (same exam, same answers)."))
    p.add_argument("--fresh", action="store_true", help="start over: remove the previous demo's data first")
    p.add_argument("--clean", action="store_true", help="remove the demo's data and exit")
    p.add_argument("--discard", action="store_true", help="remove the demo's data when the demo stops")
    p.add_argument("--data-dir", default="", help="the demo's folder (default: .demo/ in the checkout)")
    p.add_argument("--port", type=int, default=0, help="server port on 127.0.0.1 (default: the previous one, or free)")
    p.add_argument("--formal-start-in", type=float, default=10.0, metavar="MINUTES",
                   help="minutes until the formal demo exams start (default 10; a resumed exam keeps its time)")
    p.add_argument("--language", choices=["zh_CN", "en"], default="zh_CN")
    p.add_argument("--camera", default=None, help="camera device or video file (default: a camera if there is "
                                                  "one, else the demo camera recording)")
    p.add_argument("--restart", choices=["ask", "always", "never"], default="ask",
                   help="after a client crash: ask (default), restart at once, or stop the demo")
    p.add_argument("--quit-after", type=float, default=0.0, help=argparse.SUPPRESS)  # smoke test
    return p


class Launcher:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.home = Path(args.data_dir or DEFAULT_HOME).resolve()
        self.note: Optional[Note] = None
        self.server: Optional[subprocess.Popen] = None
        self.xvfb: Optional[subprocess.Popen] = None
        self.client: Optional[subprocess.Popen] = None
        self.env = child_env()

    def run(self) -> int:
        args = self.args
        if self.home.exists():
            note = Note(self.home)
            other = note.alive("launcher")
            if other is not None and other != os.getpid():
                say("这个演示已在运行（进程 %d）。请在它的终端按 Ctrl+C 停止，或 `kill %d` / this demo is already "
                    "running (pid %d): stop it with Ctrl+C in its terminal, or `kill %d`" % (other, other, other, other))
                return 3
            stop_leftovers(note)
        if args.clean or args.fresh:
            if self.home.exists():
                shutil.rmtree(str(self.home))
                say("已删除演示数据 / removed the demo data: %s" % self.home)
            if args.clean:
                return 0
        resumed = (self.home / "server").is_dir()
        self.home.mkdir(parents=True, exist_ok=True)
        self.note = Note(self.home)
        self.note.record("launcher", None, pid=os.getpid())
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, _on_signal)
        try:
            return self._run(resumed)
        except Stop as s:
            say("收到 %s：正在停止演示 / %s: stopping the demo" % (s, s))
            return 0
        except (RuntimeError, display.DisplayError) as e:
            say("演示无法启动 / the demo could not start: %s" % e)
            return 1
        finally:
            self.stop_all()

    def _run(self, resumed: bool) -> int:
        args = self.args
        assert self.note is not None
        if resumed:
            say("继续上次的演示（同一场考试、同样的答案）/ resuming the previous demo (same exam, same answers): "
                "%s — `./dev demo --fresh` starts over" % self.home)
        self._display()
        port = args.port or int(self.note.data.get("port") or 0)
        if not port or not port_free(port):
            if port:
                say("端口 %d 已被占用，改用新端口 / port %d is taken: using another one" % (port, port))
            port = free_port()
        self.note.data["port"] = port
        self.note.save()
        start_in = int(args.formal_start_in * 60)
        say("启动演示服务器 / starting the demo server on 127.0.0.1:%d (data: %s)" % (port, self.home))
        self.server = start_server(port, str(self.home / "server"), start_in)
        self.note.record("server", self.server)
        hint = credentials_hint(demo_credentials())
        for line in hint.splitlines():
            say(line)
        say(console_hint(port))
        start = formal_start_ms(port, str(self.home / "server"))
        if start is not None:
            minutes = (start / 1000.0 - time.time()) / 60.0
            say("正式考试 %s 开考（%s）/ the formal exams start at %s (%s); mock exams are open now" % (
                time.strftime("%H:%M", time.localtime(start / 1000.0)),
                "约 %.0f 分钟后" % minutes if minutes > 0 else "已开始",
                time.strftime("%H:%M", time.localtime(start / 1000.0)),
                "in about %.0f min" % minutes if minutes > 0 else "already running"))
        camera, label = self._camera()
        client_args = [sys.executable, "-m", "client", "--server-url", "http://127.0.0.1:%d" % port,
                       "--data-dir", str(self.home / "client"), "--language", args.language, "--demo",
                       "--windowed", "--camera", camera, "--camera-label", label, "--demo-hint", hint]
        if args.quit_after:
            client_args += ["--quit-after", str(args.quit_after)]
        return self.supervise(client_args)

    def _display(self) -> None:
        if not display.needs_display():
            return
        if not shutil.which("Xvfb"):
            say("没有显示器，也没有 Xvfb：改用 offscreen 运行 / no display and no Xvfb: running offscreen "
                "(install xvfb, or run on a desktop to see the window)")
            self.env["QT_QPA_PLATFORM"] = "offscreen"
            return
        log = open(str(self.home / "xvfb.log"), "ab")
        self.xvfb, where = display.start_xvfb(log)
        assert self.note is not None
        self.note.record("xvfb", self.xvfb)
        self.env["DISPLAY"] = where
        say("没有显示器：已在 %s 启动 Xvfb 并确认可用 / no screen: Xvfb is up on %s. To look at it: "
            "`DISPLAY=%s import -window root shot.png` (ImageMagick), or `x11vnc -display %s`"
            % (where, where, where, where))

    def _camera(self) -> Tuple[str, str]:
        if self.args.camera:
            return self.args.camera, ""
        if self.args.camera is None and has_camera():
            return "0", ""
        from client.demo.video import VIDEO_NAME, make_demo_video

        path = self.home / VIDEO_NAME
        if not path.exists():
            say("没有摄像头：正在生成演示摄像头视频 / no camera: making the demo camera recording (1280x720, 15 fps)")
            make_demo_video(str(path))
        else:
            say("没有摄像头：使用演示摄像头视频 / no camera: using the demo camera recording")
        return str(path), DEMO_CAMERA_LABEL

    # -- the client, supervised ----------------------------------------------------------------------
    def supervise(self, client_args: List[str]) -> int:
        crashes: List[float] = []
        while True:
            started = time.monotonic()
            self.client = subprocess.Popen(client_args, cwd=str(ROOT), env=self.env, start_new_session=True)
            assert self.note is not None
            self.note.record("client", self.client)
            say("考试客户端已启动（进程 %d）/ the exam client is running (pid %d)" % (self.client.pid, self.client.pid))
            rc = self.client.wait()
            self.client = None
            self.note.record("client", None)
            if rc == 0:
                say("考试客户端已关闭，演示结束 / the exam client was closed: the demo stops")
                return 0
            how = ("信号 %s" % signal.Signals(-rc).name, "signal %s" % signal.Signals(-rc).name) if rc < 0 else \
                ("退出码 %d" % rc, "exit status %d" % rc)
            say("考试客户端意外退出（%s）。答案已保存在本机，重新启动后会回到考试。/ The exam client stopped "
                "unexpectedly (%s). Your answers are safe on this computer; a restart resumes the exam." % how)
            crashes.append(time.monotonic() - started)   # how long it ran
            if len(crashes) >= CRASH_LOOP[0] and all(t < CRASH_LOOP[1] for t in crashes[-CRASH_LOOP[0]:]):
                say("客户端连续崩溃，演示停止；日志见 %s / the client keeps crashing: the demo stops; logs in %s"
                    % (self.home / "client" / "logs", self.home / "client" / "logs"))
                return 1
            if not self.offer_restart():
                say("演示已停止。再次运行 `./dev demo` 会继续这场考试 / the demo stopped. Run `./dev demo` again "
                    "to resume this exam")
                return 1

    def offer_restart(self) -> bool:
        mode = self.args.restart
        if mode != "ask":
            return mode == "always"
        say("重新启动考试客户端？/ Restart the exam client? [Y/n]")
        line = sys.stdin.readline()
        if not line:   # no terminal to answer from
            return False
        return line.strip().lower() in ("", "y", "yes", "是", "好")

    def stop_all(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)   # a second Ctrl+C must not cut the clean-up short
        for role, proc in (("client", self.client), ("server", self.server), ("xvfb", self.xvfb)):
            if proc is not None and proc.poll() is None:
                display.stop(proc)
            if self.note is not None and proc is not None:
                self.note.record(role, None)
        self.client = self.server = self.xvfb = None
        if self.note is not None:
            self.note.record("launcher", None)
        if self.args.discard and self.home.exists():
            shutil.rmtree(str(self.home), ignore_errors=True)
            say("已删除演示数据 / removed the demo data: %s" % self.home)
        elif self.home.exists():
            say("演示数据保留在 %s：`./dev demo` 继续，`./dev demo --fresh` 重新开始，`./dev demo --clean` 删除 / "
                "the demo data stays in %s: `./dev demo` resumes, `--fresh` starts over, `--clean` removes it"
                % (self.home, self.home))


def main(argv: Optional[List[str]] = None) -> int:
    return Launcher(build_parser().parse_args(argv)).run()
