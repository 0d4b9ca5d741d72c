"""What the exam centre reads afterwards: ops that waited in a client's offline queue are marked `queued`
(by the server's clock, not by a flag the client could forget), and candidates the server never heard
from are `absent` in the room's results, not `in_progress`."""
from __future__ import annotations

import requests

from examcore.ops import QUEUED_AFTER_MS
from tests.helpers.fixtures import make_sitting
from tests.server.kit import OpChain, auth, post_ops


def sources(server, sitting_id):
    entries = server.admin_json("GET", "/admin/sittings/%s/timeline" % sitting_id)["entries"]
    return [(e["seq"], e["source"]) for e in entries if e["type"] == "op"]


def test_an_answer_received_long_after_it_was_made_is_marked_queued(live_server):
    st = make_sitting(live_server)
    chain = OpChain(st.sitting_id)
    chain.answer("q1", "B", t_exam_ms=1000)
    assert post_ops(st, chain.ops).status_code == 200                     # sent at once: online
    chain.answer("q3", True, t_exam_ms=2000)                              # made at 0:00:02, then the network went
    live_server.set_clock_offset(2000 + QUEUED_AFTER_MS + 30_000)         # ...and came back 50 s later
    assert post_ops(st, chain.ops[1:]).status_code == 200
    assert sources(live_server, st.sitting_id) == [(1, "online"), (2, "queued")]


def test_candidates_never_heard_from_are_absent_in_the_results(live_server):
    # (export-results writes these rows as CSV: the same results.room_results)
    present = make_sitting(live_server)
    paper_id = present.room["paper_id"]
    live_server.add_candidate("T-ABSENT-1", "110101199001019999", "pw-absent-secret")
    room = live_server.add_room(paper_id, [present.ticket, "T-ABSENT-1"], start_in_s=3600)
    login = requests.post(live_server.api + "/auth/login", timeout=10, json={
        "ticket": present.ticket, "id_number": present.id_number, "password": present.password}).json()
    sid = next(s["sitting_id"] for s in login["sittings"] if s["room_id"] == room["room_id"])
    r = requests.post(live_server.api + "/sittings/%s/heartbeat" % sid, json={"state": "waiting"},
                      headers=auth(login["token"]), timeout=10)
    assert r.status_code == 200, r.text

    def statuses():
        rows = live_server.admin_json("GET", "/admin/rooms/%s/results" % room["room_id"])["results"]
        return {row["ticket"]: row["sitting_status"] for row in rows}

    assert statuses() == {present.ticket: "scheduled", "T-ABSENT-1": "scheduled"}   # nobody is absent yet
    live_server.set_clock_offset(3601 * 1000)
    assert statuses() == {present.ticket: "in_progress", "T-ABSENT-1": "absent"}
    live_server.set_clock_offset((3600 + 7200 + 60) * 1000)
    assert statuses() == {present.ticket: "ended", "T-ABSENT-1": "absent"}
