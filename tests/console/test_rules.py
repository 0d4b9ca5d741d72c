"""The console's rules: flag pairing and ranking, candidate states, staff login throttled exactly like a
candidate's, accounts that end their sessions, room proctors and the seed checks, the audit of refusals,
and the staff commands of the admin CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any, List, Tuple

import pytest
import requests

from server.console import flags as F
from server.console.grid import state_of
from tests.console.kit import STAFF_PASSWORD, StaffClient, add_staff, candidate_login, make_room, paper
from tests.helpers.server import ROOT, LiveServer


def ev(seq: int, type_: str, severity: str, state: Any = None, t: int = 0, received: int = 0, **more: Any
       ) -> Tuple[str, int, Any, int, int]:
    detail = dict(more)
    if state:
        detail["state"] = state
    return ("s1", seq, {"type": type_, "severity": severity, "detail": detail}, t, received)


def test_flags_pair_start_and_end_and_rank_by_severity_kind_and_duration() -> None:
    rows = [ev(1, "camera.face_absent", "warn", "start", 10_000, 1000),
            ev(2, "camera.face_absent", "warn", "end", 90_000, 2000, duration_s=80),       # 80 s: doubled
            ev(3, "lockdown.focus_lost", "warn", None, 100_000, 3000),                    # one-shot, interrupted
            ev(4, "camera.multiple_faces", "alert", "start", 120_000, 4000),               # still going on
            ev(5, "audio.loud_noise", "info", None, 130_000, 5000),                        # info: not a flag
            ev(6, "camera.blocked", "alert", "start", 140_000, 6000),
            ev(7, "camera.blocked", "alert", "end", 143_000, 6500),                        # 3 s from the exam clock
            ev(8, "something.new", "warn", None, 150_000, 7000)]                           # unknown kind: behaviour
    now = 4000 + 30_000
    flags = F.build_flags(rows, {("s1", 6): {"outcome": "no_issue", "note": "ok", "reviewer": "p1",
                                             "reviewed_at_ms": 9000}}, now)["s1"]
    by_seq = {f.seq: f for f in flags}
    assert sorted(by_seq) == [1, 3, 4, 6, 8]
    assert (by_seq[1].duration_s, by_seq[1].end_seq, by_seq[1].points) == (80.0, 2, 1 * 1 * 2)
    assert (by_seq[3].category, by_seq[3].points, by_seq[3].duration_s) == ("interrupted", 2, None)
    assert by_seq[4].ongoing and by_seq[4].duration_s == 30.0 and by_seq[4].points == 3 * 3
    assert (by_seq[6].duration_s, by_seq[6].points, by_seq[6].open) == (3.0, 3 * 2, False)
    assert (by_seq[8].category, by_seq[8].points) == ("behaviour", 1)
    assert [f.seq for f in F.ranked(flags)] == [4, 1, 3, 8, 6]
    assert F.priority(flags) == 9 + 2 + 2 + 1
    assert [F.band(p) for p in (0, 1, 2, 3, 8, 9)] == ["none", "low", "low", "medium", "medium", "high"]
    later = F.build_flags(rows, {}, 4000 + 61_000)["s1"]
    assert {f.seq: f.points for f in later}[4] == 3 * 3 * 2   # an alert going on for a minute counts double


def test_equal_points_rank_alerts_first_then_the_longest_waiting() -> None:
    rows = [("a", 1, {"type": "camera.face_absent", "severity": "warn", "detail": {}}, 0, 500),
            ("b", 1, {"type": "x.unknown", "severity": "alert", "detail": {}}, 0, 900),
            ("c", 1, {"type": "lockdown.focus_lost", "severity": "warn", "detail": {}}, 0, 100),
            ("d", 1, {"type": "x.unknown", "severity": "alert", "detail": {}}, 0, 800)]
    flags = [f for fs in F.build_flags(rows, {}, 1000).values() for f in fs]
    assert [(f.sitting_id, f.points) for f in F.ranked(flags)] == [("d", 3), ("b", 3), ("c", 2), ("a", 1)]


def test_candidate_states() -> None:
    off = 45_000
    assert state_of(None, None, None, 100_000, off) == ("not_logged_in", None)
    assert state_of(None, "logged_in", 90_000, 100_000, off) == ("checking", None)
    assert state_of(None, "checks_passed", 90_000, 100_000, off) == ("waiting", None)
    assert state_of(None, "waiting", 90_000, 100_000, off) == ("waiting", None)
    assert state_of(None, "in_exam", 90_000, 100_000, off) == ("in_exam", None)
    assert state_of(None, "sealed", 90_000, 100_000, off) == ("handing_in", None)
    assert state_of(None, "in_exam", 50_000, 100_000, off) == ("offline", 50_000)
    assert state_of(None, "in_exam", 55_000, 100_000, off) == ("in_exam", None)
    assert state_of(99_000, "in_exam", 10_000, 100_000, off) == ("submitted", 99_000)
    assert state_of(None, "<script>", 90_000, 100_000, off) == ("checking", None)


@pytest.fixture
def srv(tmp_path):
    # heartbeats written at once (in production they are batched, so the grid is at most a second behind)
    s = LiveServer(tmp_path / "srv", extra_args=["--heartbeat-flush-s", "0"]).start()
    try:
        yield s
    finally:
        s.stop()


def attempts(url: str, good: dict, bad: dict, srv: LiveServer) -> List[str]:
    """Two wrong passwords and the right one, again after each longest throttle wait (by the server's
    clock), until the lock; then the right password once more."""
    def code(body: dict) -> str:
        r = requests.post(url, json=body, timeout=30)
        return "ok" if r.status_code == 200 else r.json()["error"]["code"]

    out, offset = [], 0
    for _ in range(25):
        out += [code(bad), code(bad), code(good)]
        if out[-1] in ("ok", "auth.locked"):
            break
        offset += 61_000
        srv.set_clock_offset(offset)
    return out + [code(good)]


def test_staff_login_is_throttled_and_locked_exactly_like_a_candidates(srv: LiveServer) -> None:
    pid = paper(srv)
    room = make_room(srv, pid, "T", 1, ["p1", "p2"])
    c = room.candidates[0]
    add_staff(srv, "p1")
    candidate = attempts(srv.api + "/auth/login",
                         {"ticket": c.ticket, "id_number": c.id_number, "password": c.password},
                         {"ticket": c.ticket, "id_number": c.id_number, "password": "wrong-one"}, srv)
    srv.set_clock_offset(0)   # the staff run starts from the same clock; failures of the other key do not count
    staff = attempts(srv.url + "/console/api/login", {"username": "p1", "password": STAFF_PASSWORD},
                     {"username": "p1", "password": "wrong-one"}, srv)
    assert staff == candidate
    assert staff[:3] == ["auth.invalid_credentials", "auth.invalid_credentials", "auth.throttled"]
    assert staff[-2:] == ["auth.locked", "auth.locked"]
    audit = srv.admin_json("GET", "/admin/audit", params={"actor": "p1", "action": "login"})["entries"]
    assert {e["outcome"] for e in audit} >= {"refused:auth.invalid_credentials", "refused:auth.throttled",
                                             "refused:auth.locked"}


def test_a_new_password_or_a_switched_off_account_ends_its_sessions(srv: LiveServer) -> None:
    add_staff(srv, "p1")
    first = StaffClient(srv, "p1")
    add_staff(srv, "p1", password="another-pass-2")
    r = first.get("/console/api/me")
    assert r.status_code == 401 and r.json()["error"]["code"] == "auth.required"
    second = StaffClient(srv, "p1", password="another-pass-2")
    assert second.get("/console/api/me").status_code == 200
    srv.admin_json("POST", "/admin/staff", json={"username": "p1", "role": "proctor", "active": False})
    assert second.get("/console/api/me").status_code in (401, 403)
    r = requests.post(srv.url + "/console/api/login", json={"username": "p1", "password": "another-pass-2"}, timeout=30)
    assert r.status_code == 401
    bad = srv.admin("POST", "/admin/staff", json={"username": "a b", "role": "proctor", "password": "long-enough"})
    assert bad.status_code == 422
    bad = srv.admin("POST", "/admin/staff", json={"username": "x", "role": "boss", "password": "long-enough"})
    assert bad.status_code == 422
    bad = srv.admin("POST", "/admin/staff", json={"username": "x", "role": "proctor", "password": "short"})
    assert bad.status_code == 422


def test_room_proctors_keep_the_ratio_and_decide_who_watches(srv: LiveServer) -> None:
    pid = paper(srv)
    big = make_room(srv, pid, "BIG", 16, ["p1", "p2"])          # 16 candidates: 2 proctors (1 per 15, >= 2)
    for name in ("p1", "p2", "p3"):
        add_staff(srv, name)
    r = srv.admin("PUT", "/admin/rooms/%s/proctors" % big.room_id, json={"proctors": ["p1"]})
    assert r.status_code == 422 and r.json()["error"]["code"] == "room.ratio"
    p3 = StaffClient(srv, "p3")
    assert p3.get("/console/api/rooms/%s/grid" % big.room_id).status_code == 403
    out = srv.admin_json("PUT", "/admin/rooms/%s/proctors" % big.room_id, json={"proctors": ["p1", "p3"]})
    assert out == {"room_id": big.room_id, "proctors": ["p1", "p3"], "candidates": 16, "proctors_needed": 2}
    assert p3.get("/console/api/rooms/%s/grid" % big.room_id).status_code == 200
    assert StaffClient(srv, "p2").get("/console/api/rooms/%s/grid" % big.room_id).status_code == 403
    entries = srv.admin_json("GET", "/admin/audit", params={"room_id": big.room_id})["entries"]
    assert [(e["action"], e["outcome"]) for e in entries if e["action"] == "room.proctors"] == [
        ("room.proctors", "ok"), ("room.proctors", "refused:room.ratio")]
    staff = {x["username"]: x["rooms"] for x in srv.admin_json("GET", "/admin/staff")["staff"]}
    assert staff["p3"] == [big.room_id] and staff["p2"] == []


def test_the_seed_checks_of_a_room(srv: LiveServer) -> None:
    pid = paper(srv)
    srv.admin_json("POST", "/admin/candidates", json={"ticket": "RT-1", "id_number": "IDRT1", "name": "重考生",
                                                     "level": "中级", "password": "cand-pw-9",
                                                     "prior_attempts": {"theory": 1}})
    room = make_room(srv, pid, "CK", 3, ["p1", "nobody-yet"])
    room2 = srv.add_room(pid, ["RT-1"], proctors=["p1", "p2"])
    add_staff(srv, "p1")
    p1 = StaffClient(srv, "p1")
    checks = p1.get("/console/api/rooms/%s/checks" % room.room_id).json()
    assert checks["ratio"]["status"] == "warn"               # assigned enough, but one cannot sign in
    assert checks["ratio"]["without_account"] == ["nobody-yet"] and checks["ratio"]["signed_in"] == ["p1"]
    assert checks["attempts"] == {"status": "ok", "counted": True, "first": 3, "retakes": [], "beyond": [],
                                  "max_attempts": 2, "dedicated_session_hint": False}
    docs = checks["documents"]
    c = room.candidates[0]
    candidate_login(srv, c)
    windows = requests.get(srv.api + "/documents", headers={"Authorization": "Bearer " + c.token}, timeout=30).json()
    mine = [w for w in windows["windows"] if w["sitting_id"] == c.sitting_id][0]
    assert docs["applies"] and docs["parts"] == ["practical"] and docs["deadline_ms"] == mine["deadline_ms"]
    assert (docs["due"], docs["handed_in"], docs["closed"]) == (3, 0, False)
    retake = p1.get("/console/api/rooms/%s/checks" % room2["room_id"]).json()["attempts"]
    assert retake["retakes"] == ["RT-1"] and retake["first"] == 0


def test_a_refused_action_is_in_the_audit_log_with_its_reason(srv: LiveServer) -> None:
    pid = paper(srv)
    room = make_room(srv, pid, "AU", 1, ["p1", "p2"])
    add_staff(srv, "p1")
    c = room.candidates[0]
    candidate_login(srv, c)
    r = requests.post(srv.api + "/sittings/%s/submit" % c.sitting_id, json={"final_seq": 0,
                                                                             "chain_head": c.chain.head},
                      headers={"Authorization": "Bearer " + c.token}, timeout=30)
    assert r.status_code == 200, r.text
    p1 = StaffClient(srv, "p1")
    r = p1.post("/console/api/sittings/%s/extend" % c.sitting_id, json={"minutes": 5, "reason": "系统故障"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "sitting.sealed"
    r = p1.post("/console/api/sittings/%s/flags/1/review" % c.sitting_id, json={"outcome": "no_issue", "note": "没有这条"})
    assert r.status_code == 404
    entries = srv.admin_json("GET", "/admin/audit", params={"sitting_id": c.sitting_id})["entries"]
    extend = [e for e in entries if e["action"] == "command.extend"]
    assert len(extend) == 1 and extend[0]["outcome"] == "refused:sitting.sealed"
    assert (extend[0]["actor"], extend[0]["reason"], extend[0]["details"]["seconds"]) == ("p1", "系统故障", 300)


def test_the_admin_cli_imports_staff_sets_proctors_and_shows_the_audit(tmp_path) -> None:
    data = tmp_path / "data"

    def cli(*args: str) -> Any:
        env = dict(os.environ, PYTHONPATH=str(ROOT))   # now: the lane's store may have set its credentials
        p = subprocess.run([sys.executable, "-m", "server", *args, *srv.cli_args()], cwd=str(ROOT), env=env,
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout)

    srv = LiveServer(data).start()
    try:
        pid = paper(srv)
        room = make_room(srv, pid, "CLI", 2, ["p1", "p2"])
    finally:
        srv.stop()
    (tmp_path / "staff.csv").write_text("username,display_name,role,password\np1,王老师,proctor,cli-pass-11\n"
                                        "p3,赵老师,proctor,cli-pass-33\nm1,阅卷甲,marker,cli-pass-44\n", encoding="utf-8")
    assert cli("import-staff", str(tmp_path / "staff.csv")) == {"imported": 3}
    assert cli("set-proctors", room.room_id, "p1,p3")["proctors"] == ["p1", "p3"]
    actions = [e["action"] for e in cli("audit", "--actor", "admin-cli")]
    assert actions == ["room.proctors", "staff.upsert", "staff.upsert", "staff.upsert"]
    srv.start()
    try:
        p3 = StaffClient(srv, "p3", password="cli-pass-33")
        assert p3.get("/console/api/rooms/%s/grid" % room.room_id).status_code == 200
        m1 = StaffClient(srv, "m1", password="cli-pass-44")
        assert m1.get("/console/api/rooms/%s/grid" % room.room_id).status_code == 403
    finally:
        srv.stop()


def test_the_grid_answers_304_until_what_it_shows_changes(srv: LiveServer) -> None:
    from tests.console.kit import heartbeat

    pid = paper(srv)
    room = make_room(srv, pid, "ET", 2, ["p1", "p2"])
    add_staff(srv, "p1")
    c = room.candidates[0]
    candidate_login(srv, c)
    heartbeat(srv, c, state="in_exam", camera="live")
    p1 = StaffClient(srv, "p1")
    url = "/console/api/rooms/%s/grid" % room.room_id
    first = p1.get(url, headers={"Accept-Encoding": "gzip"})
    etag = first.headers["etag"]
    assert first.status_code == 200 and first.headers["content-encoding"] == "gzip"
    heartbeat(srv, c, state="in_exam", camera="live")        # the same again: nothing to redraw
    assert p1.get(url, headers={"If-None-Match": etag}).status_code == 304
    heartbeat(srv, c, state="in_exam", camera="lost")        # the camera went: a new version
    changed = p1.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["rooms"][0]["candidates"][0]["devices"]["camera"] == "lost"


def test_flags_follow_new_ops_read_incrementally(srv: LiveServer) -> None:
    """The server reads each sitting's ops once and then only the new ones: what arrives later still shows."""
    from tests.console.kit import event, send_ops

    pid = paper(srv)
    room = make_room(srv, pid, "INC", 2, ["p1", "p2"])
    add_staff(srv, "p1")
    c = room.candidates[0]
    candidate_login(srv, c)
    p1 = StaffClient(srv, "p1")

    def mine() -> dict:
        rows = p1.get("/console/api/rooms/%s/grid" % room.room_id).json()["rooms"][0]["candidates"]
        return [r for r in rows if r["sitting_id"] == c.sitting_id][0]

    assert mine()["flags"]["open"] == 0 and mine()["state"] == "not_logged_in"
    send_ops(srv, c, [c.chain.answer("q1", "B")])
    assert mine()["state"] == "checking" and mine()["flags"]["open"] == 0
    seq = event(srv, c, "camera.face_absent", "warn", state="start")
    assert mine()["flags"] == {"open": 1, "alert": 0, "concern": 0, "priority": 1, "band": "low"}
    event(srv, c, "camera.face_absent", "warn", state="end", duration_s=70)
    send_ops(srv, c, [c.chain.answer("q3", True), c.chain.answer("q1", "A")])
    event(srv, c, "lockdown.hidden_overlay", "alert")
    assert mine()["flags"]["open"] == 2 and mine()["flags"]["priority"] == 2 + 9
    flags = p1.get("/console/api/sittings/%s" % c.sitting_id).json()["flags"]
    assert [(f["seq"], f["points"], f["duration_s"]) for f in flags] == [(seq + 4, 9, None), (seq, 2, 70.0)]


def test_the_rooms_shown_live_are_those_on_now_and_past_flags_stay_reviewable(srv: LiveServer) -> None:
    from tests.console.kit import event

    pid = paper(srv)
    now_room = make_room(srv, pid, "NOW", 1, ["p1", "p2"])
    past = make_room(srv, pid, "PAST", 1, ["p1", "p2"], start_in_s=-3 * 86400)
    old = make_room(srv, pid, "OLD", 1, ["p1", "p2"], start_in_s=-30 * 86400)
    add_staff(srv, "p1")
    c = past.candidates[0]
    candidate_login(srv, c)
    event(srv, c, "camera.multiple_faces", "alert", state="start")
    p1 = StaffClient(srv, "p1")
    live = [r["room_id"] for r in p1.get("/console/api/grid").json()["rooms"]]
    assert live == [now_room.room_id]
    listed = {r["room_id"]: r["active"] for r in p1.get("/console/api/rooms").json()["rooms"]}
    assert listed == {now_room.room_id: True, past.room_id: False}
    assert [f["sitting_id"] for f in p1.get("/console/api/flags").json()["flags"]] == [c.sitting_id]
    assert p1.get("/console/api/rooms/%s/grid" % old.room_id).status_code == 200   # still theirs, by its link
    page = p1.get("/console/rooms")
    assert 'id="other-rooms"' in page.text and past.room_id in page.text and old.room_id not in page.text
