"""Which staff usernames proctor which room (the room CSV's and the admin API's `proctors`)."""

from sqlalchemy import delete, select

from server.db import RoomProctor


def link_room_proctors(session, room_id: str, usernames: list[str], now_ms: int) -> list[str]:
    """Make the room's proctor links exactly `usernames` (in the caller's transaction)."""
    wanted = list(dict.fromkeys(u.strip() for u in usernames if u.strip()))
    held = set(session.scalars(select(RoomProctor.username).where(RoomProctor.room_id == room_id)))
    gone = held - set(wanted)
    if gone:
        session.execute(delete(RoomProctor).where(RoomProctor.room_id == room_id, RoomProctor.username.in_(gone)))
    for name in wanted:
        if name not in held:
            session.add(RoomProctor(room_id=room_id, username=name, assigned_at_ms=now_ms))
    return wanted
