"""Property test: whatever mix of answers, flags, clears, reopenings and fork rebases happens,
the journal's chain verifies and its state equals a last-write-wins model of what was saved."""
from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from client.sync.journal import AnswerJournal
from client.sync.rechain import rebase
from examcore.chain import verify_chain

SID = "s-prop"
QIDS = ["q1", "q2", "q3"]

step = st.one_of(
    st.tuples(st.just("answer"), st.sampled_from(QIDS), st.one_of(st.none(), st.sampled_from(["A", "B", "长答案"]))),
    st.tuples(st.just("flag"), st.sampled_from(QIDS), st.booleans()),
    st.tuples(st.just("reopen"), st.just(""), st.just(None)),
    st.tuples(st.just("ack"), st.just(""), st.just(None)),
    st.tuples(st.just("fork"), st.just(""), st.integers(min_value=0, max_value=3)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(step, max_size=40))
@pytest.mark.expected_log(r"journal rebased")
def test_chain_and_state_follow_the_model(steps):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "j.sqlite3")
        j = AnswerJournal(path)
        answers, flags = {}, {}
        fake_server = 1000
        for kind, qid, value in steps:
            if kind == "answer":
                j.append(SID, "answer", {"question_id": qid, "value": value}, 1, 1)
                if value is None:
                    answers.pop(qid, None)
                else:
                    answers[qid] = value
            elif kind == "flag":
                j.append(SID, "flag", {"question_id": qid, "flagged": value}, 1, 1)
                flags[qid] = value
            elif kind == "reopen":
                j.close()
                j = AnswerJournal(path)          # verifies integrity and the chain on open
            elif kind == "ack":
                seq, head = j.head(SID)
                j.set_acked(SID, seq, head)
            elif kind == "fork" and j.pending_count(SID):
                # the server holds `value` more ops we never had; ours move after its head
                acked, _ = j.acked(SID)
                fake_server += 1
                rebase(j, SID, j.head(SID)[0] + value, "%064x" % fake_server, acked + 1)
        assert j.verify() == ""
        state = j.state_of(SID)
        got_answers, got_flags = state.answers, state.flags
        assert got_answers == answers and got_flags == flags
        base_seq, base_head = j.base(SID)
        ok, last, _ = verify_chain(SID, [op.wire() for op in j.ops(SID)], start_prev=base_head if base_seq else "",
                                   start_seq=base_seq)
        assert ok and last == j.head(SID)[0]
        j.close()
