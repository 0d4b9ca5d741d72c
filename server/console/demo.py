"""The demo's console accounts: one proctor who watches every demo room (so whichever sitting a newcomer
picks in the client shows up in the console), and accounts for the proctors the demo rooms name."""

from typing import Any

from sqlalchemy import select

from server.console.accounts import set_room_proctors, upsert_account
from server.context import ServerContext
from server.db import Room, StaffAccount

DEMO_PROCTOR = "demo-proctor"
DEMO_PROCTOR_NAME = "演示监考"
DEMO_STAFF_PASSWORD = "demo1234"


def seed_demo_staff(ctx: ServerContext) -> dict[str, Any]:
    """Idempotent; returns the account to print. The demo's rooms are those named demo-* (server/demo.py)."""
    with ctx.db.read() as s:
        known = set(s.scalars(select(StaffAccount.username)))
        rooms = {r.room_id: list(r.proctors or []) for r in s.scalars(select(Room).where(Room.room_id.startswith("demo-")))}
    named = sorted({p for names in rooms.values() for p in names if p != DEMO_PROCTOR})
    for username in [DEMO_PROCTOR] + named:
        if username not in known:   # scrypt is slow: not again on every start
            upsert_account(ctx, username, DEMO_PROCTOR_NAME if username == DEMO_PROCTOR else username, "proctor",
                           DEMO_STAFF_PASSWORD)
    for room_id, names in rooms.items():
        if DEMO_PROCTOR not in names:
            set_room_proctors(ctx, room_id, names + [DEMO_PROCTOR])
    return {"username": DEMO_PROCTOR, "password": DEMO_STAFF_PASSWORD, "rooms": sorted(rooms)}
