"""The real reference server in a subprocess on loopback, with a scratch data folder.

Works from both lanes: under Python 3.8 (the Windows 7 client lane) the server runs on the
interpreter named by EXAMDESK_SERVER_PYTHON, since the server needs Python >= 3.10.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests

ROOT = Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "test-admin-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """`examdesk-server serve` as a child process. `stop()`/`start()` keep the data folder,
    so a restart is the same server coming back (outage tests)."""

    def __init__(self, data_dir: Path, port: Optional[int] = None, demo: bool = False,
                 extra_args: Optional[List[str]] = None, tls: Optional[Any] = None, storage: str = "default",
                 backend_args: Optional[List[str]] = None) -> None:
        """`tls`: server.tls.CertFiles (or anything with cert, key, ca_cert): serve HTTPS with it."""
        self.data_dir = Path(data_dir)
        self.tls = tls
        self.port = port or free_port()
        self.demo = demo
        self.extra_args = list(extra_args or [])
        self.storage = storage
        # the test lane's database and upload store (tests/helpers/backends.py), fixed for this server's life;
        # another LiveServer given the same backend_args is a second worker of the same deployment
        self.backend_args: Optional[List[str]] = backend_args
        self.clock_file = self.data_dir / "test-clock.json"
        self.proc: Optional[subprocess.Popen] = None
        self.log_path = self.data_dir / "server.log"

    @property
    def url(self) -> str:
        return "%s://127.0.0.1:%d" % ("https" if self.tls is not None else "http", self.port)

    @property
    def verify(self) -> Any:
        """What requests should verify this server's certificate with (its test CA under TLS)."""
        return str(self.tls.ca_cert) if self.tls is not None else True

    @property
    def api(self) -> str:
        return self.url + "/api/v1"

    def cli_args(self) -> List[str]:
        """What an admin command needs to work on this server's data: its folder, database and store."""
        return ["--data-dir", str(self.data_dir)] + list(self.backend_args or [])

    def database_url(self) -> str:
        """The database this server uses: the lane's (PostgreSQL), or SQLite in its data folder."""
        args = self.backend_args or []
        if "--database-url" in args:
            return args[args.index("--database-url") + 1]
        return "sqlite:///%s" % (self.data_dir / "examdesk.sqlite3")

    def stored_text(self) -> bytes:
        """Every value the database holds, as bytes (to show a secret is not stored in the clear)."""
        if "--database-url" not in (self.backend_args or []):
            return (self.data_dir / "examdesk.sqlite3").read_bytes()
        from sqlalchemy import MetaData, create_engine, select

        engine = create_engine(self.backend_args[self.backend_args.index("--database-url") + 1])
        try:
            meta = MetaData()
            meta.reflect(engine)
            with engine.connect() as conn:
                return "\n".join(repr(tuple(row)) for t in meta.sorted_tables
                                  for row in conn.execute(select(t))).encode()
        finally:
            engine.dispose()

    def start(self, timeout: float = 60.0) -> LiveServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not self.clock_file.exists():
            self.set_clock_offset(0)
        python = os.environ.get("EXAMDESK_SERVER_PYTHON", sys.executable)
        args = [python, "-m", "server", "serve", "--data-dir", str(self.data_dir), "--host", "127.0.0.1",
                "--port", str(self.port), "--admin-token", ADMIN_TOKEN, "--clock-file", str(self.clock_file)]
        if self.demo:
            args.append("--demo")
        if self.tls is not None:
            args += ["--tls-cert", str(self.tls.cert), "--tls-key", str(self.tls.key)]
        if self.backend_args is None:
            from tests.helpers import backends

            self.backend_args = [] if "--database-url" in self.extra_args else backends.server_args(self.storage)
        args += self.backend_args + self.extra_args
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, cwd=str(ROOT), env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited with %s:\n%s" % (self.proc.returncode, self.log_tail()))
            try:
                if requests.get(self.api + "/healthz", timeout=1, verify=self.verify).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not come up:\n" + self.log_tail())

    def stop(self, kill: bool = False) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if getattr(self, "_log", None):
            self._log.close()

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log_path.read_bytes()[-n:].decode("utf-8", "replace")
        except OSError:
            return ""

    # -- test clock: server time = real time + offset -----------------------------------
    def set_clock_offset(self, offset_ms: int) -> None:
        tmp = self.clock_file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"offset_ms": int(offset_ms)}))
        os.replace(str(tmp), str(self.clock_file))

    # -- admin conveniences (the real admin API) ------------------------------------------
    def admin(self, method: str, path: str, **kw: Any) -> requests.Response:
        headers = dict(kw.pop("headers", {}) or {}, Authorization="Bearer " + ADMIN_TOKEN)
        kw.setdefault("verify", self.verify)
        return requests.request(method, self.api + path, headers=headers, timeout=10, **kw)

    def admin_json(self, method: str, path: str, **kw: Any) -> Any:
        r = self.admin(method, path, **kw)
        if r.status_code >= 300:
            raise AssertionError("%s %s -> %s %s" % (method, path, r.status_code, r.text))
        return r.json()

    def add_paper(self, paper: Dict[str, Any]) -> str:
        return str(self.admin_json("POST", "/admin/papers", json=paper)["paper_id"])

    def add_candidate(self, ticket: str, id_number: str, password: str, name: str = "测试考生",
                      level: str = "中级") -> Dict[str, Any]:
        return self.admin_json("POST", "/admin/candidates", json={
            "ticket": ticket, "id_number": id_number, "name": name, "level": level, "password": password})

    def add_room(self, paper_id: str, tickets: List[str], start_in_s: float = 0.0, duration_s: int = 7200,
                 part: str = "theory", kind: str = "formal", proctors: Optional[List[str]] = None) -> Dict[str, Any]:
        now_ms = self.server_time_ms()
        return self.admin_json("POST", "/admin/rooms", json={
            "paper_id": paper_id, "part": part, "kind": kind, "start_at_ms": int(now_ms + start_in_s * 1000),
            "duration_s": duration_s, "candidates": tickets, "proctors": proctors or ["监考甲", "监考乙"]})

    def server_time_ms(self) -> int:
        r = requests.get(self.api + "/server-info", timeout=5, verify=self.verify)
        return int(r.headers["X-Server-Time-Ms"])

    def command(self, sitting_id: str, **body: Any) -> Dict[str, Any]:
        return self.admin_json("POST", "/admin/sittings/%s/commands" % sitting_id, json=body)
