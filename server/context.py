"""Everything a request or an admin command needs: settings, clock, database, keys."""

import json
import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from examcore.policy import DEFAULT_POLICY, merged
from server import migrations
from server.clock import ServerClock
from server.commit_group import CommitGroup
from server.db import Database
from server.keys import KeyRing
from server.presence import HeartbeatWriter
from server.quotas import HeartbeatRate
from server.storage import UploadStore, open_store

log = logging.getLogger("examdesk.server")

@dataclass
class Settings:
    data_dir: Path
    admin_token: str = ""
    clock_file: str | None = None
    database_url: str | None = None
    document_working_days: int = 10
    holidays: list[str] = field(default_factory=list)  # "YYYY-MM-DD", local (China) dates
    makeup_workdays: list[str] = field(default_factory=list)  # weekend days that are working days (调休)
    token_ttl_s: int = 12 * 3600
    login_address_limit: int = 300   # failed logins per address per 15 min before it is slowed (NAT'd centres)
    demo_start_in_s: int = 600
    public_url: str = ""              # how phones reach this server (pairing URLs); "" = as the client asked
    tls_cert: str | None = None       # the served certificate (chain): its local CA is offered to phones
    policy_file: str | None = None    # JSON merged over the default exam policy
    storage_url: str | None = None  # file:///DIR or s3://BUCKET/PREFIX?endpoint_url=... (server/storage)
    fsync_upload_chunks: bool = False  # see server/storage/local.py for the trade-off
    migrate: bool = True  # bring the schema to head at start; False: refuse a database that is not there
    db_pool_size: int = 20
    heartbeat_flush_s: float = 1.0


def load_holidays(data_dir: Path, explicit: str | None) -> tuple[list[str], list[str]]:
    """(holidays, makeup_workdays) from a JSON list or {"holidays": [...], "makeup_workdays": [...]}."""
    path = Path(explicit) if explicit else Path(data_dir) / "holidays.json"
    if not path.exists():
        if explicit:
            raise SystemExit("holiday file not found: %s" % explicit)
        return [], []
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, list):
        return [str(d) for d in data], []
    return [str(d) for d in data.get("holidays", [])], [str(d) for d in data.get("makeup_workdays", [])]


def load_policy(path: str) -> dict:
    """The exam policy overrides of a deployment (a JSON object, same shape as DEFAULT_POLICY, any subset)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise SystemExit("policy file unreadable: %s: %s" % (path, e)) from None
    if not isinstance(data, dict):
        raise SystemExit("policy file is not a JSON object: %s" % path)
    return data


def ensure_admin_token(data_dir: Path, given: str | None) -> str:
    """The admin token: given on the command line, or generated once into data-dir/admin-token (0600)."""
    if given:
        return given
    path = Path(data_dir) / "admin-token"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    token = secrets.token_urlsafe(24)
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(token + "\n")
    return token


def _owner_only_sqlite(db_file: Path) -> None:
    """Password hashes and answers: the database and its -wal/-shm files are 0600 (SQLite gives
    new -wal/-shm files the mode of the database file, so it is created 0600 first)."""
    if not db_file.exists():
        os.close(os.open(str(db_file), os.O_WRONLY | os.O_CREAT, 0o600))
    for suffix in ("", "-wal", "-shm"):
        f = Path(str(db_file) + suffix)
        if f.exists():
            os.chmod(str(f), 0o600)


class ServerContext:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.data_dir = Path(settings.data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.upload_dir = self.data_dir / "uploads"  # the local store's folder when no storage_url is given
        self.store: UploadStore = open_store(settings.storage_url, self.data_dir, settings.fsync_upload_chunks)
        self.store.check()
        self.clock = ServerClock(settings.clock_file)
        url = settings.database_url or "sqlite:///%s" % (self.data_dir / "examdesk.sqlite3")
        if not settings.database_url:
            _owner_only_sqlite(self.data_dir / "examdesk.sqlite3")
        self.db = Database(url, pool_size=settings.db_pool_size)
        if settings.migrate:
            applied = migrations.upgrade(self.db)
            if applied:
                log.info("database migrated", extra={"fields": {"revisions": applied}})
        else:
            migrations.ensure_current(self.db)
        self.keys = KeyRing(self.data_dir)
        self.policy = dict(DEFAULT_POLICY) if not settings.policy_file else merged(load_policy(settings.policy_file))
        self.heartbeats = HeartbeatWriter(self.db, settings.heartbeat_flush_s)
        self.commits = CommitGroup(self.db)
        self.heartbeat_rate = HeartbeatRate(self.policy)

    def now_ms(self) -> int:
        return self.clock.now_ms()

    def close(self) -> None:
        self.commits.close()   # writes queued at shutdown commit first
        self.heartbeats.close()  # the last batch of heartbeat history
        self.db.close()
