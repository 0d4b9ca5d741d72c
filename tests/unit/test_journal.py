"""AnswerJournal: durable append-only chain, integrity check, set-aside and rebuild, rebase."""
from __future__ import annotations

import os
import random
import sqlite3

import pytest

from client.sync.journal import AnswerJournal, JournalDamaged, JournalError
from client.sync.rechain import rebase, set_aside_op
from client.sync.repair import journal_path, open_journal
from examcore.chain import genesis, op_hash, verify_chain
from examcore.ops import AnswerState

SID = "s-1"


def fill(j: AnswerJournal, n: int, sid: str = SID) -> list:
    return [j.append(sid, "answer", {"question_id": "q%d" % (i % 5 + 1), "value": "v%d" % i}, i * 1000, 0)
            for i in range(n)]


def test_append_builds_the_protocol_chain(tmp_path):
    j = AnswerJournal(str(tmp_path / "j.sqlite3"))
    ops = fill(j, 3)
    assert [o.seq for o in ops] == [1, 2, 3]
    assert ops[0].hash == op_hash(genesis(SID), 1, "answer", ops[0].payload, 0)
    ok, last, head = verify_chain(SID, [o.wire() for o in j.ops(SID)])
    assert ok and last == 3 and head == ops[-1].hash
    assert j.head(SID) == (3, ops[-1].hash)
    assert j.pending_count(SID) == 3


def test_wal_and_full_sync_are_on(tmp_path):
    j = AnswerJournal(str(tmp_path / "j.sqlite3"))
    assert j._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert j._db.execute("PRAGMA synchronous").fetchone()[0] == 2   # FULL


def test_state_replays_last_write_wins(tmp_path):
    j = AnswerJournal(str(tmp_path / "j.sqlite3"))
    j.append(SID, "answer", {"question_id": "q1", "value": "A"}, 0, 0)
    j.append(SID, "flag", {"question_id": "q1", "flagged": True}, 0, 0)
    j.append(SID, "answer", {"question_id": "q1", "value": "B"}, 0, 0)
    j.append(SID, "answer", {"question_id": "q2", "value": "C"}, 0, 0)
    j.append(SID, "answer", {"question_id": "q2", "value": None}, 0, 0)
    j.append(SID, "nav", {"question_id": "q4"}, 0, 0)
    assert j.state_of(SID) == AnswerState({"q1": "B"}, {"q1": True}, "q4")


def test_reopen_keeps_everything(tmp_path):
    path = str(tmp_path / "j.sqlite3")
    j = AnswerJournal(path)
    ops = fill(j, 50)
    j.set_acked(SID, 20, ops[19].hash)
    j.close()
    again = AnswerJournal(path)
    assert again.head(SID) == (50, ops[-1].hash)
    assert again.acked(SID) == (20, ops[19].hash) and again.pending_count(SID) == 30


def test_seal_freezes_answers_but_not_events(tmp_path):
    j = AnswerJournal(str(tmp_path / "j.sqlite3"))
    fill(j, 4)
    seal = j.write_seal(SID, "time_up", 123)
    assert seal["final_seq"] == 4 and seal == j.write_seal(SID, "candidate", 999)   # idempotent
    with pytest.raises(JournalError) as e:
        j.append(SID, "answer", {"question_id": "q1", "value": "A"}, 0, 0)
    assert e.value.code == "journal.sealed" and "封存" in e.value.message_zh
    assert j.append(SID, "event", {"type": "focus", "severity": "info", "detail": {}}, 0, 0).seq == 5


def test_tampered_row_fails_the_chain_check(tmp_path):
    path = str(tmp_path / "j.sqlite3")
    j = AnswerJournal(path)
    fill(j, 5)
    j._db.execute("UPDATE ops SET payload=? WHERE seq=3", ('{"question_id":"q1","value":"Z"}',))
    j.close()
    with pytest.raises(JournalDamaged) as e:
        AnswerJournal(path)
    assert "seq 3" in e.value.message_en and e.value.message_zh


@pytest.mark.expected_log(r"journal damaged, rebuilding", r"答题记录文件损坏")
def test_damaged_journal_is_set_aside_and_rebuilt(tmp_path):
    data = str(tmp_path)
    j, report = open_journal(data)
    assert report is None
    ops = fill(j, 8)
    j.set_meta("state", "in_exam")
    j._db.execute("UPDATE ops SET payload=? WHERE seq=5", ('{"question_id":"q1","value":"tampered"}',))
    j.close()
    j2, report = open_journal(data)
    assert report is not None and "seq 5" in report.problem
    assert os.path.exists(report.damaged_path)                  # never deleted
    assert os.path.exists(report.damaged_path + ".report.json")
    assert report.kept_ops == 4 and report.reappended_ops == 4   # rows after the break are written again
    assert j2.verify() == ""
    assert j2.get_meta("state") == "in_exam"
    answers = j2.state_of(SID).answers
    assert answers["q3"] == ops[7].payload["value"] == "v7"
    assert {"question_id": "q1", "value": "tampered"} in [o.payload for o in j2.ops(SID)]  # what survived
    assert j2.head(SID)[0] == 8
    assert "重建" in report.message_zh() and "rebuilt" in report.message_en()


@pytest.mark.expected_log(r"journal damaged, rebuilding", r"答题记录文件损坏")
def test_rebuild_continues_from_the_server_head(tmp_path):
    data = str(tmp_path)
    j, _ = open_journal(data)
    ops = fill(j, 10)
    j.close()
    # the server holds 1..7; the file is then damaged from seq 4 on
    db = sqlite3.connect(journal_path(data))
    db.execute("UPDATE ops SET hash='00' WHERE seq=4")
    db.commit()
    db.close()
    j2, report = open_journal(data, server_ack=lambda sid, meta: (7, ops[6].hash))
    assert report.server_heads == {SID: 7}
    assert j2.base(SID) == (7, ops[6].hash)
    assert [o.seq for o in j2.ops(SID)] == [8, 9, 10]           # only what the server lacks
    assert [o.payload for o in j2.ops(SID)] == [o.payload for o in ops[7:]]
    assert j2.acked(SID) == (7, ops[6].hash)
    assert j2.state_of(SID).answers["q1"] == "v5"                     # archived rows still count locally
    assert j2.verify() == ""


@pytest.mark.expected_log(r"journal damaged, rebuilding", r"答题记录文件损坏")
def test_garbage_file_is_set_aside_not_deleted(tmp_path):
    data = str(tmp_path)
    with open(journal_path(data), "wb") as f:
        f.write(b"this is not a database at all" * 200)
    j, report = open_journal(data)
    assert report is not None and "damaged" in report.problem or "not a database" in report.problem
    with open(report.damaged_path, "rb") as f:
        assert f.read(12) == b"this is not "
    assert j.verify() == "" and j.head(SID) == (0, genesis(SID))


@pytest.mark.expected_log(r"journal damaged, rebuilding", r"答题记录文件损坏")
def test_bytes_smashed_inside_the_file_lose_nothing_readable(tmp_path):
    data = str(tmp_path)
    j, _ = open_journal(data)
    fill(j, 300)
    j._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    j.close()
    path = journal_path(data)
    size = os.path.getsize(path)
    page = 4096
    rng = random.Random(5)
    with open(path, "r+b") as f:      # wreck one whole page in the middle of the ops table
        f.seek((size // 2) // page * page)
        f.write(bytes(rng.getrandbits(8) for _ in range(page)))
    j2, report = open_journal(data)
    assert report is not None
    assert j2.verify() == ""
    survived = report.kept_ops + report.reappended_ops
    assert 300 - 40 <= survived <= 300                  # at most the rows of the wrecked page are lost


@pytest.mark.expected_log(r"journal rebased")
def test_rebase_after_a_fork_keeps_every_answer(tmp_path):
    j = AnswerJournal(str(tmp_path / "j.sqlite3"))
    ops = fill(j, 6)
    j.set_acked(SID, 2, ops[1].hash)
    server_head = "ab" * 32
    moved = rebase(j, SID, 4, server_head, from_seq=3)
    assert moved == 4
    assert [o.seq for o in j.ops(SID)] == [5, 6, 7, 8]
    assert j.ops(SID)[0].hash == op_hash(server_head, 5, "answer", ops[2].payload, ops[2].t_exam_ms)
    assert j.acked(SID) == (4, server_head)
    assert j.state_of(SID).answers == {"q%d" % (i % 5 + 1): "v%d" % i for i in range(6)}
    assert j.verify() == ""
    assert j._db.execute("SELECT count(*) FROM ops_archive").fetchone()[0] == 6


def test_uploads_are_tracked(tmp_path):
    j = AnswerJournal(str(tmp_path / "j.sqlite3"))
    j.add_upload("/x/a.mp4", SID, "evidence", "ff" * 32, 10, 3)
    j.add_upload("/x/a.mp4", SID, "evidence", "ff" * 32, 10, 3)   # once only
    j.update_upload("/x/a.mp4", url="http://h/f/1")
    (rec,) = j.uploads("pending")
    assert rec["url"] == "http://h/f/1" and rec["event_seq"] == 3
    j.update_upload("/x/a.mp4", status="verified")
    assert j.uploads("pending") == []


@pytest.mark.expected_log(r"resuming an interrupted journal rebuild", r"答题记录文件损坏")
def test_a_rebuild_interrupted_by_a_crash_is_redone(tmp_path):
    from client.sync.repair import set_aside

    data = str(tmp_path)
    j, _ = open_journal(data)
    fill(j, 6)
    j.close()
    damaged = set_aside(journal_path(data))          # the crash came right after the rename...
    with open(journal_path(data) + ".rebuild", "wb") as f:
        f.write(b"half-built")                        # ... while the new copy was being written
    j2, report = open_journal(data)
    assert report is not None and report.damaged_path == damaged and report.kept_ops == 6
    assert j2.head(SID)[0] == 6 and os.path.exists(damaged + ".report.json")
    j2.close()
    j3, again = open_journal(data)                    # done once: not redone
    assert again is None and j3.head(SID)[0] == 6


def test_a_second_writer_is_refused_until_the_first_closes(tmp_path):
    path = str(tmp_path / "j.sqlite3")
    first = AnswerJournal(path)
    with pytest.raises(JournalError) as e:
        AnswerJournal(path)
    assert e.value.code == "journal.in_use" and "另一个考试客户端" in e.value.message_zh
    first.close()
    AnswerJournal(path).close()


@pytest.mark.expected_log(r"set aside \(refused by the server\)")
def test_an_op_the_server_refuses_is_set_aside_and_the_rest_rechained(tmp_path):
    j = AnswerJournal(str(tmp_path / "j.sqlite3"))
    ops = fill(j, 6)
    j.set_acked(SID, 2, ops[1].hash)
    j.write_seal(SID, "candidate", 1)
    assert set_aside_op(j, SID, 4) == 2
    assert [o.payload for o in j.ops(SID)] == [o.payload for o in ops[:3]] + [ops[4].payload, ops[5].payload]
    assert j.verify() == "" and j.seal(SID)["final_seq"] == 5 and j.seal(SID)["chain_head"] == j.head(SID)[1]
    with pytest.raises(ValueError):
        set_aside_op(j, SID, 2)                       # acknowledged ops are the server's: never touched
    assert j._db.execute("SELECT count(*) FROM ops_archive WHERE seq=4").fetchone()[0] == 1


def test_calls_after_close_get_a_clear_error(tmp_path):
    j = AnswerJournal(str(tmp_path / "j.sqlite3"))
    j.close()
    with pytest.raises(JournalError) as e:
        j.append(SID, "answer", {"question_id": "q1", "value": "A"}, 0, 0)
    assert e.value.code == "journal.closed" and e.value.message_zh
    j.close()                                     # closing twice is harmless
