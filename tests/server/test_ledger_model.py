"""Property test: the server's op ledger behaves like a tiny reference model under any mix of
resends, gaps, reorders and forged ops, batch by batch (all or nothing)."""
from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from examcore.chain import genesis, op_hash
from tests.helpers.fixtures import make_sitting
from tests.helpers.server import LiveServer
from tests.server.kit import OpChain, auth

N = 12


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = LiveServer(tmp_path_factory.mktemp("ledger-model")).start()
    yield s
    s.stop()


def model(batch, acked: int):
    """(code or None, new acked) exactly as docs/protocol.md describes a batch."""
    n = acked
    for seq, forged in batch:
        if seq <= n:
            if forged:
                return "ops.fork", acked
            continue
        if seq != n + 1:
            return "ops.gap", acked
        if forged:
            return "ops.bad_hash", acked
        n = seq
    return None, n


# a batch: up to 6 ops, each (seq, forged?)
batches = hs.lists(hs.lists(hs.tuples(hs.integers(1, N), hs.booleans()), min_size=1, max_size=6), min_size=1,
                   max_size=6)


def test_ledger_matches_the_model(srv):
    @settings(max_examples=40, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(batches)
    def run(plan):
        st = make_sitting(srv)
        chain = OpChain(st.sitting_id)
        real = [chain.answer("q1", "ABCD"[i % 4]) for i in range(N)]
        forged = []
        for op in real:  # same seq, other content, a hash that follows no chain
            bad = dict(op, payload={"question_id": "q3", "value": op["seq"] % 2 == 0})
            bad["hash"] = op_hash(genesis("elsewhere"), bad["seq"], bad["kind"], bad["payload"], bad["t_exam_ms"])
            forged.append(bad)
        acked = 0
        session = requests.Session()
        for batch in plan:
            ops = [forged[seq - 1] if f else real[seq - 1] for seq, f in batch]
            r = session.post(srv.api + "/sittings/%s/ops" % st.sitting_id, json={"ops": ops},
                             headers=auth(st.token), timeout=10)
            code, acked = model(batch, acked)
            if code is None:
                assert r.status_code == 200, (batch, r.text)
                head = real[acked - 1]["hash"] if acked else genesis(st.sitting_id)
                assert r.json() == {"acked_seq": acked, "chain_head": head}
            else:
                assert r.status_code == 409, (batch, r.text)
                err = r.json()["error"]
                assert err["code"] == code and err["details"]["acked_seq"] == acked, (batch, err)

    run()
