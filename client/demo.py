"""`python -m client.demo` (`./dev demo`): the reference server with demo data on 127.0.0.1 and the client at
its login screen, with the demo credentials shown and a recorded video as the camera when there is none.

Everything lives in a scratch folder that is removed at the end (unless --keep)."""
from __future__ import annotations

import argparse
import csv
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CANDIDATES_CSV = os.path.join(ROOT, "server", "demo_data", "candidates.csv")
DEMO_CAMERA_LABEL = "演示摄像头 / demo camera"


def say(text: str) -> None:
    print("[demo] " + text, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_python() -> str:
    # the server needs Python >= 3.10; from the 3.8 lane use the main venv's interpreter
    return os.environ.get("EXAMDESK_SERVER_PYTHON") or sys.executable


def start_server(port: int, data_dir: str, timeout: float = 90.0) -> subprocess.Popen:
    import requests

    os.makedirs(data_dir, exist_ok=True)
    log = open(os.path.join(data_dir, "server.log"), "ab")
    proc = subprocess.Popen([server_python(), "-m", "server", "demo", "--port", str(port), "--data-dir", data_dir],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ, PYTHONPATH=ROOT))
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
    proc.terminate()
    raise RuntimeError("the demo server did not answer within %.0f s; see %s" % (timeout, log.name))


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
    if sys.platform.startswith("linux") and not glob.glob("/dev/video*"):
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


def _real_face_photo() -> Any:
    """A real frontal face photo (scikit-image's astronaut, in the dev environment), or None."""
    try:
        from skimage import data

        return data.astronaut()[:, :, ::-1]  # RGB -> BGR
    except Exception:  # noqa: BLE001 - the cartoon below stands in
        return None


def make_demo_video(path: str, seconds: float = 6.0, fps: int = 10) -> str:
    """A small 'candidate at a desk' clip, generated here so nothing needs downloading: a real face photo
    panned slightly (so the on-device analysis really finds a face), else a drawn stand-in."""
    import cv2
    import numpy as np

    photo = _real_face_photo()
    w, h = (640, 480) if photo is not None else (320, 240)
    writer = cv2.VideoWriter(path, cv2.VideoWriter.fourcc(*"mp4v"), fps, (w, h))
    if not writer.isOpened():
        raise RuntimeError("cv2.VideoWriter cannot write %s" % path)
    for i in range(int(seconds * fps)):
        dx = int(6 * np.sin(i / 8.0))                                   # a little head movement
        if photo is not None:
            frame = np.full((h, w, 3), (200, 190, 178), np.uint8)
            crop = photo[0:440, 40:420]                                  # head and shoulders
            x0 = (w - crop.shape[1]) // 2 + dx
            frame[h - crop.shape[0]:, x0:x0 + crop.shape[1]] = crop
        else:
            frame = np.full((h, w, 3), (200, 190, 178), np.uint8)      # a light wall
            cv2.rectangle(frame, (0, 180), (w, h), (120, 100, 90), -1)  # the desk
            cv2.ellipse(frame, (160 + dx, 190), (70, 45), 0, 180, 360, (90, 70, 60), -1)   # shoulders
            cv2.circle(frame, (160 + dx, 110), 38, (150, 175, 215), -1)    # face
            cv2.circle(frame, (147 + dx, 102), 4, (40, 40, 40), -1)
            cv2.circle(frame, (173 + dx, 102), 4, (40, 40, 40), -1)
            cv2.ellipse(frame, (160 + dx, 125), (12, 5), 0, 0, 180, (60, 60, 120), 2)
        cv2.putText(frame, "DEMO", (8, 22), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (30, 30, 160), 2)
        writer.write(frame)
    writer.release()
    return path


def ensure_display(scratch: str) -> Optional[subprocess.Popen]:
    """No screen: start Xvfb (and say how to look at it); None when a screen or platform is already set."""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM") \
            or not sys.platform.startswith("linux"):
        return None
    xvfb = shutil.which("Xvfb")
    if not xvfb:
        say("没有显示器，也没有 Xvfb：改用 offscreen 运行 / no display and no Xvfb: running offscreen "
            "(install xvfb, or run on a desktop to see the window)")
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return None
    display = ":%d" % (90 + os.getpid() % 9)
    proc = subprocess.Popen([xvfb, display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    os.environ["DISPLAY"] = display
    say("没有显示器：已在 %s 启动 Xvfb / no screen: started Xvfb on %s. To look at it: "
        "`DISPLAY=%s import -window root shot.png` (ImageMagick), or attach a VNC server such as "
        "`x11vnc -display %s`." % (display, display, display, display))
    return proc


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m client.demo",
                                description="ExamDesk demo: reference server with demo data + the client")
    p.add_argument("--port", type=int, default=0, help="server port on 127.0.0.1 (default: a free one)")
    p.add_argument("--data-dir", default="", help="scratch folder (default: a new temporary folder)")
    p.add_argument("--keep", action="store_true", help="keep the scratch folder at the end")
    p.add_argument("--language", choices=["zh_CN", "en"], default="zh_CN")
    p.add_argument("--quit-after", type=float, default=0.0, help=argparse.SUPPRESS)  # smoke test
    p.add_argument("--camera", default="", help="camera device or video file (default: a camera if there is "
                                                "one, else a generated demo video)")
    args = p.parse_args(argv)
    scratch = args.data_dir or tempfile.mkdtemp(prefix="examdesk-demo-")
    port = args.port or free_port()
    xvfb = ensure_display(scratch)
    server = None
    try:
        say("启动演示服务器 / starting the demo server on 127.0.0.1:%d (data: %s)" % (port, scratch))
        server = start_server(port, os.path.join(scratch, "server"))
        creds = demo_credentials()
        hint = credentials_hint(creds)
        for line in hint.splitlines():
            say(line)
        say(console_hint(port))
        camera, label = args.camera, ""
        if not camera:
            if has_camera():
                camera = "0"
            else:
                camera = make_demo_video(os.path.join(scratch, "demo-camera.mp4"))
                label = DEMO_CAMERA_LABEL
                say("没有摄像头：使用演示视频 / no camera: using the generated demo video as the camera")
        from client.app import main as app_main

        return app_main(["--server-url", "http://127.0.0.1:%d" % port, "--data-dir", os.path.join(scratch, "client"),
                         "--language", args.language, "--demo", "--windowed", "--camera", camera,
                         "--camera-label", label, "--demo-hint", hint, "--quit-after", str(args.quit_after)])
    except RuntimeError as e:
        say("演示无法启动 / the demo could not start: %s" % e)
        return 1
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        if xvfb is not None:
            xvfb.terminate()
        if not args.keep and not args.data_dir:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
