"""Re-chaining a sitting's unacknowledged ops (AnswerJournal.rebase / set_aside_op).

Both rewrite only ops the server does not hold, inside one transaction, and archive every row
they replace (ops_archive): nothing the candidate saved is ever deleted.
"""
from __future__ import annotations

import logging
import sqlite3
import time
from typing import List, Tuple

from client.exam.chain import op_hash
from client.sync.journal import AnswerJournal, Op, _dumps, _write_error

log = logging.getLogger(__name__)


def _archive(journal: AnswerJournal, sitting_id: str, ops: List[Op]) -> None:
    now = int(time.time() * 1000)
    for op in ops:
        journal._db.execute("INSERT INTO ops_archive VALUES (?,?,?,?,?,?,?,?)",
                            (sitting_id, op.seq, op.kind, _dumps(op.payload), op.t_exam_ms,
                             op.t_client_ms, op.hash, now))


def _chain(journal: AnswerJournal, sitting_id: str, ops: List[Op], seq: int, prev: str,
           sealed: bool) -> Tuple[int, str]:
    """Insert `ops` as seq+1, seq+2, ... chained from `prev`; move the seal to the new head."""
    for op in ops:
        seq += 1
        prev = op_hash(prev, seq, op.kind, op.payload, op.t_exam_ms)
        journal._db.execute("INSERT INTO ops VALUES (?,?,?,?,?,?,?)",
                            (sitting_id, seq, op.kind, _dumps(op.payload), op.t_exam_ms, op.t_client_ms, prev))
    if sealed:
        journal._db.execute("UPDATE seals SET final_seq=?, chain_head=? WHERE sitting_id=?", (seq, prev, sitting_id))
    return seq, prev


def rebase(journal: AnswerJournal, sitting_id: str, server_seq: int, server_head: str, from_seq: int) -> int:
    """The server's chain and ours diverged at `from_seq` (all before it is common): re-chain our
    ops from `from_seq` on after the server's head (answers keep their values; last write wins).
    Every replaced row is archived, never dropped. Returns the number of ops re-chained."""
    with journal._lock:
        moved = journal.ops(sitting_id, after_seq=from_seq - 1)
        removed = [op for op in journal.ops(sitting_id) if op.seq >= from_seq or op.seq <= server_seq]
        sealed = journal.seal(sitting_id)
        try:
            journal._db.execute("BEGIN IMMEDIATE")
            _archive(journal, sitting_id, removed)
            journal._db.execute("DELETE FROM ops WHERE sitting_id=? AND (seq>=? OR seq<=?)",
                             (sitting_id, from_seq, server_seq))
            journal._db.execute("INSERT OR REPLACE INTO bases VALUES (?,?,?)", (sitting_id, server_seq, server_head))
            _chain(journal, sitting_id, moved, server_seq, server_head, sealed is not None)
            journal._db.execute("INSERT OR REPLACE INTO acks VALUES (?,?,?)", (sitting_id, server_seq, server_head))
            journal._db.execute("COMMIT")
        except sqlite3.Error as e:
            journal._rollback()
            raise _write_error(e) from None
        finally:
            journal._heads.pop(sitting_id, None)
        log.warning("journal rebased: sitting %s, %d ops re-chained after server seq %d",
                    sitting_id, len(moved), server_seq)
        return len(moved)



def set_aside_op(journal: AnswerJournal, sitting_id: str, seq: int) -> int:
    """Take one op the server will never accept (it refused its content) out of the live chain:
    archive it and re-chain the later, still unacknowledged ops. Returns how many moved up."""
    with journal._lock:
        acked, _ = journal.acked(sitting_id)
        if seq <= acked:
            raise ValueError("op %d is already acknowledged" % seq)
        later = journal.ops(sitting_id, after_seq=seq - 1)
        if not later or later[0].seq != seq:
            return 0
        prev = journal.ops(sitting_id, after_seq=seq - 2, limit=1)
        prev_hash = prev[0].hash if prev and prev[0].seq == seq - 1 else journal.base(sitting_id)[1]
        sealed = journal.seal(sitting_id)
        try:
            journal._db.execute("BEGIN IMMEDIATE")
            _archive(journal, sitting_id, later)
            journal._db.execute("DELETE FROM ops WHERE sitting_id=? AND seq>=?", (sitting_id, seq))
            _chain(journal, sitting_id, later[1:], seq - 1, prev_hash, sealed is not None)
            journal._db.execute("COMMIT")
        except sqlite3.Error as e:
            journal._rollback()
            raise _write_error(e) from None
        finally:
            journal._heads.pop(sitting_id, None)
        log.error("op %d of sitting %s set aside (refused by the server); %d later ops re-chained",
                  seq, sitting_id, len(later) - 1)
        return len(later) - 1
