"""Exam rules: proctor ratio, one retake per part, login throttle and lockout, working-day deadlines."""
from __future__ import annotations

import datetime as dt

import pytest
import requests

from server.results import CHINA, working_day_deadline
from tests.helpers.fixtures import make_sitting
from tests.helpers.papers import sample_paper
from tests.server.kit import assert_error, auth


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    from tests.helpers.server import LiveServer

    s = LiveServer(tmp_path_factory.mktemp("rules")).start()
    yield s
    s.stop()


def _candidates(srv, prefix: str, n: int, level: str = "中级") -> list:
    tickets = ["%s-%03d" % (prefix, i) for i in range(n)]
    for t in tickets:
        srv.add_candidate(t, "ID" + t, "secret-" + t, level=level)
    return tickets


def _room(srv, paper_id: str, tickets: list, proctors: list, **kw) -> requests.Response:
    body = {"paper_id": paper_id, "part": "theory", "kind": "formal", "start_at_ms": srv.server_time_ms(),
            "duration_s": 7200, "candidates": tickets, "proctors": proctors}
    body.update(kw)
    return srv.admin("POST", "/admin/rooms", json=body)


def test_room_needs_two_proctors_and_one_per_fifteen(srv):
    pid = srv.add_paper(sample_paper("ratio-paper"))
    t31 = _candidates(srv, "RATIO", 31)
    err = assert_error(_room(srv, pid, t31[:3], ["甲"]), 422, "room.ratio")
    assert err["details"] == {"candidates": 3, "proctors": 1, "proctors_needed": 2}
    assert_error(_room(srv, pid, t31[:3], ["甲", "甲"]), 422, "room.ratio")  # the same person twice is one proctor
    assert _room(srv, pid, t31[:30], ["甲", "乙"]).status_code == 200  # 30 = 2 x 15
    err = assert_error(_room(srv, pid, t31, ["甲", "乙"]), 422, "room.ratio")
    assert err["details"]["proctors_needed"] == 3 and "15" in err["message_zh"]


def test_one_retake_per_part_then_register_again(srv):
    pid = srv.add_paper(sample_paper("retake-paper"))
    [t] = _candidates(srv, "RETAKE", 1)
    first = _room(srv, pid, [t], ["甲", "乙"]).json()["sittings"][0]
    assert (first["attempt"], first["retake"]) == (1, False)
    second = _room(srv, pid, [t], ["甲", "乙"]).json()["sittings"][0]
    assert (second["attempt"], second["retake"]) == (2, True)
    err = assert_error(_room(srv, pid, [t], ["甲", "乙"]), 422, "room.attempts")
    assert err["details"] == {"ticket": t, "part": "theory", "attempts": 2}
    assert "重新报名" in err["message_zh"] and "register again" in err["message_en"]
    # other parts count separately; mock rooms do not count at all
    assert _room(srv, pid, [t], ["甲", "乙"], part="practical").status_code == 200
    assert _room(srv, pid, [t], [], kind="mock").status_code == 200
    r = requests.post(srv.api + "/auth/login", json={"ticket": t, "id_number": "ID" + t, "password": "secret-" + t},
                      timeout=10)
    retakes = [(s["part"], s["kind"], s["attempt"], s["retake"]) for s in r.json()["sittings"]]
    assert sorted(retakes) == sorted([("theory", "formal", 1, False), ("theory", "formal", 2, True),
                                      ("practical", "formal", 1, False), ("theory", "mock", 1, False)])


def test_prior_attempts_make_the_first_sitting_here_the_retake(srv):
    pid = srv.add_paper(sample_paper("prior-paper"))
    srv.admin_json("POST", "/admin/candidates", json={"ticket": "PRIOR-1", "id_number": "X1", "name": "李娜",
                                                      "level": "中级", "password": "secret1",
                                                      "prior_attempts": {"theory": 1}})
    s = _room(srv, pid, ["PRIOR-1"], ["甲", "乙"]).json()["sittings"][0]
    assert (s["attempt"], s["retake"]) == (2, True)
    assert_error(_room(srv, pid, ["PRIOR-1"], ["甲", "乙"]), 422, "room.attempts")


def test_level_must_match_a_formal_paper(srv):
    pid = srv.add_paper(sample_paper("level-paper", level="高级"))
    [t] = _candidates(srv, "LEVEL", 1, level="初级")
    assert_error(_room(srv, pid, [t], ["甲", "乙"]), 422, "room.level")


def test_login_slows_down_then_locks_and_wrong_ticket_looks_the_same(live_server):
    st = make_sitting(live_server)
    login = live_server.api + "/auth/login"

    def attempt(password: str, ticket: str = st.ticket) -> requests.Response:
        return requests.post(login, json={"ticket": ticket, "id_number": st.id_number, "password": password},
                             timeout=10)

    wrong_pw = assert_error(attempt("nope"), 401, "auth.invalid_credentials")
    wrong_ticket = assert_error(attempt(st.password, ticket="T-NOBODY"), 401, "auth.invalid_credentials")
    assert wrong_pw == wrong_ticket  # the answer does not tell which part was wrong
    assert_error(attempt("nope"), 401, "auth.invalid_credentials")  # 2nd failure: now every try waits
    r = attempt(st.password)
    err = assert_error(r, 429, "auth.throttled")  # even the right password waits
    assert 1 <= err["details"]["retry_after_s"] <= 5 and r.headers["Retry-After"] == str(err["details"]["retry_after_s"])
    assert err["details"]["scope"] == "ticket_and_address"
    offset = 0
    for wait_s in (5, 10, 20, 40, 60, 60, 60, 60):  # after failures 2..9 the waits double, up to a minute
        offset += wait_s * 1000 + 100
        live_server.set_clock_offset(offset)
        assert_error(attempt("nope"), 401, "auth.invalid_credentials")
        if wait_s < 60:
            err = assert_error(attempt("nope"), 429, "auth.throttled")
            assert wait_s < err["details"]["retry_after_s"] <= 2 * wait_s
    # that was the 10th failure from this address within 15 minutes: locked here, whatever the password
    offset += 61_000
    live_server.set_clock_offset(offset)
    err = assert_error(attempt(st.password), 423, "auth.locked")
    assert 13 * 60 <= err["details"]["retry_after_s"] <= 15 * 60
    live_server.set_clock_offset(offset + 15 * 60 * 1000 + 1000)
    r = attempt(st.password)
    assert r.status_code == 200, r.text  # the lock lifts after 15 minutes and success clears the count
    assert_error(attempt("nope"), 401, "auth.invalid_credentials")
    assert_error(attempt("nope"), 401, "auth.invalid_credentials")
    assert_error(attempt("nope"), 429, "auth.throttled")


def _ms(y: int, m: int, d: int, hh: int = 9) -> int:
    return int(dt.datetime(y, m, d, hh, 0, tzinfo=CHINA).timestamp() * 1000)


def _date(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, CHINA).strftime("%Y-%m-%d %H:%M")


def test_working_day_deadline_skips_weekends_holidays_and_counts_makeup_days():
    # Friday 2026-09-18: 10 working days -> Friday 2026-10-02 without holidays
    assert _date(working_day_deadline(_ms(2026, 9, 18), 10, [])) == "2026-10-02 23:59"
    holidays = ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"]
    assert _date(working_day_deadline(_ms(2026, 9, 18), 10, holidays)) == "2026-10-09 23:59"
    # a weekend working day (调休) counts
    assert _date(working_day_deadline(_ms(2026, 9, 18), 10, holidays, ["2026-09-20"])) == "2026-10-08 23:59"
    # late evening UTC is the next Beijing day: the date is China's
    assert _date(working_day_deadline(_ms(2026, 9, 18, 23) + 3600_000, 1, [])) == "2026-09-21 23:59"


def test_documents_window_and_closed_after_deadline(tmp_path):
    from tests.helpers.server import LiveServer

    hol = tmp_path / "holidays.json"
    srv = LiveServer(tmp_path / "srv", extra_args=["--holidays-file", str(hol), "--document-working-days", "3"])
    now = dt.datetime.now(CHINA).date()
    hol.write_text('["%s"]' % (now + dt.timedelta(days=1)).isoformat())
    srv.start()
    try:
        st = make_sitting(srv)  # level 中级: a practical window follows the theory exam
        docs = requests.get(srv.api + "/documents", headers=auth(st.token), timeout=5).json()["windows"]
        [w] = docs
        assert (w["part"], w["sitting_id"], w["working_days"]) == ("practical", st.sitting_id, 3)
        start = st.room["start_at_ms"]
        assert w["deadline_ms"] == working_day_deadline(start, 3, [(now + dt.timedelta(days=1)).isoformat()])
        meta = ("filename ZC5wZGY=,filetype YXBwbGljYXRpb24vcGRm,purpose ZG9jdW1lbnQ=,sha256 %s,sitting_id %s"
                % (__import__("base64").b64encode(b"0" * 64).decode(),
                   __import__("base64").b64encode(st.sitting_id.encode()).decode()))
        headers = dict(auth(st.token), **{"Tus-Resumable": "1.0.0", "Upload-Length": "10", "Upload-Metadata": meta})
        assert requests.post(srv.api + "/files/", headers=headers, timeout=5).status_code == 201
        srv.set_clock_offset(w["deadline_ms"] - srv.server_time_ms() + 60_000)
        token = requests.post(srv.api + "/auth/login", timeout=10, json={
            "ticket": st.ticket, "id_number": st.id_number, "password": st.password}).json()["token"]
        headers.update(auth(token))
        err = assert_error(requests.post(srv.api + "/files/", headers=headers, timeout=5), 409, "documents.closed")
        assert err["details"]["deadline_ms"] == w["deadline_ms"]
        me = requests.get(srv.api + "/me", headers=auth(token), timeout=5).json()
        assert me["documents"][0]["documents"][0]["filename"] == "d.pdf"
    finally:
        srv.stop()


def test_practical_panel_needs_an_odd_number_of_at_least_three(srv):
    st = make_sitting(srv)  # 中级: a practical window
    url = "/admin/sittings/%s/panel-scores" % st.sitting_id

    def members(*scores):
        return [{"name": "评审%d" % i, "score": s} for i, s in enumerate(scores)]

    for bad in (members(90), members(90, 80), members(90, 80, 70, 60)):
        err = assert_error(srv.admin("POST", url, json={"part": "practical", "members": bad}), 422, "panel.size")
        assert err["details"]["members"] == len(bad)
    twice = [{"name": "甲", "score": 90}, {"name": "甲", "score": 90}, {"name": "乙", "score": 90}]
    assert_error(srv.admin("POST", url, json={"part": "practical", "members": twice}), 422, "panel.size")
    assert_error(srv.admin("POST", url, json={"part": "comprehensive", "members": members(90, 90, 90)}),
                 404, "not_found")  # a 中级 candidate has no comprehensive review
    out = srv.admin_json("POST", url, json={"part": "practical", "members": members(85, 78, 80)})
    assert (out["total"], out["passed"], out["panel_size"]) == (81.0, True, 3)
    w = requests.get(srv.api + "/documents", headers=auth(st.token), timeout=5).json()["windows"][0]
    assert w["assessment"]["total"] == 81.0 and w["assessment"]["passed"] is True
    out = srv.admin_json("POST", url, json={"part": "practical", "members": members(70, 75, 80, 79, 71)})
    assert (out["total"], out["passed"], out["panel_size"]) == (75.0, False, 5)  # a re-score replaces it


def test_failures_of_a_whole_centre_behind_one_address_do_not_block_its_logins(live_server):
    st = make_sitting(live_server)
    login = live_server.api + "/auth/login"
    for i in range(60):  # 60 candidates of one NAT'd centre mistype once each: nobody is held up
        assert_error(requests.post(login, json={"ticket": "GUESS-%d" % i, "id_number": "x", "password": "y"},
                                   timeout=10), 401, "auth.invalid_credentials")
    r = requests.post(login, json={"ticket": st.ticket, "id_number": st.id_number, "password": st.password}, timeout=10)
    assert r.status_code == 200, r.text
