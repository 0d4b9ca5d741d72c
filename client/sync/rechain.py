"""Re-chaining a sitting's unacknowledged ops after a fork (`rebase`) or a refused op (`set_aside_op`).

Both rewrite only ops the server does not hold, inside one journal transaction, and archive every
row they replace (ops_archive): nothing the candidate saved is ever deleted.
"""
from __future__ import annotations

import logging
import time

from client.sync.journal import AnswerJournal

log = logging.getLogger(__name__)


def rebase(journal: AnswerJournal, sitting_id: str, server_seq: int, server_head: str, from_seq: int) -> int:
    """The server's chain and ours diverged at `from_seq` (all before it is common): re-chain our
    ops from `from_seq` on after the server's head (answers keep their values; last write wins).
    Every replaced row is archived, never dropped. Returns the number of ops re-chained."""
    with journal.transaction() as tx:   # reads inside: no answer may be appended in between
        moved = journal.ops(sitting_id, after_seq=from_seq - 1)
        removed = [op for op in journal.ops(sitting_id) if op.seq >= from_seq or op.seq <= server_seq]
        sealed = journal.seal(sitting_id) is not None
        tx.archive_ops(removed, int(time.time() * 1000))
        tx.delete_ops(sitting_id, from_seq, server_seq)
        tx.set_base(sitting_id, server_seq, server_head)
        seq, head = tx.chain_ops(sitting_id, moved, server_seq, server_head)
        if sealed:
            tx.move_seal(sitting_id, seq, head)
        tx.set_acked(sitting_id, server_seq, server_head)
    log.warning("journal rebased: sitting %s, %d ops re-chained after server seq %d",
                sitting_id, len(moved), server_seq)
    return len(moved)


def set_aside_op(journal: AnswerJournal, sitting_id: str, seq: int) -> int:
    """Take one op the server will never accept (it refused its content) out of the live chain:
    archive it and re-chain the later, still unacknowledged ops. Returns how many moved up."""
    with journal.transaction() as tx:   # reads inside: no answer may be appended in between
        acked, _ = journal.acked(sitting_id)
        if seq <= acked:
            raise ValueError("op %d is already acknowledged" % seq)
        later = journal.ops(sitting_id, after_seq=seq - 1)
        if not later or later[0].seq != seq:
            return 0
        prev = journal.ops(sitting_id, after_seq=seq - 2, limit=1)
        prev_hash = prev[0].hash if prev and prev[0].seq == seq - 1 else journal.base(sitting_id)[1]
        sealed = journal.seal(sitting_id) is not None
        tx.archive_ops(later, int(time.time() * 1000))
        tx.delete_ops(sitting_id, seq)
        new_seq, head = tx.chain_ops(sitting_id, later[1:], seq - 1, prev_hash)
        if sealed:
            tx.move_seal(sitting_id, new_seq, head)
    log.error("op %d of sitting %s set aside (refused by the server); %d later ops re-chained",
              seq, sitting_id, len(later) - 1)
    return len(later) - 1
