"""AnswerJournal: the append-only, hash-chained operation log on disk (promise 1).

SQLite in WAL mode with `synchronous=FULL`: `append()` returns only after the commit is on disk,
so the UI may say "saved" the moment it returns. Every answer, flag and event is an operation
with a per-sitting `seq` and the protocol's hash chain (examcore.chain). The same file keeps
the session state, the clock anchor, acknowledgements, the seal, the receipt and pending uploads.

On open the journal runs `PRAGMA integrity_check` and walks every chain. A damaged file is set
aside (renamed, never deleted) and rebuilt: see client.sync.repair.
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

from examcore.chain import genesis, op_hash
from examcore.errors import ExamError
from examcore.ops import ANSWER_KINDS, AnswerState, fold

log = logging.getLogger(__name__)

JOURNAL_NAME = "journal.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ops (
    sitting_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL,
    t_exam_ms INTEGER NOT NULL, t_client_ms INTEGER NOT NULL, hash TEXT NOT NULL,
    PRIMARY KEY (sitting_id, seq));
-- where a sitting's local chain starts when the server holds ops the journal lost (repair)
CREATE TABLE IF NOT EXISTS bases (sitting_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS acks (sitting_id TEXT PRIMARY KEY, acked_seq INTEGER NOT NULL, chain_head TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seals (sitting_id TEXT PRIMARY KEY, final_seq INTEGER NOT NULL,
    chain_head TEXT NOT NULL, reason TEXT NOT NULL, sealed_at_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS receipts (sitting_id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS uploads (path TEXT PRIMARY KEY, sitting_id TEXT NOT NULL, purpose TEXT NOT NULL,
    sha256 TEXT NOT NULL, size INTEGER NOT NULL, event_seq INTEGER, url TEXT, status TEXT NOT NULL);
-- ops replaced by a rebase after a fork, kept for the audit trail
CREATE TABLE IF NOT EXISTS ops_archive (sitting_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
    payload TEXT NOT NULL, t_exam_ms INTEGER NOT NULL, t_client_ms INTEGER NOT NULL, hash TEXT NOT NULL,
    archived_at_ms INTEGER NOT NULL);
"""


class JournalError(ExamError):
    """The journal cannot take the write. The op was NOT saved; the UI must not say 'saved'."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(code, message_zh, message_en)


class JournalDamaged(JournalError):
    pass


@dataclass(frozen=True)
class Op:
    sitting_id: str
    seq: int
    kind: str
    payload: Dict[str, Any]
    t_exam_ms: int
    t_client_ms: int
    hash: str

    def wire(self) -> Dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "payload": self.payload, "t_exam_ms": self.t_exam_ms,
                "t_client_ms": self.t_client_ms, "hash": self.hash}


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _write_error(e: BaseException) -> JournalError:
    text = str(e).lower()
    if "full" in text or "disk" in text or getattr(e, "errno", None) == 28:
        return JournalError("journal.disk_full", "磁盘空间已满，答案未能保存。请释放空间后重试，已保存的答案不受影响。",
                            "The disk is full; the answer was not saved. Free some space and try again; "
                            "answers already saved are safe.")
    return JournalError("journal.write_failed", "答案未能写入磁盘（%s），已保存的答案不受影响。" % e,
                        "The answer could not be written to disk (%s); answers already saved are safe." % e)


def _fsync_dir(folder: str) -> None:
    if os.name != "posix":     # NTFS makes new names durable with the file; no directory handles there
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as e:
        log.warning("could not fsync %s: %s", folder, e)


def _take_file_lock(path: str) -> Any:
    """One writer per journal: a second ExamDesk on the same data folder is refused (the OS drops
    the lock when a process dies, so a crash never leaves it stuck)."""
    f = open(path + ".lock", "a+b")
    try:
        if sys.platform == "win32":   # (os.name == "nt"), spelled so type checkers know msvcrt is there
            import msvcrt

            f.seek(0)      # msvcrt locks from the current position: both instances must lock byte 0
            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        raise JournalError("journal.in_use", "另一个考试客户端正在使用本机的答题记录，请先关闭它。",
                           "another ExamDesk is already using this answer journal; close it first") from None
    return f


class _Closed:
    """Stands in for the connection after close(): a late call (a UI timer at shutdown) gets a
    clear ExamError instead of sqlite3.ProgrammingError."""

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        raise JournalError("journal.closed", "考试客户端正在关闭。", "the exam client is closing")

    executescript = execute

    def close(self) -> None:
        pass


class JournalTransaction:
    """The journal's writes inside one SQLite transaction: `with journal.transaction() as tx:`.
    Re-chaining and repair write only through it, so every INSERT INTO ops stands here once."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self.touched: set = set()

    def insert_op(self, op: Op) -> None:
        self.touched.add(op.sitting_id)
        self._db.execute("INSERT INTO ops VALUES (?,?,?,?,?,?,?)", (op.sitting_id, op.seq, op.kind, _dumps(op.payload),
                                                                  op.t_exam_ms, op.t_client_ms, op.hash))

    def chain_ops(self, sitting_id: str, ops: Iterable[Op], seq: int, prev: str) -> Tuple[int, str]:
        """Insert `ops` (kinds, payloads and times kept) as seq+1, seq+2, ... chained from `prev`."""
        for op in ops:
            seq += 1
            prev = op_hash(prev, seq, op.kind, op.payload, op.t_exam_ms)
            self.insert_op(Op(sitting_id, seq, op.kind, op.payload, op.t_exam_ms, op.t_client_ms, prev))
        return seq, prev

    def archive_ops(self, ops: Iterable[Op], archived_at_ms: int) -> None:
        for op in ops:
            self._db.execute("INSERT INTO ops_archive VALUES (?,?,?,?,?,?,?,?)",
                             (op.sitting_id, op.seq, op.kind, _dumps(op.payload), op.t_exam_ms, op.t_client_ms,
                              op.hash, archived_at_ms))

    def delete_ops(self, sitting_id: str, from_seq: int, upto_seq: int = -1) -> None:
        """Delete the live ops with seq >= from_seq, and those with seq <= upto_seq."""
        self.touched.add(sitting_id)
        self._db.execute("DELETE FROM ops WHERE sitting_id=? AND (seq>=? OR seq<=?)", (sitting_id, from_seq, upto_seq))

    def set_base(self, sitting_id: str, seq: int, chain_head: str) -> None:
        self.touched.add(sitting_id)
        self._db.execute("INSERT OR REPLACE INTO bases VALUES (?,?,?)", (sitting_id, int(seq), chain_head))

    def set_acked(self, sitting_id: str, acked_seq: int, chain_head: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO acks VALUES (?,?,?)", (sitting_id, int(acked_seq), chain_head))

    def move_seal(self, sitting_id: str, final_seq: int, chain_head: str) -> None:
        self._db.execute("UPDATE seals SET final_seq=?, chain_head=? WHERE sitting_id=?",
                         (final_seq, chain_head, sitting_id))

    def save_receipt(self, sitting_id: str, body: Dict[str, Any]) -> None:
        self._db.execute("INSERT OR REPLACE INTO receipts VALUES (?,?)", (sitting_id, _dumps(body)))

    def set_meta(self, key: str, value: Any) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, _dumps(value)))


class AnswerJournal:
    def __init__(self, path: str, check: bool = True) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._heads: Dict[str, Tuple[int, str]] = {}
        os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
        self._file_lock = _take_file_lock(path)
        try:
            self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
            _fsync_dir(os.path.dirname(os.path.abspath(path)))   # the new -wal file's name survives a power cut
        except sqlite3.DatabaseError as e:
            self._close_quietly()
            raise JournalDamaged("journal.damaged", "答题记录文件已损坏：%s" % e, "the journal is damaged: %s" % e) from None
        if check:
            problem = self.verify()
            if problem:
                self._close_quietly()
                raise JournalDamaged("journal.damaged", "答题记录校验失败：%s" % problem,
                                     "the journal failed its check: %s" % problem)

    def _close_quietly(self) -> None:
        try:
            self._db.close()
        except Exception:  # noqa: BLE001 - closing a broken handle must not hide the real error
            pass
        self._file_lock.close()

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._file_lock.close()
            self._db = _Closed()  # type: ignore[assignment]  # late calls get a clear error, not sqlite's

    # -- integrity ------------------------------------------------------------------------
    def verify(self) -> str:
        """'' when sound; else what is wrong (integrity_check, or a chain that does not verify)."""
        with self._lock:
            try:
                rows = self._db.execute("PRAGMA integrity_check").fetchall()
                if [r[0] for r in rows] != ["ok"]:
                    return "integrity_check: " + "; ".join(str(r[0]) for r in rows[:5])
                for sid in self.sitting_ids():
                    seq, prev = self.base(sid)
                    for op in self.ops(sid):
                        if op.seq != seq + 1:
                            return "sitting %s: gap after seq %d" % (sid, seq)
                        if op.hash != op_hash(prev, op.seq, op.kind, op.payload, op.t_exam_ms):
                            return "sitting %s: hash chain broken at seq %d" % (sid, op.seq)
                        seq, prev = op.seq, op.hash
            except (sqlite3.DatabaseError, ValueError) as e:
                return "unreadable: %s" % e
        return ""

    # -- meta (session state, anchors, paper key ...) -----------------------------------------
    def get_meta(self, key: str, default: Any = None) -> Any:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_meta(self, key: str, value: Any) -> None:
        with self._lock:
            try:
                self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, _dumps(value)))
            except sqlite3.Error as e:
                raise _write_error(e) from None

    # -- ops ------------------------------------------------------------------------------
    def sitting_ids(self) -> List[str]:
        with self._lock:
            rows = self._db.execute("SELECT DISTINCT sitting_id FROM ops UNION SELECT sitting_id FROM bases").fetchall()
        return sorted(r[0] for r in rows)

    def base(self, sitting_id: str) -> Tuple[int, str]:
        with self._lock:
            row = self._db.execute("SELECT seq, hash FROM bases WHERE sitting_id=?", (sitting_id,)).fetchone()
        return (int(row[0]), str(row[1])) if row else (0, genesis(sitting_id))

    def head(self, sitting_id: str) -> Tuple[int, str]:
        """(last seq, its hash); (base seq, base hash) when there are no ops."""
        with self._lock:
            if sitting_id not in self._heads:
                row = self._db.execute("SELECT seq, hash FROM ops WHERE sitting_id=? ORDER BY seq DESC LIMIT 1",
                                       (sitting_id,)).fetchone()
                self._heads[sitting_id] = (int(row[0]), str(row[1])) if row else self.base(sitting_id)
            return self._heads[sitting_id]

    @contextmanager
    def transaction(self) -> Iterator[JournalTransaction]:
        """One durable transaction (BEGIN IMMEDIATE ... COMMIT with fsync), holding the journal's lock.
        On failure it rolls back and raises JournalError; the cached chain heads of the sittings it
        touched are dropped either way, so the next read sees what is on disk."""
        with self._lock:
            tx = JournalTransaction(self._db)
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield tx
                self._db.execute("COMMIT")
            except (sqlite3.Error, OSError) as e:
                self._rollback()
                raise _write_error(e) from None
            except BaseException:
                self._rollback()
                raise
            finally:
                for sid in tx.touched:
                    self._heads.pop(sid, None)

    def append(self, sitting_id: str, kind: str, payload: Dict[str, Any], t_exam_ms: int,
               t_client_ms: int) -> Op:
        """Write one op durably (commit with fsync) and return it. Raises JournalError if not saved."""
        with self._lock:
            if self.seal(sitting_id) is not None and kind != "event":
                raise JournalError("journal.sealed", "考试已封存，不能再修改答案。", "the exam is sealed; answers are final")
            seq, prev = self.head(sitting_id)
            op = Op(sitting_id, seq + 1, kind, payload, int(t_exam_ms), int(t_client_ms),
                    op_hash(prev, seq + 1, kind, payload, int(t_exam_ms)))
            with self.transaction() as tx:
                tx.insert_op(op)
            self._heads[sitting_id] = (op.seq, op.hash)
            return op

    def _rollback(self) -> None:
        try:
            self._db.execute("ROLLBACK")
        except (sqlite3.Error, JournalError):
            pass

    def _row_op(self, row: Tuple[Any, ...]) -> Op:
        return Op(row[0], int(row[1]), row[2], json.loads(row[3]), int(row[4]), int(row[5]), row[6])

    def ops(self, sitting_id: str, after_seq: int = 0, limit: int = -1) -> List[Op]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM ops WHERE sitting_id=? AND seq>? ORDER BY seq LIMIT ?",
                                    (sitting_id, after_seq, limit)).fetchall()
        return [self._row_op(r) for r in rows]

    def pending_count(self, sitting_id: str) -> int:
        return max(0, self.head(sitting_id)[0] - self.acked(sitting_id)[0])

    def pending_by_kind(self, sitting_id: str) -> Dict[str, int]:
        """Ops not yet acknowledged by the server, per kind (answer, flag, nav, event...)."""
        acked = self.acked(sitting_id)[0]
        with self._lock:
            rows = self._db.execute("SELECT kind, COUNT(*) FROM ops WHERE sitting_id=? AND seq>? GROUP BY kind",
                                    (sitting_id, acked)).fetchall()
        return {str(k): int(n) for k, n in rows}

    # -- acknowledgements -----------------------------------------------------------------
    def acked(self, sitting_id: str) -> Tuple[int, str]:
        with self._lock:
            row = self._db.execute("SELECT acked_seq, chain_head FROM acks WHERE sitting_id=?",
                                   (sitting_id,)).fetchone()
        return (int(row[0]), str(row[1])) if row else (0, genesis(sitting_id))

    def set_acked(self, sitting_id: str, acked_seq: int, chain_head: str) -> None:
        with self._lock:
            try:
                self._db.execute("INSERT OR REPLACE INTO acks VALUES (?,?,?)", (sitting_id, int(acked_seq), chain_head))
            except sqlite3.Error as e:
                raise _write_error(e) from None

    # -- answers as they stand (last write wins) ---------------------------------------------
    def state_of(self, sitting_id: str) -> AnswerState:
        """Answers, flags and the last visited question: the shared fold over the ops."""
        kinds = ",".join("'%s'" % k for k in ANSWER_KINDS)
        with self._lock:
            # archived rows (replaced by a rebase or repair) first, then the live chain
            rows = self._db.execute("SELECT kind, payload FROM ops_archive WHERE sitting_id=? AND kind IN (%s) "
                                    "ORDER BY rowid" % kinds, (sitting_id,)).fetchall()
            rows += self._db.execute("SELECT kind, payload FROM ops WHERE sitting_id=? AND kind IN (%s) ORDER BY seq"
                                     % kinds, (sitting_id,)).fetchall()
        return fold((kind, json.loads(raw)) for kind, raw in rows)

    # -- seal and receipt -----------------------------------------------------------------------
    def seal(self, sitting_id: str) -> Optional[Dict[str, Any]]:
        with self._lock:
            row = self._db.execute("SELECT final_seq, chain_head, reason, sealed_at_ms FROM seals WHERE sitting_id=?",
                                   (sitting_id,)).fetchone()
        if not row:
            return None
        return {"final_seq": int(row[0]), "chain_head": row[1], "reason": row[2], "sealed_at_ms": int(row[3])}

    def write_seal(self, sitting_id: str, reason: str, sealed_at_ms: int) -> Dict[str, Any]:
        """Freeze the answers: the seal records the final seq and chain head (idempotent)."""
        with self._lock:
            existing = self.seal(sitting_id)
            if existing:
                return existing
            seq, head = self.head(sitting_id)
            try:
                self._db.execute("INSERT INTO seals VALUES (?,?,?,?,?)", (sitting_id, seq, head, reason, int(sealed_at_ms)))
            except sqlite3.Error as e:
                raise _write_error(e) from None
            return {"final_seq": seq, "chain_head": head, "reason": reason, "sealed_at_ms": int(sealed_at_ms)}

    def receipt(self, sitting_id: str) -> Optional[Dict[str, Any]]:
        with self._lock:
            row = self._db.execute("SELECT body FROM receipts WHERE sitting_id=?", (sitting_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def save_receipt(self, sitting_id: str, body: Dict[str, Any], state: Optional[str] = None) -> None:
        """Keep the receipt and (optionally) the new session state in one transaction."""
        with self.transaction() as tx:
            tx.save_receipt(sitting_id, body)
            if state is not None:
                tx.set_meta("state", state)

    # -- uploads ----------------------------------------------------------------------------
    def add_upload(self, path: str, sitting_id: str, purpose: str, sha256: str, size: int,
                   event_seq: Optional[int]) -> None:
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO uploads VALUES (?,?,?,?,?,?,NULL,'pending')",
                             (path, sitting_id, purpose, sha256, int(size), event_seq))

    def uploads(self, status: Optional[str] = None) -> List[Dict[str, Any]]:
        cols = ("path", "sitting_id", "purpose", "sha256", "size", "event_seq", "url", "status")
        with self._lock:
            if status:
                rows = self._db.execute("SELECT * FROM uploads WHERE status=? ORDER BY rowid", (status,)).fetchall()
            else:
                rows = self._db.execute("SELECT * FROM uploads ORDER BY rowid").fetchall()
        return [dict(zip(cols, r)) for r in rows]

    def update_upload(self, path: str, **fields: Any) -> None:
        with self._lock:
            for key, value in fields.items():
                if key not in ("url", "status", "sha256", "size"):
                    raise ValueError(key)
                self._db.execute("UPDATE uploads SET %s=? WHERE path=?" % key, (value, path))
