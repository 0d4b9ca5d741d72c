"""The heartbeat, the hottest path (every candidate, every 10 s): one worker thread, one read
transaction for the token, the sitting, its pending commands and the phone, and no write unless it
acknowledges commands or notes a phone's stop. The history, and the last contact before the close
(which bounds what the client may later claim about when it made an answer, server/closing.py), are
queued for ctx.heartbeats (server/presence.py) and written in batches.

The body (at most 16 KiB, server/middleware.py) is read before the token is looked up but parsed only
after it: an unknown token answers 401 whatever the body holds, as on every other route.
"""

from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, func, select, update

from server.closing import close_ms, deadline_ms
from server.context import ServerContext
from server.db import Command, Room, Sitting, Token
from server.deps import refuse_admin
from server.errors import ApiError
from server.ledger import status_of
from server.models import HeartbeatBody
from server.phone.intake import note_phone_stop, view_of
from server.phone.models import PhonePairing, PhoneState, ensure_tables
from server.security import candidate_for_token, token_digest, token_ticket
from server.validation import json_model


def parse_body(raw: bytes, content_type: str | None) -> dict[str, Any]:
    """The allow-listed fields (HeartbeatBody), parsed as strictly as every JSON body."""
    return json_model(HeartbeatBody, raw, content_type, "a heartbeat is JSON (application/json)",
                      "心跳须为 JSON 格式").model_dump()


def _statement() -> Any:
    """Everything a heartbeat reads, in one round trip: the token, the sitting and its room, how many
    commands wait, and the phone (its state, or a pairing waiting to be claimed)."""
    waiting_commands = select(func.count()).where(Command.sitting_id == Sitting.sitting_id,
                                                  Command.acked_at_ms.is_(None)).scalar_subquery()
    waiting_pairing = select(PhonePairing.pairing_id).where(
        PhonePairing.sitting_id == Sitting.sitting_id, PhonePairing.claimed_at_ms.is_(None),
        PhonePairing.expires_at_ms > bindparam("now")).limit(1).scalar_subquery()
    phone = [c.label(PHONE + c.key) for c in PhoneState.__table__.columns]
    return (select(Token.ticket.label("token_ticket"), Token.revoked.label("token_revoked"),
                   Token.expires_at_ms.label("token_expires_at_ms"),
                   Sitting.ticket, Sitting.extension_s, Sitting.acked_seq, Sitting.ended_at_ms, Sitting.submitted_at_ms,
                   Room.start_at_ms, Room.duration_s, waiting_commands.label("waiting_commands"),
                   waiting_pairing.label("waiting_pairing"), *phone)
            .select_from(Sitting).join(Room, Room.room_id == Sitting.room_id)
            .outerjoin(Token, Token.token_sha256 == bindparam("digest"))
            .outerjoin(PhoneState, PhoneState.sitting_id == Sitting.sitting_id)
            .where(Sitting.sitting_id == bindparam("sid")))


PHONE = "phone_"
STATEMENT = _statement()
PENDING = (select(Command.id, Command.type, Command.body)
           .where(Command.sitting_id == bindparam("sid"), Command.acked_at_ms.is_(None)).order_by(Command.id))


def heartbeat(ctx: ServerContext, sitting_id: str, token: str, raw: bytes, content_type: str | None = "application/json"
              ) -> dict[str, Any]:
    refuse_admin(ctx, token)
    ensure_tables(ctx.db)
    now = ctx.now_ms()
    with ctx.db.read() as s:
        row = s.execute(STATEMENT, {"sid": sitting_id, "digest": token_digest(token), "now": now}).first()
        if row is None:   # no such sitting: the token still answers first
            candidate_for_token(s, token, now)
            parse_body(raw, content_type)
            raise ApiError("not_found", "考试场次不存在", "no such sitting", sitting_id=sitting_id)
        ticket = token_ticket(row.token_ticket, row.token_revoked, row.token_expires_at_ms or 0, now)
        body = parse_body(raw, content_type)
        if row.ticket != ticket:
            raise ApiError("auth.forbidden", "这不是您的考试场次", "this sitting belongs to another candidate")
        ctx.heartbeat_rate.take(sitting_id, now)   # 429 before anything is stored
        pending = s.execute(PENDING, {"sid": sitting_id}).all() if row.waiting_commands else []
    fields = row._mapping
    st = SimpleNamespace(**{k[len(PHONE):]: fields[k] for k in fields if k.startswith(PHONE)})
    phone, phone_stopped = view_of(ctx, st if st.sitting_id is not None else None, row.waiting_pairing is not None, now)
    both: Any = row  # the row carries the sitting's and the room's columns the rules read
    deadline, status = deadline_ms(both, both), status_of(both, both, now)
    committed = None
    if now <= close_ms(both, both):
        committed = min(row.acked_seq + int(body.get("pending_ops", 0)), 10_000_000)
    acked = {int(c[2:]) for c in body.get("acked_commands", []) if c.startswith("c-") and c[2:].isascii() and c[2:].isdigit()}
    done = [c.id for c in pending if c.id in acked]
    if done:
        with ctx.db.write() as s:
            s.execute(update(Command).where(Command.id.in_(done), Command.acked_at_ms.is_(None))
                      .values(acked_at_ms=now))
    if phone_stopped:
        phone = note_phone_stop(ctx, sitting_id)
    ctx.heartbeats.add(sitting_id, now, body, committed_seq=committed)
    return {"commands": [dict(c.body, id="c-%d" % c.id, type=c.type) for c in pending if c.id not in acked],
            "extension_s": row.extension_s, "deadline_ms": deadline, "status": status, "acked_seq": row.acked_seq,
            "phone": phone}
