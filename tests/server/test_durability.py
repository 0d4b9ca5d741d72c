"""Every op the server acknowledged survives a kill -9 of the server (WAL, synchronous=FULL)."""
from __future__ import annotations

import threading

import requests

from tests.helpers.fixtures import make_sitting
from tests.server.kit import OpChain, auth


def test_acked_ops_survive_a_hard_kill_mid_stream(live_server):
    st = make_sitting(live_server)
    chain = OpChain(st.sitting_id)
    ops = [chain.answer("q5", "第 %d 版答案" % i) for i in range(400)]
    acked = {"seq": 0}
    started = threading.Event()

    def writer() -> None:
        s = requests.Session()
        for op in ops:
            try:
                r = s.post(live_server.api + "/sittings/%s/ops" % st.sitting_id, json={"ops": [op]},
                           headers=auth(st.token), timeout=5)
            except requests.RequestException:
                return  # the server is gone
            if r.status_code == 200:
                acked["seq"] = r.json()["acked_seq"]
                if acked["seq"] >= 20:
                    started.set()

    t = threading.Thread(target=writer)
    t.start()
    assert started.wait(60)
    live_server.stop(kill=True)  # SIGKILL while requests are in flight
    t.join(30)
    seen_by_client = acked["seq"]
    assert 20 <= seen_by_client < 400
    live_server.start()
    s = requests.get(live_server.api + "/sittings/" + st.sitting_id, headers=auth(st.token), timeout=5).json()
    assert s["acked_seq"] >= seen_by_client  # nothing acknowledged was lost
    assert s["chain_head"] == ops[s["acked_seq"] - 1]["hash"]
    # the client resends everything; the server continues the chain exactly once
    r = requests.post(live_server.api + "/sittings/%s/ops" % st.sitting_id, json={"ops": ops[:400]},
                      headers=auth(st.token), timeout=30)
    assert r.json() == {"acked_seq": 400, "chain_head": ops[-1]["hash"]}


def test_concurrent_resends_apply_each_op_exactly_once(live_server):
    st = make_sitting(live_server)
    chain = OpChain(st.sitting_id)
    ops = [chain.answer("q1", "ABCD"[i % 4]) for i in range(120)]
    statuses: list = []

    def sender(offset: int) -> None:
        s = requests.Session()
        for start in range(0, 120, 10):  # overlapping batches from four "clients" at once
            batch = ops[max(0, start - offset):start + 10]
            r = s.post(live_server.api + "/sittings/%s/ops" % st.sitting_id, json={"ops": batch},
                       headers=auth(st.token), timeout=30)
            statuses.append((r.status_code, r.json().get("error", {}).get("code")))

    threads = [threading.Thread(target=sender, args=(k * 5,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(code in (200, 409) for code, _ in statuses), statuses
    assert {c for s, c in statuses if s == 409} <= {"ops.gap"}  # a batch that ran ahead, never a fork
    r = requests.post(live_server.api + "/sittings/%s/ops" % st.sitting_id, json={"ops": ops},
                      headers=auth(st.token), timeout=30)
    assert r.json() == {"acked_seq": 120, "chain_head": ops[-1]["hash"]}
    entries = live_server.admin_json("GET", "/admin/sittings/%s/timeline" % st.sitting_id)["entries"]
    assert [e["seq"] for e in entries if e["type"] == "op"] == list(range(1, 121))
