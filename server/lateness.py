"""A proctor's decisions on answers that arrived after their sitting closed (the console's button).

Every answer the server received after the close has a row in op_timing: `late` ones do not count
unless accepted; `client_clock` ones count (made offline before the close, on the client's word)
unless rejected. A decision is recorded with who made it and why, in the audit log as well.
"""

from typing import Any

from sqlalchemy import select

from server import audit, closing
from server.context import ServerContext
from server.db import Op, OpTiming
from server.errors import ApiError
from server.ledger import owned_sitting
from server.results import result_of

DECISIONS = {"accept": "accepted", "reject": "rejected"}


def _view(op: Op, t: OpTiming) -> dict[str, Any]:
    return {"seq": op.seq, "question_id": op.payload.get("question_id"), "value": op.payload.get("value"),
            "t_exam_ms": op.t_exam_ms, "received_at_ms": op.received_at_ms, "source": op.source,
            "basis": t.basis, "reason": t.reason, "counts": counts(op, t), "decision": t.decision,
            "decided_by": t.decided_by, "decided_at_ms": t.decided_at_ms, "note": t.note}


def counts(op: Op, t: OpTiming | None) -> bool:
    return closing.counts(op.late, t.decision if t is not None else None)


def late_ops(ctx: ServerContext, sitting_id: str) -> dict[str, Any]:
    """Every answer of the sitting that arrived after the close, with how it was judged."""
    with ctx.db.read() as s:
        owned_sitting(s, sitting_id, None)
        rows = s.execute(select(Op, OpTiming).join(OpTiming, (OpTiming.sitting_id == Op.sitting_id)
                                                   & (OpTiming.seq == Op.seq)).where(Op.sitting_id == sitting_id)
                         .order_by(Op.seq)).all()
        return {"sitting_id": sitting_id, "ops": [_view(op, t) for op, t in rows]}


def decide_late_ops(ctx: ServerContext, sitting_id: str, seqs: list[int], decision: str, by: str,
                    note: str = "") -> dict[str, Any]:
    """Accept (count) or reject (not count) answers that arrived after the close; audited.
    The receipt already signed stays as it was; the result follows the decision."""
    if decision not in DECISIONS:
        raise ApiError("request.invalid", "decision 须为 accept 或 reject", "decision must be accept or reject")
    wanted = sorted(set(seqs))
    with ctx.db.write() as s:
        sitting = owned_sitting(s, sitting_id, None, lock=True)
        timings = {t.seq: t for t in s.scalars(select(OpTiming).where(OpTiming.sitting_id == sitting_id,
                                                                      OpTiming.seq.in_(wanted)))}
        missing = [n for n in wanted if n not in timings]
        if missing:
            raise ApiError("ops.not_late", "操作 %s 不是考试结束后收到的作答" % missing[:10],
                           "ops %s are not answers received after the close" % missing[:10], seqs=missing[:50])
        now = ctx.now_ms()
        for t in timings.values():
            t.decision, t.decided_by, t.decided_at_ms, t.note = DECISIONS[decision], by, now, note or None
        audit.record(s, now, by, "late_ops." + decision, sitting_id, None, seqs=wanted, note=note)
        s.flush()
        ops = {o.seq: o for o in s.scalars(select(Op).where(Op.sitting_id == sitting_id, Op.seq.in_(wanted)))}
        decided = [_view(ops[n], timings[n]) for n in wanted]
        result = result_of(ctx, s, sitting)
    return {"sitting_id": sitting_id, "decided": decided, "result": result}
