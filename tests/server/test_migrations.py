"""Schema migrations on the lane's database: from empty, from the first release's schema (with its data),
the models matching the migrated schema, and a server that refuses a database it was not told to migrate."""
from __future__ import annotations

import subprocess
import sys

import pytest
import requests
from sqlalchemy import create_engine, inspect, select

from server import migrations
from server.db import Database, Op, Presence, Sitting, UploadPart
from tests.helpers import backends
from tests.helpers.server import ROOT, LiveServer
from tests.server import round1_models as r1
from tests.server.kit import OpChain, auth


def _fresh_url(tmp_path) -> str:
    if backends.BACKEND == "postgresql":
        return backends.postgres().new_database(migrated=False)
    return "sqlite:///%s" % (tmp_path / "examdesk.sqlite3")


def all_revisions() -> list[str]:
    """Every revision in order, from the files (so a new revision needs no edit here)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrations.config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_upgrade_from_empty_reaches_head_and_matches_the_models(tmp_path):
    db = Database(_fresh_url(tmp_path))
    try:
        assert migrations.upgrade(db) == all_revisions()
        assert all_revisions()[:2] == ["0001", "0002"]
        assert migrations.upgrade(db) == []  # a second start changes nothing
        with db.engine.connect() as conn:
            assert migrations.current(conn) == migrations.head()
        assert migrations.differences(db) == []  # what autogenerate would write: nothing
        migrations.ensure_current(db)
    finally:
        db.close()


def _first_release_database(url: str) -> None:
    """The schema and a little data exactly as the first release's create_all made them."""
    engine = create_engine(url)
    r1.Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(r1.Candidate.__table__.insert(), [{
            "ticket": "OLD-1", "id_number": "110101199001010011", "name": "旧考生", "level": "中级",
            "password_hash": _hash("old-secret-1"), "prior_attempts": {}, "created_at_ms": 1}])
    engine.dispose()


def _hash(pw: str) -> str:
    from server.security import hash_password

    return hash_password(pw)


def test_upgrade_from_the_first_release_keeps_its_data(tmp_path):
    url = _fresh_url(tmp_path)
    _first_release_database(url)
    db = Database(url)
    try:
        with pytest.raises(SystemExit, match="examdesk-server migrate"):
            migrations.ensure_current(db)  # no alembic_version: not served as it is
        assert migrations.upgrade(db) == all_revisions()[1:]  # recognised as the baseline, stamped, upgraded
        assert migrations.differences(db) == []
        tables = set(inspect(db.engine).get_table_names())
        assert {"upload_parts", "presence", "alembic_version"} <= tables
        with db.read() as s:
            assert s.scalars(select(Presence)).all() == [] and s.scalars(select(UploadPart)).all() == []
    finally:
        db.close()


def test_a_database_of_someone_else_is_not_adopted(tmp_path):
    url = _fresh_url(tmp_path)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE sittings (x INTEGER PRIMARY KEY)")
    engine.dispose()
    db = Database(url)
    try:
        with pytest.raises(SystemExit, match="not a database this server made"):
            migrations.upgrade(db)
    finally:
        db.close()


def test_migrate_command_then_a_server_on_the_upgraded_first_release_database(tmp_path):
    url = _fresh_url(tmp_path)
    _first_release_database(url)
    data = tmp_path / "data"
    run = [sys.executable, "-m", "server", "migrate", "--data-dir", str(data), "--database-url", url]
    srv = LiveServer(data, extra_args=["--database-url", url, "--no-migrate"])
    with pytest.raises(RuntimeError, match="examdesk-server migrate"):
        srv.start(timeout=30)  # --no-migrate: refuses a schema behind the code, and says what to do
    show = subprocess.run(run + ["--show"], cwd=str(ROOT), capture_output=True, text=True, timeout=60)
    assert show.stdout.split() == ["current", "None", "head", migrations.head()], show.stderr
    out = subprocess.run(run, cwd=str(ROOT), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "applied " + " ".join(all_revisions()[1:]), out.stderr
    again = subprocess.run(run, cwd=str(ROOT), capture_output=True, text=True, timeout=60)
    assert again.stdout.strip() == "already at head"
    srv.start()
    try:  # the first release's candidate logs in and sits a new exam on the migrated database
        paper_id = srv.add_paper(__import__("tests.helpers.papers", fromlist=["x"]).sample_paper("mig-paper"))
        room = srv.add_room(paper_id, ["OLD-1"])
        r = requests.post(srv.api + "/auth/login", json={"ticket": "OLD-1", "id_number": "110101199001010011",
                                                         "password": "old-secret-1"}, timeout=10)
        assert r.status_code == 200, r.text
        sid = room["sittings"][0]["sitting_id"]
        chain = OpChain(sid)
        chain.answer("q1", "B")
        r = requests.post(srv.api + "/sittings/%s/ops" % sid, json={"ops": chain.ops},
                          headers=auth(r.json()["token"]), timeout=10)
        assert r.json()["acked_seq"] == 1
    finally:
        srv.stop()
    db = Database(url)
    try:
        with db.read() as s:
            assert s.get(Sitting, sid).acked_seq == 1 and s.get(Op, (sid, 1)).payload == {"question_id": "q1",
                                                                                          "value": "B"}
    finally:
        db.close()
