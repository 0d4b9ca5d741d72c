"""Opening the journal, and rebuilding it when it is damaged.

A journal that fails `PRAGMA integrity_check` or whose hash chain does not verify is **set aside**
(renamed with its -wal/-shm files, never deleted) and a new one is built from:
- the ops that survive in the damaged file and still verify from the genesis (kept as they were);
- what the server acknowledged (`server_ack(sitting_id) -> (acked_seq, chain_head)` when reachable):
  the new chain continues from the server's head, so nothing is sent twice or forked;
- readable ops after the break whose seq the server does not hold: re-appended as new ops, so an
  answer that survived on disk is never dropped (values are final state: last write wins).
The result is a RepairReport, also written next to the damaged file as JSON for the centre.
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from client.durable import write_json_atomic
from client.sync.journal import JOURNAL_NAME, AnswerJournal, JournalDamaged, Op
from examcore.chain import genesis, op_hash

log = logging.getLogger(__name__)

# (sitting_id, salvaged meta) -> the server's (acked_seq, chain_head), None when unknown
ServerAck = Callable[[str, Dict[str, Any]], Optional[Tuple[int, str]]]


@dataclass
class RepairReport:
    problem: str
    damaged_path: str
    kept_ops: int = 0
    reappended_ops: int = 0
    archived_ops: int = 0
    unreadable_rows: int = 0
    server_heads: Dict[str, int] = field(default_factory=dict)

    def message_zh(self) -> str:
        return ("答题记录文件损坏，已另存为 %s 并重建：保留 %d 条，重新写入 %d 条，服务器已确认至第 %s 条，无法读取 %d 条。"
                % (os.path.basename(self.damaged_path), self.kept_ops, self.reappended_ops,
                   ",".join(str(v) for v in self.server_heads.values()) or "-", self.unreadable_rows))

    def message_en(self) -> str:
        return ("The answer journal was damaged; it was set aside as %s and rebuilt: %d ops kept, %d re-written, "
                "server holds up to seq %s, %d rows unreadable." % (
                    os.path.basename(self.damaged_path), self.kept_ops, self.reappended_ops,
                    ",".join(str(v) for v in self.server_heads.values()) or "-", self.unreadable_rows))


def journal_path(data_dir: str) -> str:
    return os.path.join(data_dir, JOURNAL_NAME)


def open_journal(data_dir: str, server_ack: Optional[ServerAck] = None) -> Tuple[AnswerJournal, Optional[RepairReport]]:
    """The journal of `data_dir`, repaired first if it is damaged."""
    path = journal_path(data_dir)
    if not os.path.exists(path):
        unfinished = unfinished_repairs(path)
        if unfinished:   # a crash during a rebuild: the set-aside file is the only copy, redo it
            log.error("resuming an interrupted journal rebuild from %s", unfinished[-1])
            return rebuild(path, "an earlier rebuild was interrupted", server_ack, damaged=unfinished[-1])
    try:
        return AnswerJournal(path), None
    except JournalDamaged as e:
        log.error("journal damaged, rebuilding: %s", e)
        return rebuild(path, e.message_en, server_ack)


def unfinished_repairs(path: str) -> List[str]:
    """Set-aside journals whose rebuild never finished (no report next to them), oldest first."""
    folder, name = os.path.split(path)
    stem = name[:-len(".sqlite3")] if name.endswith(".sqlite3") else name
    found = [os.path.join(folder, f) for f in os.listdir(folder or ".")
             if f.startswith(stem + ".damaged-") and f.endswith(".sqlite3")]
    return sorted((f for f in found if not os.path.exists(f + ".report.json")), key=os.path.getmtime)


def set_aside(path: str) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = path[:-len(".sqlite3")] if path.endswith(".sqlite3") else path
    target = "%s.damaged-%s.sqlite3" % (base, stamp)
    n = 1
    while os.path.exists(target):
        n += 1
        target = "%s.damaged-%s-%d.sqlite3" % (base, stamp, n)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.replace(path + suffix, target + suffix)
    return target


def _salvage(path: str) -> Tuple[Dict[str, List[Dict[str, Any]]], Dict[str, Any], int]:
    """Whatever rows can still be read: (tables, meta, unreadable row count)."""
    tables: Dict[str, List[Dict[str, Any]]] = {"ops": [], "acks": [], "seals": [], "receipts": [], "uploads": []}
    meta: Dict[str, Any] = {}
    bad = 0
    try:
        db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    except sqlite3.Error:
        return tables, meta, 0
    try:
        for table in list(tables) + ["meta"]:
            try:
                cur = db.execute("SELECT * FROM %s LIMIT 0" % table)
                cols = [d[0] for d in cur.description]
                top = db.execute("SELECT max(rowid) FROM %s" % table).fetchone()[0] or 0
            except sqlite3.Error:
                continue
            for rowid in range(1, int(top) + 1):
                try:
                    row = db.execute("SELECT * FROM %s WHERE rowid=?" % table, (rowid,)).fetchone()
                except sqlite3.Error:
                    bad += 1
                    continue
                if row is None:
                    continue
                rec = dict(zip(cols, row))
                if table == "meta":
                    try:
                        meta[rec["key"]] = json.loads(rec["value"])
                    except (ValueError, TypeError, KeyError):
                        bad += 1
                else:
                    tables[table].append(rec)
    finally:
        db.close()
    return tables, meta, bad


def _to_op(rec: Dict[str, Any]) -> Optional[Op]:
    try:
        return Op(str(rec["sitting_id"]), int(rec["seq"]), str(rec["kind"]), json.loads(rec["payload"]),
                  int(rec["t_exam_ms"]), int(rec["t_client_ms"]), str(rec["hash"]))
    except (ValueError, TypeError, KeyError):
        return None


def rebuild(path: str, problem: str, server_ack: Optional[ServerAck] = None,
            damaged: Optional[str] = None) -> Tuple[AnswerJournal, RepairReport]:
    """Set the damaged file aside and build the new journal beside it, moving it into place only
    when complete: a crash in the middle leaves the set-aside file (no report yet) to start over from."""
    damaged = damaged or set_aside(path)
    tables, meta, bad = _salvage(damaged)
    report = RepairReport(problem, damaged, unreadable_rows=bad)
    building = path + ".rebuild"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(building + suffix):
            os.remove(building + suffix)   # a half-built copy from an interrupted rebuild
    journal = AnswerJournal(building, check=False)
    for key, value in meta.items():
        journal.set_meta(key, value)
    by_sitting: Dict[str, List[Op]] = {}
    for rec in tables["ops"]:
        op = _to_op(rec)
        if op is None:
            report.unreadable_rows += 1
            continue
        by_sitting.setdefault(op.sitting_id, []).append(op)
    sittings = set(by_sitting) | {r["sitting_id"] for r in tables["acks"] if r.get("sitting_id")}
    for sid in sorted(sittings):
        ops = sorted(by_sitting.get(sid, []), key=lambda o: o.seq)
        # the prefix that still verifies from the genesis is kept as it was
        seq, prev, kept = 0, genesis(sid), []
        for op in ops:
            if op.seq != seq + 1 or op.hash != op_hash(prev, op.seq, op.kind, op.payload, op.t_exam_ms):
                break
            kept.append(op)
            seq, prev = op.seq, op.hash
        rest = [o for o in ops[len(kept):]]
        ack = server_ack(sid, meta) if server_ack else None
        if ack is None:
            ack = max(((int(r["acked_seq"]), str(r["chain_head"])) for r in tables["acks"]
                       if r.get("sitting_id") == sid), default=None)
            if ack is not None and ack[0] > seq:
                ack = None   # a remembered ack beyond what verifies cannot be trusted without the server
        with journal.transaction() as tx:
            if ack is not None and ack[0] > seq:
                # the server holds more than survives: continue from its head, archive what we have
                report.server_heads[sid] = ack[0]
                tx.set_base(sid, ack[0], ack[1])
                tx.set_acked(sid, ack[0], ack[1])
                archive = kept + [o for o in rest if o.seq <= ack[0]]
                rest = [o for o in rest if o.seq > ack[0]]
                kept = []
                seq, prev = ack
            else:
                archive = []
                if ack is not None:
                    report.server_heads[sid] = ack[0]
                    tx.set_acked(sid, ack[0], ack[1])
            tx.archive_ops(archive, int(time.time() * 1000))
            for op in kept:
                tx.insert_op(op)
            tx.chain_ops(sid, rest, seq, prev)
        report.kept_ops += len(kept)
        report.reappended_ops += len(rest)
        report.archived_ops += len(archive)
    for rec in tables["seals"]:
        journal.write_seal(str(rec["sitting_id"]), str(rec["reason"]), int(rec["sealed_at_ms"]))
    for rec in tables["receipts"]:
        try:
            journal.save_receipt(str(rec["sitting_id"]), json.loads(rec["body"]))
        except (ValueError, TypeError):
            report.unreadable_rows += 1
    for rec in tables["uploads"]:
        journal.add_upload(rec["path"], rec["sitting_id"], rec["purpose"], rec["sha256"], rec["size"], rec["event_seq"])
    problem_after = journal.verify()
    if problem_after:   # pragma: no cover - a rebuild that does not verify is a bug worth shouting about
        raise JournalDamaged("journal.rebuild_failed", "重建答题记录失败：%s" % problem_after, problem_after)
    journal.close()                       # checkpoints the WAL into the file: one file to move
    os.replace(building, path)
    if os.path.exists(building + ".lock"):
        os.remove(building + ".lock")
    journal = AnswerJournal(path)
    write_json_atomic(damaged + ".report.json", asdict(report), indent=1)   # its presence marks the rebuild done
    log.error("%s / %s", report.message_zh(), report.message_en())
    return journal, report
