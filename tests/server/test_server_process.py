"""The server as a process: demo seeding (idempotent), keys on disk, SIGTERM, logs without secrets."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import requests

from tests.helpers import backends
from tests.helpers.server import ROOT, LiveServer, free_port
from tests.server.kit import assert_error, auth, decrypt_bundle

DEMO_MID = {"ticket": "DEMO-M-002", "id_number": "440106199301190263", "password": "demo1234"}


def _login(srv: LiveServer, creds: dict) -> dict:
    r = requests.post(srv.api + "/auth/login", json=creds, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def test_demo_seeding_keys_restart_and_clean_shutdown(tmp_path):
    srv = LiveServer(tmp_path / "demo", demo=True, extra_args=["--demo-start-in", "90"]).start()
    try:
        info = requests.get(srv.api + "/server-info", timeout=5).json()
        body = _login(srv, DEMO_MID)
        by_kind = {s["kind"]: s for s in body["sittings"]}
        mock, formal = by_kind["mock"], by_kind["formal"]
        assert mock["status"] == "in_progress" and formal["status"] == "scheduled"
        assert 80_000 <= formal["start_at_ms"] - srv.server_time_ms() <= 90_000  # the countdown the client shows
        assert formal["retake"] is True and formal["attempt"] == 2  # demo.json: DEMO-M-002 retakes theory
        h = auth(body["token"])
        assert requests.get(srv.api + "/sittings/%s/paper-key" % mock["sitting_id"], headers=h,
                            timeout=5).status_code == 200
        assert_error(requests.get(srv.api + "/sittings/%s/paper-key" % formal["sitting_id"], headers=h, timeout=5),
                     425, "paper.key_not_yet")
        # the formal paper opens at its start, without answers or marking notes; the mock keeps them
        srv.set_clock_offset(91_000)
        bundles = {}
        for kind, sid in (("mock", mock["sitting_id"]), ("formal", formal["sitting_id"])):
            b = requests.get(srv.api + "/sittings/%s/paper" % sid, headers=h, timeout=5).json()
            k = requests.get(srv.api + "/sittings/%s/paper-key" % sid, headers=h, timeout=5).json()["key"]
            bundles[kind] = decrypt_bundle(b, k)
        assert not any("answer" in q or "explanation" in q for q in bundles["formal"]["questions"])
        assert all("answer" in q for q in bundles["mock"]["questions"] if q["kind"] != "essay")
        srv.set_clock_offset(0)
        if backends.BACKEND == "sqlite":
            for name in ("examdesk.sqlite3", "examdesk.sqlite3-wal"):  # password hashes, answers
                assert stat.S_IMODE((srv.data_dir / name).stat().st_mode) == 0o600, name
        keys = srv.data_dir / "keys"
        for f in keys.iterdir():
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
        assert stat.S_IMODE(keys.stat().st_mode) == 0o700

        srv.stop()
        assert "stopped" in srv.log_tail()  # SIGTERM: uvicorn finished and the database was closed
        srv.start()  # seeding again changes nothing that exists
        again = _login(srv, DEMO_MID)
        assert sorted(s["sitting_id"] for s in again["sittings"]) == sorted(s["sitting_id"] for s in body["sittings"])
        assert requests.get(srv.api + "/server-info", timeout=5).json()["signing_public_key"] == \
            info["signing_public_key"]  # the same keys after a restart
        log = srv.log_tail(1_000_000)
        assert "demo1234" not in log and body["token"] not in log and "test-admin-token" not in log
    finally:
        srv.stop()
    assert srv.proc is None


def test_demo_command_prints_credentials_and_exits_on_sigterm(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "server", "demo", "--data-dir", str(tmp_path / "d"), "--port",
                             str(port)], cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        assert "127.0.0.1:%d" % port in lines[0]
        token = lines[1].split(":", 1)[1].strip()
        assert token == (tmp_path / "d" / "admin-token").read_text().strip()
        assert stat.S_IMODE((tmp_path / "d" / "admin-token").stat().st_mode) == 0o600
        rest = [proc.stdout.readline() for _ in range(7)]
        assert any("DEMO-M-001" in line and "demo1234" in line for line in rest)
        import time

        for _ in range(200):
            try:
                if requests.get("http://127.0.0.1:%d/api/v1/healthz" % port, timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        r = requests.get("http://127.0.0.1:%d/api/v1/admin/rooms/demo-mock-mid/results" % port,
                         headers=auth(token), timeout=5)
        assert r.status_code == 200 and len(r.json()["results"]) == 3   # the intermediate candidates
        assert json.loads(r.text)["kind"] == "mock"
    finally:
        proc.terminate()
        assert proc.wait(timeout=20) == 0


def test_a_damaged_key_stops_the_start_with_a_clear_message(tmp_path):
    import pytest

    srv = LiveServer(tmp_path / "k").start()
    srv.stop()
    key = srv.data_dir / "keys" / "signing-ed25519.key"
    key.write_text("not base64 at all!")
    with pytest.raises(RuntimeError) as e:
        srv.start(timeout=30)
    assert "密钥文件已损坏" in str(e.value) and "the key file is damaged" in str(e.value)
    assert key.read_text() == "not base64 at all!"  # never silently replaced


def test_database_url_points_the_server_elsewhere(tmp_path):
    from tests.helpers.fixtures import make_sitting

    db = tmp_path / "elsewhere" / "exam.db"
    db.parent.mkdir()
    srv = LiveServer(tmp_path / "d", extra_args=["--database-url", "sqlite:///%s" % db]).start()
    try:
        st = make_sitting(srv)
        assert requests.get(srv.api + "/sittings/" + st.sitting_id, headers=auth(st.token), timeout=5).ok
    finally:
        srv.stop()
    assert db.stat().st_size > 0 and not (tmp_path / "d" / "examdesk.sqlite3").exists()
