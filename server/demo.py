"""Demo data: server/demo_data (papers, candidates.csv, demo.json), with an inline fallback."""

import csv
import json
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import select

from server.context import ServerContext
from server.db import Candidate, PaperRow, Room, Sitting
from server.errors import ApiError
from server.registry import add_candidate, create_room, import_paper

log = logging.getLogger("examdesk.server.demo")
DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
DEMO_PASSWORD = "demo1234"


def _fallback_paper() -> dict[str, Any]:
    # a minimal paper of every question kind, so a demo never depends on the data files
    return {"format": "examdesk-paper/1", "paper_id": "demo-fallback-mock", "title": "客服联络咨询师 演示试卷",
            "level": "中级", "kind": "mock", "duration_minutes": 120, "pass_mark": 80, "instructions": "演示用试卷。",
            "questions": [
                {"id": "q1", "kind": "single", "text": "“首次解决率”的英文缩写是？", "points": 25,
                 "options": [{"key": "A", "text": "AHT"}, {"key": "B", "text": "FCR"}], "answer": "B"},
                {"id": "q2", "kind": "multiple", "text": "下列哪些属于服务水平指标？", "points": 25,
                 "options": [{"key": "A", "text": "接通率"}, {"key": "B", "text": "平均处理时长"},
                             {"key": "C", "text": "办公室面积"}], "answer": ["A", "B"]},
                {"id": "q3", "kind": "true_false", "text": "处理投诉时应先倾听客户诉求。", "points": 25, "answer": True},
                {"id": "q4", "kind": "essay", "text": "简述处理客户投诉的基本步骤。", "points": 25, "max_chars": 500}]}


def load_demo_files(demo_dir: Path = DEMO_DIR) -> tuple[dict[str, dict], list[dict[str, str]], dict[str, Any]]:
    papers: dict[str, dict] = {}
    for p in sorted(demo_dir.glob("*.paper.json")):
        try:
            papers[p.name] = json.loads(p.read_text(encoding="utf-8"))
        except ValueError as e:
            log.warning("skipping demo paper %s: %s", p.name, e)
    cands: list[dict[str, str]] = []
    if (demo_dir / "candidates.csv").exists():
        with open(demo_dir / "candidates.csv", encoding="utf-8-sig", newline="") as f:
            cands = list(csv.DictReader(f))
    spec = json.loads((demo_dir / "demo.json").read_text(encoding="utf-8")) if (demo_dir / "demo.json").exists() else {}
    if not papers:
        papers = {"fallback.paper.json": _fallback_paper()}
    if not cands:
        cands = [{"ticket": "DEMO-001", "id_number": "110101199001011234", "name": "演示考生", "level": "中级",
                  "password": DEMO_PASSWORD}]
    return papers, cands, spec


def seed_demo(ctx: ServerContext, demo_dir: Path = DEMO_DIR) -> dict[str, Any]:
    """Idempotent: papers and candidates are upserted; rooms are created once (by room_id)."""
    papers, cands, spec = load_demo_files(demo_dir)
    if spec.get("holidays") and not ctx.settings.holidays:
        ctx.settings.holidays = list(spec["holidays"])
        ctx.settings.makeup_workdays = list(spec.get("makeup_workdays", []))
    paper_ids = {name: import_paper(ctx, data)["paper_id"] for name, data in papers.items()}
    retakes = spec.get("retakes", {})
    with ctx.db.read() as s:
        known = {c.ticket for c in s.scalars(select(Candidate))}
    for c in cands:
        if c["ticket"] not in known:  # scrypt is slow: do not re-hash on every start
            add_candidate(ctx, c["ticket"], c["id_number"], c["name"], c["level"], c.get("password") or DEMO_PASSWORD,
                          retakes.get(c["ticket"]))
    rooms = spec.get("rooms") or _default_rooms(ctx, paper_ids, cands)
    now = ctx.now_ms()
    created = []
    for r in rooms:
        start = now if r.get("start") == "now" else now + int(r.get("start_in_s", ctx.settings.demo_start_in_s)) * 1000
        if r.get("kind") == "formal" and "start_in_s" in r:
            start = now + ctx.settings.demo_start_in_s * 1000  # --demo-start-in decides the countdown
        if r.get("room_id") and _retime_if_untouched(ctx, r["room_id"], start):
            continue
        paper = r.get("paper")
        paper_id = paper_ids[paper] if paper in paper_ids else r.get("paper_id")
        try:
            if paper_id is None:   # create_room would refuse it as load_paper does: logged below
                raise ApiError("not_found", "试卷不存在", "no such paper", paper_id=None)
            created.append(create_room(ctx, paper_id, r.get("part", "theory"), r.get("kind", "formal"), start,
                                       int(r.get("duration_minutes", 120)) * 60, list(r["candidates"]),
                                       list(r.get("proctors", [])), room_id=r.get("room_id")))
        except ApiError as e:
            log.warning("demo room %s not created: %s", r.get("room_id"), e.message_en)
    return {"papers": sorted(paper_ids.values()), "candidates": cands, "rooms": created}


def _retime_if_untouched(ctx: ServerContext, room_id: str, start_ms: int) -> bool:
    """True if the room exists. A demo room nobody has used yet moves to the new start time,
    so a demo started again tomorrow still shows a countdown and an open mock exam."""
    with ctx.db.write() as s:
        room = s.get(Room, room_id)
        if room is None:
            return False
        sittings = list(s.scalars(select(Sitting).where(Sitting.room_id == room_id)))
        if all(x.acked_seq == 0 and x.receipt is None and x.extension_s == 0 for x in sittings):
            room.start_at_ms = start_ms
        return True


def _default_rooms(ctx: ServerContext, paper_ids: dict[str, str], cands: list[dict[str, str]]) -> list[dict]:
    with ctx.db.read() as s:
        rows: dict[str, PaperRow] = {}
        for pid in paper_ids.values():
            row = s.get(PaperRow, pid)
            if row is None:   # just imported by seed_demo
                raise ApiError("not_found", "试卷不存在", "no such paper", paper_id=pid)
            rows[pid] = row
    mock = next((pid for pid, r in rows.items() if r.kind == "mock"), next(iter(rows)))
    rooms: list[dict[str, Any]] = [{"room_id": "demo-mock", "paper_id": mock, "kind": "mock", "start": "now",
                                    "candidates": [c["ticket"] for c in cands], "proctors": ["监考甲", "监考乙"]}]
    for pid, r in rows.items():
        same = [c["ticket"] for c in cands if c["level"] == r.level]
        if r.kind == "formal" and same:
            rooms.append({"room_id": "demo-formal-" + pid, "paper_id": pid, "kind": "formal", "start_in_s": 0,
                          "candidates": same, "proctors": ["监考甲", "监考乙"]})
    return rooms
