"""A sitting as the console shows it: its flags (ranked, with their evidence), and one timeline of
events, answers (counted, never their content), heartbeats folded into spans of the same state and
devices (a silence longer than the offline limit is its own entry), commands, snapshots, phone frames,
staff actions from the audit log, and the hand-in.
"""

from typing import Any

from sqlalchemy import select

from server.console import audit
from server.console import flags as F
from server.console.grid import DEVICES, latest_heartbeats, offline_after_ms, state_of
from server.console.opscan import SCAN
from server.console.sources import evidence_of, phone
from server.context import ServerContext
from server.db import Candidate, Command, Heartbeat, Op, Sitting
from server.ledger import detail, room_of

ANSWER_GROUP_MS = 60_000   # answers closer than this are one entry


def _check_summary(report: Any) -> dict[str, Any]:
    if not isinstance(report, dict):
        return {}
    return {str(k)[:32]: (v if isinstance(v, str) else (v.get("verdict") or v.get("status"))
                          if isinstance(v, dict) else None) for k, v in list(report.items())[:20]}


def _heartbeat_entries(rows: list[Heartbeat], offline_ms: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    span: dict[str, Any] | None = None
    for hb in rows:
        body = hb.body if isinstance(hb.body, dict) else {}
        key = {"state": str(body.get("state", ""))[:32], **{d: str(body.get(d, ""))[:32] for d in DEVICES}}
        if span is not None and hb.received_at_ms - span["until_ms"] > offline_ms:
            out.append({"t_ms": span["until_ms"], "type": "silence", "until_ms": hb.received_at_ms,
                        "seconds": round((hb.received_at_ms - span["until_ms"]) / 1000)})
            span = None
        if span is None or span["status"] != key:
            span = {"t_ms": hb.received_at_ms, "type": "status", "status": key, "until_ms": hb.received_at_ms,
                    "beats": 0}
            out.append(span)
        span["until_ms"], span["beats"] = hb.received_at_ms, span["beats"] + 1
    return out


def sitting_view(ctx: ServerContext, s, sitting: Sitting) -> dict[str, Any]:
    now = ctx.now_ms()
    sid = sitting.sitting_id
    room = room_of(s, sitting)
    cand = s.get(Candidate, sitting.ticket)
    evidence = evidence_of(ctx, s, sid)
    by_event: dict[int, list[dict[str, Any]]] = {}
    for e in evidence:
        if e.event_seq is not None and e.purpose == "evidence":
            by_event.setdefault(e.event_seq, []).append(e.view())
    flags = F.ranked(F.flags_of(s, {sid: sitting.acked_seq}, now).get(sid, []))
    for f in flags:
        f.evidence = list(by_event.get(f.seq, []))
    flag_seqs = {f.seq for f in flags}
    entries: list[dict[str, Any]] = []
    group: dict[str, Any] | None = None
    late: list[dict[str, Any]] = []
    for op in s.scalars(select(Op).where(Op.sitting_id == sid).order_by(Op.seq)):
        p = op.payload if isinstance(op.payload, dict) else {}
        if op.kind == "answer":
            if op.late:
                late.append({"seq": op.seq, "question_id": p.get("question_id"), "t_exam_ms": op.t_exam_ms,
                             "received_at_ms": op.received_at_ms, "source": op.source})
            if group is None or op.received_at_ms - group["until_ms"] > ANSWER_GROUP_MS:
                group = {"t_ms": op.received_at_ms, "type": "answers", "count": 0, "questions": [], "late": 0,
                         "until_ms": op.received_at_ms, "source": op.source}
                entries.append(group)
            group["count"] += 1
            group["late"] += int(op.late)
            group["until_ms"] = op.received_at_ms
            if p.get("question_id") not in group["questions"] and len(group["questions"]) < 50:
                group["questions"].append(p.get("question_id"))
            continue
        if op.kind == "event":
            entries.append({"t_ms": op.received_at_ms, "type": "event", "seq": op.seq, "t_exam_ms": op.t_exam_ms,
                            "event": str(p.get("type", ""))[:64], "severity": p.get("severity"),
                            "detail": p.get("detail") if isinstance(p.get("detail"), dict) else {},
                            "flag": op.seq in flag_seqs, "evidence": by_event.get(op.seq, [])})
        elif op.kind == "consent":
            entries.append({"t_ms": op.received_at_ms, "type": "consent", "seq": op.seq})
        elif op.kind == "check_report":
            entries.append({"t_ms": op.received_at_ms, "type": "check_report", "seq": op.seq,
                            "summary": _check_summary(p.get("report"))})
    beats = list(s.scalars(select(Heartbeat).where(Heartbeat.sitting_id == sid).order_by(Heartbeat.id)))
    entries += _heartbeat_entries(beats, offline_after_ms(ctx))
    for c in s.scalars(select(Command).where(Command.sitting_id == sid).order_by(Command.id)):
        entries.append({"t_ms": c.created_at_ms, "type": "command", "id": "c-%d" % c.id, "command": c.type,
                        "body": c.body, "acked_at_ms": c.acked_at_ms})
    for e in evidence:
        if e.purpose == "snapshot":
            entries.append({"t_ms": e.at_ms, "type": "snapshot", "evidence": e.view()})
    for a in reversed(audit.entries(s, sitting_id=sid, limit=500)):
        entries.append({"t_ms": a["at_ms"], "type": "audit", "action": a["action"], "actor": a["actor"],
                        "reason": a["reason"], "outcome": a["outcome"], "details": a["details"]})
    if sitting.submitted_at_ms is not None and sitting.receipt:
        r = sitting.receipt.get("receipt", {})
        entries.append({"t_ms": sitting.submitted_at_ms, "type": "submit", "reason": r.get("reason"),
                        "late": r.get("late"), "final_seq": r.get("final_seq")})
    second = phone(ctx, sid)
    for e in second["events"]:
        entries.append({"t_ms": e["at_ms"], "type": "phone", "event": str(e["type"])[:32], "detail": e["detail"]})
    hb_at, hb = latest_heartbeats(s, [sid]).get(sid, (None, {}))
    contacts = [t for t in (hb_at, SCAN.read(s, {sid: sitting.acked_seq})[sid].last_received_ms) if t is not None]
    last = max(contacts) if contacts else None
    state, since = state_of(sitting.submitted_at_ms, str(hb.get("state", ""))[:32], last, now, offline_after_ms(ctx))
    current = {"state": state, "since_ms": since, "last_contact_ms": last,
               "devices": {d: str(hb.get(d, ""))[:32] for d in DEVICES}}
    entries.sort(key=lambda e: (e["t_ms"], e.get("seq", 0)))
    return {"sitting": detail(s, sitting, now), "ticket": sitting.ticket, "name": cand.name if cand else "",
            "room_id": room.room_id, "now": current, "flags": [f.view() for f in flags], "priority": F.priority(flags),
            "band": F.band(F.priority(flags)), "late_answers": late, "phone": second,
            "snapshots": [e.view() for e in evidence if e.purpose == "snapshot" and e.readable],
            "entries": entries}
