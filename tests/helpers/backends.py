"""The database and upload store the server tests run on, chosen by EXAMDESK_TEST_BACKEND:

    sqlite      (default) SQLite in the server's data folder, uploads on local disk
    postgresql  one throwaway PostgreSQL cluster per test session, a fresh database per server (cloned
                from a template migrated once), uploads in a fresh bucket of a moto S3 server

PostgreSQL comes from Debian's package (/usr/lib/postgresql/N/bin): initdb in a temporary folder, a free
port on 127.0.0.1, fsync off (a test cluster: a power cut is not a case here; the SQLite lane keeps
synchronous=FULL). As root, the cluster runs as the `postgres` user, which initdb requires.
moto's server mode is an S3 API emulator, not a store anyone deploys (docs/deploy.md).
"""
from __future__ import annotations

import atexit
import glob
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import List, Optional

BACKEND = os.environ.get("EXAMDESK_TEST_BACKEND", "sqlite")
_ids = itertools.count(1)
_lock = threading.Lock()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_bin(name: str) -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/" + name), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql; ./dev does it)")
    return found[-1]


class PostgresCluster:
    """A throwaway cluster: start() ~1.5 s, databases cloned from a migrated template in ~0.1 s."""

    def __init__(self, durable: bool = False) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="examdesk-pg-", dir="/tmp"))
        self.port = free_port()
        self.durable = durable  # fsync and synchronous commits on, as in production (the load bench)
        self.root = os.geteuid() == 0
        self.template_ready = False

    def _run(self, *cmd: str) -> subprocess.CompletedProcess:
        args = list(cmd)
        if self.root:
            args = ["runuser", "-u", "postgres", "--"] + args
        return subprocess.run(args, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> PostgresCluster:
        os.chmod(str(self.dir), 0o755)
        if self.root:
            shutil.chown(str(self.dir), "postgres", "postgres")
        self._run(pg_bin("initdb"), "-D", str(self.dir / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--no-sync", "--locale=C")
        fast = "" if self.durable else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        self._run(pg_bin("pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "-o",
                  "-p %d -k %s -c listen_addresses=127.0.0.1 %s-c max_connections=400 -c shared_buffers=128MB"
                  % (self.port, self.dir, fast), "start")
        atexit.register(self.stop)
        return self

    def url(self, database: str = "postgres") -> str:
        return "postgresql+psycopg://postgres@127.0.0.1:%d/%s" % (self.port, database)

    def sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=%d user=postgres dbname=postgres" % self.port,
                             autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def new_database(self, migrated: bool = True) -> str:
        """A fresh database (at the current schema unless `migrated` is False); returns its URL."""
        with _lock:
            if migrated and not self.template_ready:
                self.sql("CREATE DATABASE examdesk_template")
                from server import migrations
                from server.db import Database

                db = Database(self.url("examdesk_template"))
                migrations.upgrade(db)
                db.close()
                self.template_ready = True
            name = "t%d_%d" % (os.getpid(), next(_ids))
            self.sql("CREATE DATABASE %s%s" % (name, " TEMPLATE examdesk_template" if migrated else ""))
        return self.url(name)

    def stop(self) -> None:
        if (self.dir / "data" / "postmaster.pid").exists():
            try:
                self._run(pg_bin("pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")
            except (subprocess.SubprocessError, OSError):
                pass
        shutil.rmtree(str(self.dir), ignore_errors=True)


class MotoS3:
    """moto's S3 emulator (`python -m moto.server`) on a free loopback port; a fresh bucket per server."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc: Optional[subprocess.Popen] = None

    @property
    def endpoint(self) -> str:
        return "http://127.0.0.1:%d" % self.port

    def start(self) -> MotoS3:
        self.proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        atexit.register(self.stop)
        import requests

        for _ in range(300):
            try:
                requests.get(self.endpoint, timeout=1)
                return self
            except requests.RequestException:
                if self.proc.poll() is not None:
                    raise RuntimeError("moto_server exited with %s" % self.proc.returncode) from None
                time.sleep(0.05)
        raise RuntimeError("moto_server did not come up")

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1")

    def new_bucket(self) -> str:
        name = "examdesk-%d-%d" % (os.getpid(), next(_ids))
        self.client().create_bucket(Bucket=name)
        return name

    def storage_url(self, bucket: str, prefix: str = "uploads") -> str:
        return "s3://%s/%s?endpoint_url=%s" % (bucket, prefix, self.endpoint)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


_cluster: Optional[PostgresCluster] = None
_moto: Optional[MotoS3] = None


def postgres() -> PostgresCluster:
    global _cluster
    with _lock:
        if _cluster is None:
            _cluster = PostgresCluster().start()
    return _cluster


def moto() -> MotoS3:
    global _moto
    with _lock:
        if _moto is None:
            os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")  # moto checks no signature
            os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
            _moto = MotoS3().start()
    return _moto


def server_args(storage: str = "default") -> List[str]:
    """--database-url / --storage-url for one new server of this lane ([] on the SQLite lane).
    storage: "default" (the lane's), "local" (data-dir/uploads) or "s3"."""
    args: List[str] = []
    if BACKEND == "postgresql":
        args += ["--database-url", postgres().new_database()]
    if storage == "s3" or (storage == "default" and BACKEND == "postgresql"):
        m = moto()
        args += ["--storage-url", m.storage_url(m.new_bucket())]
    return args


def database_url() -> Optional[str]:
    """For a context built in-process: a fresh database of this lane (None: SQLite in its data folder)."""
    return postgres().new_database() if BACKEND == "postgresql" else None


def stop_all() -> None:
    global _cluster, _moto
    if _moto is not None:
        _moto.stop()
        _moto = None
    if _cluster is not None:
        _cluster.stop()
        _cluster = None
