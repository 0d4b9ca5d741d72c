"""The demo papers, candidates and rooms in server/demo_data are valid and consistent.

The demo is what people see first, so a broken answer key or a room that breaks the proctor
ratio must fail here, not in front of an audience.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import unicodedata
from pathlib import Path
from typing import Any, Dict, List

import pytest

from examcore.paper import KINDS, LEVELS, Paper, PaperError, paper_from_dict, score_paper, score_question

DEMO = Path(__file__).resolve().parents[2] / "server" / "demo_data"
PAPER_FILES = {
    "mock-junior.paper.json": ("mock", "初级", 30),
    "mock-intermediate.paper.json": ("mock", "中级", 30),
    "mock-senior.paper.json": ("mock", "高级", 30),
    "formal-junior.paper.json": ("formal", "初级", 30),
    "formal-intermediate.paper.json": ("formal", "中级", 40),
    "formal-senior.paper.json": ("formal", "高级", 30),
}
BLANK = "＿＿"
CANDIDATE_HEADER = ["ticket", "id_number", "name", "level", "password"]
TICKET_LEVEL = {"J": "初级", "M": "中级", "S": "高级"}
MAX_CANDIDATES_PER_PROCTOR = 15
MIN_PROCTORS = 2
# GB 11643-1999: weights of the first 17 digits and the check character for (sum mod 11)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def gb11643_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def id_number_problem(id_number: str) -> str:
    """'' when the 18-character ID number is well formed, else what is wrong with it."""
    if not re.fullmatch(r"\d{17}[\dX]", id_number):
        return "not 17 digits + digit/X"
    try:
        born = dt.datetime.strptime(id_number[6:14], "%Y%m%d").date()
    except ValueError:
        return "no valid birth date"
    if not dt.date(1940, 1, 1) <= born <= dt.date(2010, 12, 31):
        return "implausible birth date"
    if id_number[-1] != gb11643_check_char(id_number[:17]):
        return "wrong check digit"
    return ""


def load_json(name: str) -> Any:
    return json.loads((DEMO / name).read_text(encoding="utf-8"))


def load_paper(name: str) -> Paper:
    return paper_from_dict(load_json(name))


def load_candidates() -> List[Dict[str, str]]:
    with (DEMO / "candidates.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == CANDIDATE_HEADER
        return list(reader)


def reference_answers(paper: Paper) -> Dict[str, Any]:
    """The answer a perfect candidate gives: the key, first accepted string per blank."""
    out: Dict[str, Any] = {}
    for q in paper.questions:
        if q.kind == "fill_blank":
            out[q.id] = [accepted[0] for accepted in q.answer]
        elif q.objective:
            out[q.id] = q.answer
    return out


def norm_text(s: str) -> str:
    return re.sub(r"[\s，。、：；？！“”（）,.:;?!()\"]", "", unicodedata.normalize("NFKC", s))


# -- papers ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(PAPER_FILES))
def test_paper_loads_with_its_level_kind_and_rules(name: str) -> None:
    kind, level, min_questions = PAPER_FILES[name]
    paper = load_paper(name)  # validates format, answers and points == 100
    assert (paper.kind, paper.level) == (kind, level)
    assert len(paper.questions) >= min_questions
    assert paper.total_points == pytest.approx(100.0)
    assert paper.duration_minutes == 120 and paper.pass_mark == 80
    assert {q.kind for q in paper.questions} == set(KINDS)
    assert paper.has_answers()
    assert "120" in paper.instructions and "80" in paper.instructions
    assert "摄像头" in paper.instructions and ("切换" in paper.instructions or "离开" in paper.instructions)


@pytest.mark.parametrize("name", sorted(PAPER_FILES))
def test_question_ids_run_in_order_and_kinds_are_grouped(name: str) -> None:
    paper = load_paper(name)
    assert [q.id for q in paper.questions] == ["q%d" % i for i in range(1, len(paper.questions) + 1)]
    order = [KINDS.index(q.kind) for q in paper.questions]
    assert order == sorted(order), "questions go 单选, 多选, 判断, 填空, 简答"


@pytest.mark.parametrize("name", sorted(PAPER_FILES))
def test_options_and_keys_are_well_formed(name: str) -> None:
    paper = load_paper(name)
    for q in paper.questions:
        if q.kind not in ("single", "multiple"):
            assert not q.options, q.id
            continue
        assert q.option_keys == tuple("ABCDEF"[:len(q.options)]), q.id
        assert 4 <= len(q.options) <= (4 if q.kind == "single" else 6), q.id
        texts = [norm_text(o.text) for o in q.options]
        assert all(texts) and len(set(texts)) == len(texts), q.id
        if q.kind == "multiple":
            # 多选题: at least two right options and at least one wrong one, else it is not a choice
            assert 2 <= len(q.answer) < len(q.options), q.id


@pytest.mark.parametrize("name", sorted(PAPER_FILES))
def test_right_answers_are_spread_over_keys(name: str) -> None:
    paper = load_paper(name)
    singles = [q.answer for q in paper.questions if q.kind == "single"]
    assert len(set(singles)) >= 3, "single-choice keys should not all be the same letter"
    assert max(singles.count(k) for k in set(singles)) <= len(singles) // 2
    judged = [q.answer for q in paper.questions if q.kind == "true_false"]
    assert True in judged and False in judged


@pytest.mark.parametrize("name", sorted(PAPER_FILES))
def test_fill_blanks_match_their_markers_and_accept_variants(name: str) -> None:
    paper = load_paper(name)
    fills = [q for q in paper.questions if q.kind == "fill_blank"]
    assert fills
    for q in fills:
        assert q.text.count(BLANK) == q.blanks, q.id
        assert len(q.answer) == q.blanks
        for accepted in q.answer:
            assert accepted and all(a.strip() for a in accepted), q.id
        # every accepted variant scores, and a wrong word does not
        for i, accepted in enumerate(q.answer):
            for variant in accepted:
                value = [a[0] for a in q.answer]
                value[i] = variant
                assert score_question(q, value) == pytest.approx(q.points), (q.id, variant)
        assert score_question(q, ["不知道"] * q.blanks) == 0.0


@pytest.mark.parametrize("name", sorted(PAPER_FILES))
def test_reference_answers_score_full_marks_and_wrong_ones_score_nothing(name: str) -> None:
    paper = load_paper(name)
    perfect = score_paper(paper, reference_answers(paper))
    assert perfect.objective_score == pytest.approx(perfect.objective_max)
    assert perfect.objective_max + perfect.essay_max == pytest.approx(100.0)
    wrong: Dict[str, Any] = {}
    for q in paper.questions:
        if q.kind == "single":
            wrong[q.id] = next(k for k in q.option_keys if k != q.answer)
        elif q.kind == "multiple":
            wrong[q.id] = list(q.answer[:-1])  # one right option left out: 漏选 scores nothing
        elif q.kind == "true_false":
            wrong[q.id] = not q.answer
        elif q.kind == "fill_blank":
            wrong[q.id] = [""] * q.blanks
    assert score_paper(paper, wrong).objective_score == 0.0


@pytest.mark.parametrize("name", sorted(PAPER_FILES))
def test_essays_carry_a_marking_guide_and_a_sane_length(name: str) -> None:
    paper = load_paper(name)
    essays = [q for q in paper.questions if q.kind == "essay"]
    assert 1 <= len(essays) <= 2
    assert 10 <= sum(q.points for q in essays) <= 20
    for q in essays:
        assert 500 <= q.max_chars <= 5000, q.id
        assert q.explanation.strip(), "markers need 评分要点 for %s" % q.id


@pytest.mark.parametrize("name", sorted(n for n, v in PAPER_FILES.items() if v[0] == "mock"))
def test_mock_explains_every_objective_question(name: str) -> None:
    paper = load_paper(name)
    missing = [q.id for q in paper.questions if q.objective and len(q.explanation.strip()) < 8]
    assert missing == []


@pytest.mark.parametrize("name", sorted(n for n, v in PAPER_FILES.items() if v[0] == "formal"))
def test_formal_paper_as_served_has_no_answers(name: str) -> None:
    served = load_paper(name).without_answers().to_dict()
    for q in served["questions"]:
        assert "answer" not in q and "explanation" not in q
    assert paper_from_dict(served).has_answers() is False


def test_no_question_text_repeats_across_papers() -> None:
    seen: Dict[str, str] = {}
    for name in sorted(PAPER_FILES):
        for q in load_paper(name).questions:
            key = norm_text(q.text)
            assert key not in seen, "%s %s repeats %s" % (name, q.id, seen.get(key))
            seen[key] = "%s %s" % (name, q.id)


def test_paper_ids_are_distinct() -> None:
    ids = [load_paper(name).paper_id for name in PAPER_FILES]
    assert len(set(ids)) == len(ids)


def test_a_broken_paper_is_rejected() -> None:
    # the checks above rely on paper_from_dict; make sure it refuses a damaged demo paper
    data = load_json("formal-senior.paper.json")
    data["questions"][0]["points"] += 1
    with pytest.raises(PaperError):
        paper_from_dict(data)


# -- candidates -------------------------------------------------------------------------------
def test_gb11643_check_digit_on_the_standard_example() -> None:
    assert id_number_problem("11010519491231002X") == ""
    assert id_number_problem("110105194912310021") == "wrong check digit"
    assert id_number_problem("110105194902300028") == "no valid birth date"


def test_candidates_are_valid_and_cover_every_level() -> None:
    rows = load_candidates()
    tickets = [r["ticket"] for r in rows]
    assert len(set(tickets)) == len(tickets)
    assert len({r["id_number"] for r in rows}) == len(rows)
    assert {"DEMO-J-001", "DEMO-M-001", "DEMO-M-002", "DEMO-S-001"} <= set(tickets)
    for r in rows:
        assert re.fullmatch(r"DEMO-[JMS]-\d{3}", r["ticket"]), r
        assert id_number_problem(r["id_number"]) == "", (r["ticket"], id_number_problem(r["id_number"]))
        assert r["level"] in LEVELS and r["level"] == TICKET_LEVEL[r["ticket"][5]], r
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", r["name"]), r
        assert len(r["password"]) >= 8 and r["password"].strip() == r["password"], r
    assert {r["level"] for r in rows} == set(LEVELS)


# -- rooms ------------------------------------------------------------------------------------
def test_demo_rooms_reference_existing_papers_and_candidates() -> None:
    demo = load_json("demo.json")
    by_ticket = {r["ticket"]: r for r in load_candidates()}
    room_ids = [room["room_id"] for room in demo["rooms"]]
    assert len(set(room_ids)) == len(room_ids)
    formal_levels = set()
    for room in demo["rooms"]:
        paper = load_paper(room["paper"])
        assert room["kind"] == paper.kind and room["part"] == "theory"
        assert room.get("duration_minutes", 120) == paper.duration_minutes
        assert room.get("start") == "now" or isinstance(room.get("start_in_s"), int)
        assert room["candidates"] and len(set(room["candidates"])) == len(room["candidates"])
        for ticket in room["candidates"]:
            assert ticket in by_ticket, (room["room_id"], ticket)
            # a junior candidate practises on the junior mock: every room is of the candidate's level
            assert by_ticket[ticket]["level"] == paper.level, (room["room_id"], ticket)
        if paper.kind == "formal":
            formal_levels.add(paper.level)
    assert formal_levels == set(LEVELS), "one formal room per level"
    mock_rooms = [room for room in demo["rooms"] if room["kind"] == "mock"]
    assert sorted(load_paper(room["paper"]).level for room in mock_rooms) == sorted(LEVELS), "one mock per level"
    in_mocks = [t for room in mock_rooms for t in room["candidates"]]
    assert sorted(in_mocks) == sorted(by_ticket), "every candidate has exactly one mock exam"
    assert all(room.get("start") == "now" for room in mock_rooms)


def test_the_formal_demo_exams_start_late_enough_for_a_first_timer() -> None:
    # login, rules and the self-check take a newcomer several minutes (the server's --demo-start-in
    # overrides it; ./dev demo --formal-start-in sets that)
    formal = [room for room in load_json("demo.json")["rooms"] if room["kind"] == "formal"]
    assert formal and all(room["start_in_s"] >= 600 for room in formal)


def test_demo_rooms_meet_the_proctor_ratio() -> None:
    for room in load_json("demo.json")["rooms"]:
        proctors = room["proctors"]
        assert len(set(proctors)) == len(proctors)
        assert len(proctors) >= max(MIN_PROCTORS, math.ceil(len(room["candidates"]) / MAX_CANDIDATES_PER_PROCTOR))


def test_the_retake_candidate_has_one_earlier_attempt_and_a_formal_room() -> None:
    demo = load_json("demo.json")
    assert demo["retakes"] == {"DEMO-M-002": {"theory": 1}}
    formal = [room for room in demo["rooms"] if room["kind"] == "formal" and "DEMO-M-002" in room["candidates"]]
    assert len(formal) == 1


def test_holidays_cover_2026_and_2027() -> None:
    demo = load_json("demo.json")
    days = [dt.date.fromisoformat(d) for d in demo["holidays"]]
    assert days == sorted(set(days))
    assert {d.year for d in days} == {2026, 2027}
    known = ["2026-01-01", "2026-02-17", "2026-04-05", "2026-05-01", "2026-06-19", "2026-09-25", "2026-10-01",
             "2027-01-01", "2027-02-06", "2027-04-05", "2027-05-01", "2027-06-09", "2027-09-15", "2027-10-01"]
    assert set(known) <= set(demo["holidays"])
    makeup = [dt.date.fromisoformat(d) for d in demo.get("makeup_workdays", [])]
    assert all(d.weekday() >= 5 for d in makeup), "调休上班日 are weekend days"
    assert not set(makeup) & set(days)


def test_readme_describes_the_files() -> None:
    text = (DEMO / "README.md").read_text(encoding="utf-8")
    for name in ("mock-junior.paper.json", "mock-intermediate.paper.json", "mock-senior.paper.json", "formal-",
                 "candidates.csv", "demo.json"):
        assert name in text
    assert 3 <= len(text.strip().splitlines()) <= 8


# -- the real server seeds from these files ---------------------------------------------------
def test_real_server_seeds_every_demo_room_and_candidate(tmp_path) -> None:
    import requests

    from tests.helpers.server import LiveServer

    demo = load_json("demo.json")
    server = LiveServer(tmp_path / "srv", demo=True).start()
    try:
        for room in demo["rooms"]:  # the seeder only logs a room it could not create: make sure none was lost
            r = server.admin("GET", "/admin/rooms/%s/results" % room["room_id"])
            assert r.status_code == 200, (room["room_id"], r.status_code, r.text, server.log_tail())
        for row in load_candidates():
            r = requests.post(server.api + "/auth/login", timeout=10, json={
                "ticket": row["ticket"], "id_number": row["id_number"], "password": row["password"]})
            assert r.status_code == 200, (row["ticket"], r.text)
            body = r.json()
            assert body["candidate"]["level"] == row["level"] and body["candidate"]["name"] == row["name"]
            rooms = {s["room_id"]: s for s in body["sittings"]}
            expected = {room["room_id"] for room in demo["rooms"] if row["ticket"] in room["candidates"]}
            assert set(rooms) == expected, row["ticket"]
            for s in rooms.values():
                if s["kind"] == "formal":
                    assert s["level"] == row["level"]
                    assert s["retake"] is (row["ticket"] in demo["retakes"]), (row["ticket"], s)
                    earlier = demo["retakes"].get(row["ticket"], {}).get(s["part"], 0)
                    assert s["attempt"] == earlier + 1, (row["ticket"], s)
    finally:
        server.stop()
