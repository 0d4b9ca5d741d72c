"""What a proctor does to a sitting, each through the server's existing path and into the audit log:
a message, extra time, ending the sitting (server/ledger.command, as the admin API's commands), a
hand-in file received late (server/ledger.import_sealed, as the admin API's sealed import), and the
review of a flag. The caller has checked that the sitting is in one of the actor's rooms.
"""

from typing import Any, Callable

from server import ledger, sealed_import
from server.console import audit
from server.console.accounts import Actor
from server.console.flags import OUTCOMES, SEVERITY_POINTS
from server.context import ServerContext
from server.db import FlagReview, Op
from server.errors import ApiError


def _audited(ctx: ServerContext, actor: Actor, action: str, room_id: str, sitting_id: str, reason: str | None,
             details: dict[str, Any], run: Callable[[], dict[str, Any]],
             summary: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
    entry = audit.begin(ctx, actor, action, reason=reason, room_id=room_id, sitting_id=sitting_id, details=details)
    try:
        out = run()
    except ApiError as e:
        audit.finish(ctx, entry, "refused:" + e.code)
        raise
    except BaseException as e:
        audit.finish(ctx, entry, "error:" + type(e).__name__)
        raise
    audit.finish(ctx, entry, audit.OK, **summary(out))
    return dict(out, audit_id=entry)


def _command_summary(out: dict[str, Any]) -> dict[str, Any]:
    return {"command_id": out["id"], "extension_s": out["extension_s"], "deadline_ms": out["deadline_ms"]}


def message(ctx: ServerContext, actor: Actor, room_id: str, sitting_id: str, text: str) -> dict[str, Any]:
    return _audited(ctx, actor, "command.message", room_id, sitting_id, None, {"text": text},
                    lambda: ledger.command(ctx, sitting_id, {"type": "message", "text": text}), _command_summary)


def extend(ctx: ServerContext, actor: Actor, room_id: str, sitting_id: str, seconds: int, reason: str
           ) -> dict[str, Any]:
    return _audited(ctx, actor, "command.extend", room_id, sitting_id, reason, {"seconds": seconds},
                    lambda: ledger.command(ctx, sitting_id, {"type": "extend", "seconds": seconds}), _command_summary)


def end(ctx: ServerContext, actor: Actor, room_id: str, sitting_id: str, reason: str) -> dict[str, Any]:
    return _audited(ctx, actor, "command.end", room_id, sitting_id, reason, {},
                    lambda: ledger.command(ctx, sitting_id, {"type": "end", "reason": reason}), _command_summary)


def accept_hand_in(ctx: ServerContext, actor: Actor, room_id: str, sitting_id: str, sealed: dict[str, Any],
                   reason: str, handed_in_at_ms: int | None = None) -> dict[str, Any]:
    """A sealed export the candidate handed in after the end (USB stick, e-mail to the centre):
    opened, chain-checked and ingested like the admin import, judged by when the centre received it
    (`handed_in_at_ms`, default now): answers made after the close stay marked late and are not scored."""
    if handed_in_at_ms is not None and handed_in_at_ms > ctx.now_ms():
        raise ApiError("request.invalid", "接收时间不能晚于现在", "handed_in_at_ms cannot be in the future")
    def summary(out: dict[str, Any]) -> dict[str, Any]:
        r = out.get("receipt", {})
        return {"submission_id": r.get("submission_id"), "final_seq": r.get("final_seq"), "late": r.get("late")}

    return _audited(ctx, actor, "hand_in.accept", room_id, sitting_id, reason,
                    {"format": sealed.get("format"), "bytes": len(str(sealed.get("ciphertext", ""))),
                     "handed_in_at_ms": handed_in_at_ms},
                    lambda: sealed_import.import_sealed(ctx, sealed, None, sitting_id, handed_in_at_ms), summary)


def review_flag(ctx: ServerContext, actor: Actor, room_id: str, sitting_id: str, seq: int, outcome: str,
                note: str) -> dict[str, Any]:
    """Mark a flag reviewed (again, if need be: the audit log keeps every review)."""
    if outcome not in OUTCOMES:
        raise ApiError("request.invalid", "结论须为 no_issue 或 concern", "outcome must be no_issue or concern")
    with ctx.db.write() as s:
        op = s.get(Op, (sitting_id, seq))
        p: dict[str, Any] = op.payload if op is not None and isinstance(op.payload, dict) else {}
        raw = p.get("detail")
        d: dict[str, Any] = raw if isinstance(raw, dict) else {}
        if op is None or op.kind != "event" or p.get("severity") not in SEVERITY_POINTS or d.get("state") == "end":
            raise ApiError("not_found", "没有这条标记", "no such flag", seq=seq)
        now = ctx.now_ms()
        row = s.get(FlagReview, (sitting_id, seq))
        before = None if row is None else {"outcome": row.outcome, "note": row.note, "reviewer": row.reviewer}
        if row is None:
            row = FlagReview(sitting_id=sitting_id, seq=seq)
            s.add(row)
        row.outcome, row.note, row.reviewer, row.reviewed_at_ms = outcome, note, actor.username, now
        audit.record_in(s, now, actor, "flag.review", reason=note, room_id=room_id, sitting_id=sitting_id,
                        target="event:%d" % seq, details={"outcome": outcome, "type": p.get("type"),
                                                          "severity": p.get("severity"), "before": before})
    return {"sitting_id": sitting_id, "seq": seq, "outcome": outcome, "note": note, "reviewer": actor.username,
            "reviewed_at_ms": now}
