"""Alembic environment: run by server.migrations (programmatically, on the connection it passes) or by the
alembic CLI with `-x url=...` (tools/migration.py does that for new revisions)."""

from alembic import context
from sqlalchemy import create_engine

from server.db import Base
from server.models_all import register_all

register_all()   # every module's tables, not only server/db.py's

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTERs by copy-and-move
                      compare_type=True, compare_server_default=True)


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("give the database: alembic -x url=sqlite:///FILE ...")
    engine = create_engine(url)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
