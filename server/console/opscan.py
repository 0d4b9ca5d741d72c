"""What the console needs from each sitting's ops, read incrementally.

Ops are append-only (a hash chain: server/ledger.py never changes or removes one), so per sitting this
keeps the warn/alert events and the last op's arrival, and reads again only the ops beyond the last
sequence number it has seen, for the sittings whose `acked_seq` moved. Each server process keeps its own
copy; a new process reads everything once.
"""

import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select

from server.db import Op, json_text

FLAG_SEVERITIES = ("warn", "alert")
CHUNK = 200            # sittings per query (bound parameters stay far below SQLite's limit)
MAX_SITTINGS = 100_000  # beyond this the cache starts again (a year of exams on one process)


@dataclass
class Scanned:
    seq: int = 0
    last_received_ms: int | None = None
    events: list[tuple[str, int, Any, int, int]] = field(default_factory=list)


class OpScan:
    def __init__(self) -> None:
        self._by: dict[str, Scanned] = {}
        self._lock = threading.Lock()

    def read(self, session, acked: dict[str, int]) -> dict[str, Scanned]:
        """{sitting_id: Scanned} for `acked` ({sitting_id: acked_seq} as the caller just read it)."""
        with self._lock:
            if len(self._by) > MAX_SITTINGS:
                self._by.clear()
            held = {sid: self._by.get(sid) or Scanned() for sid in acked}
        moved = [sid for sid, seq in acked.items() if seq > held[sid].seq]
        for i in range(0, len(moved), CHUNK):
            part = moved[i:i + CHUNK]
            newer = or_(*(and_(Op.sitting_id == sid, Op.seq > held[sid].seq) for sid in part))
            fresh = {sid: Scanned(held[sid].seq, held[sid].last_received_ms, list(held[sid].events)) for sid in part}
            for sid, top, last in session.execute(select(Op.sitting_id, func.max(Op.seq), func.max(Op.received_at_ms))
                                                  .where(newer).group_by(Op.sitting_id)):
                sc = fresh[sid]
                sc.seq, sc.last_received_ms = int(top), max(int(last), sc.last_received_ms or 0)
            rows = session.execute(select(Op.sitting_id, Op.seq, Op.payload, Op.t_exam_ms, Op.received_at_ms)
                                   .where(newer, Op.kind == "event",
                                          json_text(session, Op.payload, "severity").in_(FLAG_SEVERITIES))
                                   .order_by(Op.sitting_id, Op.seq))
            for sid, seq, payload, t_exam_ms, received in rows:
                sc = fresh[sid]
                if seq <= sc.seq and (not sc.events or seq > sc.events[-1][1]):
                    sc.events.append((sid, int(seq), payload, int(t_exam_ms), int(received)))
            with self._lock:
                for sid, sc in fresh.items():
                    if sc.seq > (self._by.get(sid) or Scanned()).seq:
                        self._by[sid] = sc
            held.update(fresh)
        return held


SCAN = OpScan()
