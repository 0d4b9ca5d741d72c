"""Schema migrations (Alembic): `examdesk-server migrate`, and the check every server start makes.

upgrade() runs inside one transaction that also holds a lock, so several servers starting at once on one
database migrate it once: PostgreSQL takes an advisory lock, SQLite's BEGIN IMMEDIATE is the lock.
A database made by the first release (tables, no alembic_version) is stamped at the baseline first.
How to add a revision: server/migrations/README.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from server.db import Base, Database

HERE = Path(__file__).resolve().parent
BASELINE = "0001"  # the first release's schema
ROUND1_TABLES = {"candidates", "papers", "rooms", "sittings", "ops", "commands", "heartbeats", "uploads", "tokens",
                 "login_failures", "marks", "panel_scores"}
LOCK_KEY = 0x6578616D64657368  # "examdesh": pg_advisory_xact_lock key for migrations


class SchemaError(SystemExit):
    """The database is not at the schema this code needs (and was not to be migrated here)."""


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    heads = ScriptDirectory.from_config(config()).get_heads()
    if len(heads) != 1:  # two revisions on one parent: merge them (README)
        raise SchemaError("migrations have %d heads %s: add a merge revision" % (len(heads), heads))
    return heads[0]


def current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})


def upgrade(db: Database, target: str = "head") -> list[str]:
    """Bring the database to `target`; returns the revisions applied (empty when it was there)."""
    with db.write_lock, db.write_engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # table rebuilds (batch mode) must not cascade through foreign keys; checked below
            raw.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                _lock(conn)
                before = current(conn)
                if before is None and inspect(conn).has_table("sittings"):
                    _adopt_first_release(conn)
                    before = BASELINE
                command.upgrade(config(conn), target)
                after = current(conn)
                if sqlite:
                    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if bad:
                        raise SchemaError("migration left foreign keys broken: %r" % bad[:5])
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
    return _between(before, after)


def _adopt_first_release(conn: Connection) -> None:
    tables = set(inspect(conn).get_table_names())
    missing = ROUND1_TABLES - tables
    if missing:
        raise SchemaError("the database has some ExamDesk tables but not %s: not a database this server made"
                          % sorted(missing))
    command.stamp(config(conn), BASELINE)


def _between(before: str | None, after: str | None) -> list[str]:
    if before == after:
        return []
    script = ScriptDirectory.from_config(config())
    revs = [r.revision for r in script.iterate_revisions(after, before)]
    return list(reversed(revs))


def ensure_current(db: Database) -> None:
    """Refuse to serve on a database whose schema is behind or ahead of this code."""
    with db.engine.connect() as conn:
        have = current(conn)
    want = head()
    if have != want:
        raise SchemaError("数据库结构版本为 %s，本程序需要 %s：请先运行 examdesk-server migrate\n"
                          "the database schema is at %s, this server needs %s: run `examdesk-server migrate` first"
                          % (have, want, have, want))


def differences(db: Database) -> list[Any]:
    """What autogenerate would change: empty when the models match the migrated schema."""
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return [d for d in compare_metadata(ctx, Base.metadata) if not _ignorable(d)]


def _ignorable(diff: Any) -> bool:
    # alembic's own bookkeeping table is not a model
    return isinstance(diff, tuple) and diff[0] == "remove_table" and diff[1].name == "alembic_version"
