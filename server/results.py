"""Scoring (examcore.paper.score_paper), essay marks, and the documents windows in working days."""

import datetime as dt
from typing import Any

from sqlalchemy import select

from examcore.paper import score_paper
from server.closing import results_released_at_ms
from server.context import ServerContext
from server.db import Candidate, Mark, PanelScore, Presence, Room, Sitting, Upload
from server.errors import ApiError
from server.ledger import final_answers, owned_sitting, room_of, status_of
from server.registry import load_paper

CHINA = dt.timezone(dt.timedelta(hours=8))  # exam dates are Beijing dates; no DST
DOCUMENT_PARTS = {"中级": "practical", "高级": "comprehensive"}


def result_of(ctx: ServerContext, session, sitting: Sitting) -> dict[str, Any]:
    room = session.get(Room, sitting.room_id)
    paper = load_paper(session, room.paper_id)
    status = status_of(room, sitting, ctx.now_ms())
    out: dict[str, Any] = {"status": "pending", "objective_score": 0, "objective_max": 0, "essay_max": 0,
                           "essay_score": None, "total": None, "pass_mark": paper.pass_mark, "passed": None}
    if status not in ("submitted", "ended"):
        return out
    sheet = score_paper(paper, final_answers(session, sitting.sitting_id))
    # points sum to 100 by the paper rules; scale anyway so a total is always out of 100
    scale = 100.0 / paper.total_points
    out.update(objective_score=round(sheet.objective_score * scale, 2),
               objective_max=round(sheet.objective_max * scale, 2), essay_max=round(sheet.essay_max * scale, 2),
               per_question=sheet.per_question)
    essays = [q.id for q in paper.questions if not q.objective]
    marks = {m.question_id: m.points for m in session.scalars(select(Mark).where(
        Mark.sitting_id == sitting.sitting_id))}
    if essays and not all(q in marks for q in essays):
        out["status"] = "provisional"
        out["marked"] = sorted(q for q in essays if q in marks)
        return out
    essay_score = round(sum(marks.get(q, 0.0) for q in essays) * scale, 2)
    total = round(sheet.objective_score * scale + essay_score, 2)
    out.update(status="final", essay_score=essay_score if essays else None, total=total,
               passed=total >= paper.pass_mark)
    return out


def released_at_ms(session, room: Room, sitting: Sitting) -> int | None:
    """When the candidate may see this sitting's result (docs/protocol.md, "Result"); None: once
    the sitting is submitted or closed. A formal result waits until no answer of the room can count
    any more, so nobody can learn from a score while anyone of the room may still answer."""
    if sitting.kind != "formal":
        return None
    sittings = list(session.scalars(select(Sitting).where(Sitting.room_id == room.room_id)))
    return results_released_at_ms(room, sittings)


def sitting_result(ctx: ServerContext, sitting_id: str, ticket: str | None) -> dict[str, Any]:
    with ctx.db.read() as s:
        sitting = owned_sitting(s, sitting_id, ticket)
        room = room_of(s, sitting)
        now = ctx.now_ms()
        release = released_at_ms(s, room, sitting)
        finished = status_of(room, sitting, now) in ("submitted", "ended")
        if not finished or (release is not None and now < release):
            paper = load_paper(s, room.paper_id)
            return {"status": "pending", "objective_score": None, "objective_max": None, "essay_max": None,
                    "essay_score": None, "total": None, "pass_mark": paper.pass_mark, "passed": None,
                    "available_at_ms": release, "waiting_for": "release" if finished else "submission"}
        out = result_of(ctx, s, sitting)
        out.pop("per_question", None)  # candidates see totals; staff use the room results
        return out


def mark(ctx: ServerContext, sitting_id: str, question_id: str, points: float) -> dict[str, Any]:
    with ctx.db.write() as s:
        sitting = owned_sitting(s, sitting_id, None)
        paper = load_paper(s, room_of(s, sitting).paper_id)
        q = next((q for q in paper.questions if q.id == question_id), None)
        if q is None or q.objective:
            raise ApiError("ops.unknown_question", "试卷中没有主观题 %r" % question_id,
                           "no essay question %r in the paper" % question_id, question_id=question_id)
        if not 0 <= points <= q.points:
            raise ApiError("request.invalid", "分数须在 0 到 %g 之间" % q.points, "points must be 0..%g" % q.points)
        row = s.scalar(select(Mark).where(Mark.sitting_id == sitting_id, Mark.question_id == question_id))
        if row is None:
            row = Mark(sitting_id=sitting_id, question_id=question_id)
            s.add(row)
        row.points, row.marked_at_ms = float(points), ctx.now_ms()
    with ctx.db.read() as s:
        return result_of(ctx, s, owned_sitting(s, sitting_id, None))


def attendance(ctx: ServerContext, session, room: Room, sitting: Sitting, now_ms: int) -> str:
    """status_of, except that a sitting the server never heard from once its time began is `absent`
    (the candidate never logged in to it: no op, no heartbeat, no submission), not `in_progress`/`ended`."""
    status = status_of(room, sitting, now_ms)
    if status in ("in_progress", "ended") and sitting.acked_seq == 0 and sitting.submitted_at_ms is None and \
            session.get(Presence, sitting.sitting_id) is None and not ctx.heartbeats.queued(sitting.sitting_id):
        return "absent"   # (heartbeats are written in batches: one still queued counts too)
    return status


def room_results(ctx: ServerContext, room_id: str) -> dict[str, Any]:
    with ctx.db.read() as s:
        room = s.get(Room, room_id)
        if room is None:
            raise ApiError("not_found", "考场不存在", "no such room", room_id=room_id)
        rows = []
        for sitting in s.scalars(select(Sitting).where(Sitting.room_id == room_id).order_by(Sitting.ticket)):
            cand = s.get(Candidate, sitting.ticket)
            if cand is None:
                raise ApiError("not_found", "考生 %s 不存在" % sitting.ticket, "no candidate %s" % sitting.ticket,
                               ticket=sitting.ticket)
            res = result_of(ctx, s, sitting)
            rows.append(dict(res, sitting_id=sitting.sitting_id, ticket=cand.ticket, name=cand.name,
                             attempt=sitting.attempt, retake=sitting.attempt > 1,
                             sitting_status=attendance(ctx, s, room, sitting, ctx.now_ms())))
        return {"room_id": room_id, "paper_id": room.paper_id, "part": room.part, "kind": room.kind,
                "results": rows}


# -- documents (practical / comprehensive) ------------------------------------------------------
def is_working_day(day: dt.date, holidays: set[str], makeup_workdays: set[str]) -> bool:
    """Mon-Fri unless a holiday; a weekend day the calendar moves work to (调休) counts too."""
    iso = day.isoformat()
    if iso in makeup_workdays:
        return True
    return day.weekday() < 5 and iso not in holidays


def working_day_deadline(exam_ms: int, working_days: int, holidays: list[str],
                         makeup_workdays: list[str] | None = None) -> int:
    """End (23:59:59.999 Beijing time) of the Nth working day after the exam's date."""
    day = dt.datetime.fromtimestamp(exam_ms / 1000, CHINA).date()
    off, on = set(holidays), set(makeup_workdays or [])
    counted = 0
    while counted < working_days:
        day += dt.timedelta(days=1)
        if is_working_day(day, off, on):
            counted += 1
    end = dt.datetime.combine(day, dt.time(23, 59, 59, 999000), CHINA)
    return int(end.timestamp() * 1000)


def windows_for(ctx: ServerContext, session, ticket: str) -> list[dict[str, Any]]:
    cand = session.get(Candidate, ticket)
    out = []
    for sitting in session.scalars(select(Sitting).where(Sitting.ticket == ticket, Sitting.kind == "formal")):
        room = session.get(Room, sitting.room_id)
        if sitting.part == "theory":
            part = DOCUMENT_PARTS.get(cand.level)
            if part is None:
                continue
        else:
            part = sitting.part
        docs = session.scalars(select(Upload).where(Upload.sitting_id == sitting.sitting_id, Upload.purpose == "document",
                                                    Upload.status != "deleted").order_by(Upload.created_at_ms))
        out.append({"part": part, "sitting_id": sitting.sitting_id, "opens_at_ms": room.start_at_ms,
                    "deadline_ms": working_day_deadline(room.start_at_ms, ctx.settings.document_working_days,
                                                        ctx.settings.holidays, ctx.settings.makeup_workdays),
                    "working_days": ctx.settings.document_working_days,
                    "max_bytes": ctx.policy["max_document_bytes"], "types": ctx.policy["document_types"],
                    "documents": [upload_view(u) for u in docs],
                    "assessment": _assessment(session.get(PanelScore, (sitting.sitting_id, part)))})
    return out


def _assessment(row: PanelScore | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"total": row.total, "pass_mark": 80, "passed": row.total >= 80, "panel_size": len(row.members),
            "scored_at_ms": row.scored_at_ms}


def panel_score(ctx: ServerContext, sitting_id: str, part: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    """Record a panel's scores for a practical / comprehensive window; the result is their mean."""
    names = [m["name"].strip() for m in members]
    if len(set(names)) != len(names) or len(names) < 3 or len(names) % 2 == 0:
        raise ApiError("panel.size", "评审组须由 3 名及以上的奇数名不同成员组成，现为 %d 名" % len(set(names)),
                       "a panel needs an odd number (at least 3) of distinct members; got %d" % len(set(names)),
                       members=len(set(names)))
    with ctx.db.write() as s:
        sitting = owned_sitting(s, sitting_id, None)
        if not any(w["part"] == part for w in windows_for(ctx, s, sitting.ticket) if w["sitting_id"] == sitting_id):
            raise ApiError("not_found", "该场次没有“%s”材料环节" % part, "this sitting has no %s window" % part)
        row = s.get(PanelScore, (sitting_id, part)) or PanelScore(sitting_id=sitting_id, part=part)
        row.members = [{"name": n, "score": float(m["score"])} for n, m in zip(names, members)]
        row.total = round(sum(float(m["score"]) for m in members) / len(members), 2)
        row.scored_at_ms = ctx.now_ms()
        s.add(row)
        s.flush()
        return dict(_assessment(row) or {}, sitting_id=sitting_id, part=part)


def document_window(ctx: ServerContext, session, sitting: Sitting) -> dict[str, Any] | None:
    for w in windows_for(ctx, session, sitting.ticket):
        if w["sitting_id"] == sitting.sitting_id:
            return w
    return None


def upload_view(u: Upload) -> dict[str, Any]:
    return {"upload_id": u.upload_id, "filename": u.filename, "purpose": u.purpose, "size": u.size,
            "offset": u.offset, "sha256": u.sha256, "verified": u.status == "verified", "status": u.status,
            "event_seq": u.event_seq, "created_at_ms": u.created_at_ms, "completed_at_ms": u.completed_at_ms}
