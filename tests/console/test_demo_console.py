"""`./dev demo` serves the console too: `python -m server demo` prints the console's address and a demo
proctor who watches every demo room, and the candidate-side launcher prints the same account."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import requests

from client import demo as client_demo
from server.console.demo import DEMO_PROCTOR, DEMO_STAFF_PASSWORD
from tests.helpers.server import ROOT, free_port


def start_demo(data_dir: str, port: int) -> tuple:
    proc = subprocess.Popen([sys.executable, "-m", "server", "demo", "--port", str(port), "--data-dir", data_dir],
                            cwd=str(ROOT), env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:   # the server prints its banner before it serves
        lines.append(line)
        if line.startswith("candidates"):
            break
    url = "http://127.0.0.1:%d" % port
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/api/v1/healthz", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    return proc, "".join(lines)


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_the_demo_prints_the_console_and_its_proctor_sees_the_demo_rooms(tmp_path) -> None:
    port = free_port()
    for _start in (1, 2):   # a second start of the same data folder changes nothing
        proc, banner = start_demo(str(tmp_path / "demo"), port)
        try:
            m = re.search(r"proctor console: (http://127\.0\.0\.1:\d+/console/)\s+\(user (\S+) / password (\S+)\)",
                          banner)
            assert m, banner
            url, user, password = m.groups()
            assert (user, password) == (DEMO_PROCTOR, DEMO_STAFF_PASSWORD)
            r = requests.post(url + "api/login", json={"username": user, "password": password}, timeout=30)
            assert r.status_code == 200, r.text
            h = {"Authorization": "Bearer " + r.json()["token"]}
            rooms = requests.get(url + "api/rooms", headers=h, timeout=30).json()["rooms"]
            ids = {x["room_id"] for x in rooms}
            assert {"demo-mock-junior", "demo-mock-mid", "demo-mock-senior"} <= ids and len(ids) >= 4, ids
            for room in rooms:   # the rooms' own proctors got accounts: the ratio check is green
                assert room["ratio"]["status"] in ("ok", "info"), room
                assert DEMO_PROCTOR in room["ratio"]["assigned"]
            grid = requests.get(url + "api/grid", headers=h, timeout=30).json()
            assert sum(len(x["candidates"]) for x in grid["rooms"]) >= 7
            page = requests.get(url + "login", timeout=30)
            assert page.status_code == 200 and "监考台登录" in page.text
        finally:
            stop(proc)


def test_the_candidate_side_launcher_names_the_same_account() -> None:
    hint = client_demo.console_hint(8765)
    assert "http://127.0.0.1:8765/console/" in hint
    assert DEMO_PROCTOR in hint and DEMO_STAFF_PASSWORD in hint
