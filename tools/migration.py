"""Write a new Alembic revision from the models in server/db.py (see server/migrations/README.md).

    .venv/bin/python tools/migration.py "add exam_rooms.capacity"       # autogenerate against a scratch
                                                                         # SQLite database at the current head
    .venv/bin/python tools/migration.py --check                          # exit 1 if models and head differ

Review what it wrote: autogenerate misses renames (it sees drop + add) and data changes.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402

from server import migrations  # noqa: E402
from server.db import Database  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("message", nargs="?")
    ap.add_argument("--check", action="store_true", help="only report differences between models and head")
    ap.add_argument("--rev-id", help="revision id (default: alembic's random one)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database("sqlite:///%s/scratch.sqlite3" % tmp)
        try:
            migrations.upgrade(db)
            diffs = migrations.differences(db)
            if args.check or not args.message:
                for d in diffs:
                    print(d)
                print("models match the head revision" if not diffs else "%d differences" % len(diffs))
                return 1 if diffs else 0
            with db.write_engine.connect() as conn:
                command.revision(migrations.config(conn), message=args.message, autogenerate=True,
                                 rev_id=args.rev_id)
                conn.commit()
        finally:
            db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
