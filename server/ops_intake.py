"""Answer ops, a hot path (every candidate, every ~20 s): authenticated, parsed and checked in one worker
thread, then appended in the process's next group commit (server/commit_group.py) with
prebuilt Core statements (the sitting and its room in one read, the ops in one executemany, the chain head
in one update; no ORM object). The rules are server/ledger.py's `ingest`, unchanged: the same code runs for
a sealed hand-in.

A body of at most SMALL_BODY declared bytes (every answer, a few hundred bytes) is read before the token is
looked up but parsed only after it, as the heartbeat's; a larger or undeclared one (a batch after a long
offline spell) is authenticated before a byte of it is read. Either way an unknown token answers 401 first.
"""

from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.exc import IntegrityError

from server.context import ServerContext
from server.db import Room, Sitting, retrying
from server.deps import candidate_of
from server.ledger import conflict, ingest, owned, paper_of, prepare, room_gone
from server.models import OpsBody
from server.validation import json_model

SMALL_BODY = 64 * 1024
_SITTINGS, _ROOMS = cast(Table, Sitting.__table__), cast(Table, Room.__table__)
_S, _R = _SITTINGS.c, _ROOMS.c
# what ingest reads of a sitting and its room; on PostgreSQL the sitting's row is locked (NO KEY: heartbeat
# history and other rows that only refer to the sitting do not wait), SQLite's writers are serialised anyway
SITTING_ROW = (select(_S.sitting_id, _S.ticket, _S.room_id, _S.kind, _S.extension_s, _S.acked_seq, _S.chain_head,
                      _S.ended_at_ms, _S.submitted_at_ms, _R.room_id.label("room_found"), _R.start_at_ms,
                      _R.duration_s)
               .select_from(_SITTINGS.outerjoin(_ROOMS, _R.room_id == _S.room_id))
               .where(_S.sitting_id == bindparam("sid"))
               .with_for_update(of=_SITTINGS, key_share=True))
NEW_HEAD = (update(_SITTINGS).where(_S.sitting_id == bindparam("sid"))
            .values(acked_seq=bindparam("new_seq"), chain_head=bindparam("new_head")))


def declared_small(headers: Any) -> bool:
    """A body short enough to read before its token is looked up (its length declared, at most SMALL_BODY)."""
    length = headers.get("content-length")
    return length is not None and length.isascii() and length.isdigit() and int(length) <= SMALL_BODY


def ops_request(ctx: ServerContext, sitting_id: str, token: str, raw: bytes, content_type: str | None,
                ticket: str | None = None) -> dict[str, Any]:
    """The whole request (in a worker thread). `ticket`: already looked up (a large body), else from `token`."""
    if ticket is None:
        ticket = candidate_of(ctx, token)
    body = json_model(OpsBody, raw, content_type, "an ops batch is JSON (application/json)", "操作批次须为 JSON 格式")
    return post_ops(ctx, sitting_id, ticket, [op.model_dump() for op in body.ops])


def _owned(row: Any, sitting_id: str, ticket: str | None) -> SimpleNamespace:
    owned(row, sitting_id, ticket)
    if row.room_found is None:
        raise room_gone(row.room_id)
    return SimpleNamespace(**row._mapping)   # ingest reads the sitting's and the room's columns from it


@retrying
def post_ops(ctx: ServerContext, sitting_id: str, ticket: str | None, ops: list[dict[str, Any]]) -> dict[str, Any]:
    """Append `ops` (idempotent: resends are acknowledged, forks and gaps refused with the state held)."""
    prepared = prepare(paper_of(ctx, sitting_id, ticket), ops)   # outside the write lock

    def append(s: Any) -> dict[str, Any]:
        sitting = _owned(s.execute(SITTING_ROW, {"sid": sitting_id}).first(), sitting_id, ticket)
        held = sitting.acked_seq
        ingest(ctx, s, sitting, prepared, room=sitting)
        if sitting.acked_seq != held:
            s.execute(NEW_HEAD, {"sid": sitting_id, "new_seq": sitting.acked_seq, "new_head": sitting.chain_head})
        return {"acked_seq": sitting.acked_seq, "chain_head": sitting.chain_head}

    try:
        return ctx.commits.run(sitting_id, append)   # with other candidates' ops that came in meanwhile
    except IntegrityError:
        # another process appended the same seq first: answer like a gap, with the state that won
        with ctx.db.read() as s:
            raise conflict("ops.gap", _owned(s.execute(SITTING_ROW, {"sid": sitting_id}).first(), sitting_id,
                                             ticket)) from None
