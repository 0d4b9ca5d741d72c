"""Every module that declares tables on server.db.Base, imported once so the migrations see them all.
A new table in a new module is added here (and gets an Alembic revision: server/migrations/README.md)."""


def register_all() -> None:
    import server.phone.models  # noqa: F401
    import server.room_policy  # noqa: F401
