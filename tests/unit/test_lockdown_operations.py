"""The operation sequence: recorded durably before each change, unwound in reverse on failure and at
the end, and every revert attempted even when one fails."""
from __future__ import annotations

import json

import pytest

from client.lockdown.operations import FunctionOperation, LockdownFailed, OperationSequence
from client.lockdown.record import LockdownRecord, record_path


class Journal:
    def __init__(self, record_file):
        self.record_file = record_file
        self.log = []
        self.events = []

    def op(self, kind, required=True, fail_perform=False, fail_revert=False):
        def perform():
            # the durable record names this operation before it changes anything
            on_disk = json.load(open(self.record_file, encoding="utf-8"))
            assert on_disk["ops"][-1] == {"kind": kind, "plan": {"undo": kind}, "state": "performing"}
            self.log.append("perform " + kind)
            if fail_perform:
                raise OSError("refused: " + kind)

        def revert():
            self.log.append("revert " + kind)
            if fail_revert:
                raise OSError("cannot undo " + kind)
        return FunctionOperation(kind, perform, revert, required=required, plan=lambda: {"undo": kind})

    def sink(self, type_, severity, detail):
        self.events.append((type_, severity, detail))


@pytest.fixture
def seq(tmp_path):
    path = record_path(str(tmp_path))
    rec = LockdownRecord(path)
    rec.open(backend="test")
    j = Journal(path)
    return OperationSequence(rec, j.sink), j, rec, path


@pytest.mark.expected_log(r"lockdown operation c failed")
def test_failure_mid_sequence_unwinds_in_reverse(seq):
    s, j, rec, path = seq
    with pytest.raises(LockdownFailed) as err:
        s.run([j.op("a"), j.op("b"), j.op("c", fail_perform=True), j.op("d")])
    assert err.value.kind == "c"
    # c may have changed half of what it does: it is reverted too, then b, then a; d never ran
    assert j.log == ["perform a", "perform b", "perform c", "revert c", "revert b", "revert a"]
    states = [op["state"] for op in json.load(open(path, encoding="utf-8"))["ops"]]
    assert states == ["reverted", "reverted", "failed"]
    assert j.events[-1][0] == "lockdown.operation_failed" and j.events[-1][2]["operation"] == "c"


@pytest.mark.expected_log(r"lockdown operation capture failed")
def test_optional_failure_is_skipped_and_reported_not_fatal(seq):
    s, j, rec, path = seq
    s.run([j.op("a"), j.op("capture", required=False, fail_perform=True), j.op("b")])
    assert s.performed == ["a", "b"]
    assert s.skipped == [{"operation": "capture", "error": "refused: capture"}]
    assert s.unwind() == []
    assert j.log == ["perform a", "perform capture", "revert capture", "perform b", "revert b", "revert a"]
    assert rec.pending() == []


@pytest.mark.expected_log(r"lockdown revert of b failed")
def test_unwind_continues_past_a_failing_revert_and_keeps_it_pending(seq):
    s, j, rec, path = seq
    s.run([j.op("a"), j.op("b", fail_revert=True), j.op("c")])
    failures = s.unwind()
    assert failures == [{"operation": "b", "error": "cannot undo b"}]
    assert j.log[-3:] == ["revert c", "revert b", "revert a"]
    assert [op["kind"] for op in rec.pending()] == ["b"]     # the next start retries it
    assert LockdownRecord.load(path).pending()[0]["state"] == "revert_failed"


def test_record_is_gone_after_a_clean_end(seq):
    s, j, rec, path = seq
    s.run([j.op("a")])
    s.unwind()
    rec.close()
    assert LockdownRecord.load(path) is None


def test_a_file_that_is_not_a_record_is_refused(tmp_path):
    p = tmp_path / "r.json"
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError):
        LockdownRecord.load(str(p))
    p.write_text(json.dumps({"format": "something-else", "ops": []}), encoding="utf-8")
    with pytest.raises(ValueError):
        LockdownRecord.load(str(p))
