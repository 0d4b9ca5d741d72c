"""Storage: SQLAlchemy 2 models and the engines behind them.

SQLite (WAL, synchronous=FULL) by default; PostgreSQL through psycopg 3 for several workers or
machines. The schema is owned by the Alembic revisions in server/migrations (see its README):
a model changed here needs a revision there, and CI checks that both agree.
"""

import json
import logging
import os
import random
import threading
import time
from contextlib import contextmanager
from functools import wraps
from typing import Any, Callable, Iterator, TypeVar

try:
    import fcntl
except ImportError:  # Windows: one server process per SQLite file there
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    cast,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


class _JsonAsText(TypeDecorator):
    """JSON kept as text: PostgreSQL's json type refuses NaN and Infinity, which op payloads may carry on
    purpose (server/ledger.py json_problem), and a stored op must come back exactly as it was hashed."""
    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return None if value is None else json.loads(value)


# Every JSON column: SQLite's JSON (text underneath) there, text on PostgreSQL. Use it for new columns too.
JsonDoc = JSON().with_variant(_JsonAsText(), "postgresql")


def json_text(session: Session, column: Any, key: str) -> Any:
    """`column ->> key` (the value as text) in SQL on either backend: on PostgreSQL the document is kept as
    text, so it is cast to json first (the edge refuses NaN, so every stored document casts)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import JSON as PG_JSON

        return cast(column, PG_JSON)[key].astext
    return column[key].as_string()


class Base(DeclarativeBase):
    pass


class Candidate(Base):
    __tablename__ = "candidates"
    ticket: Mapped[str] = mapped_column(String(64), primary_key=True)
    id_number: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(128))
    level: Mapped[str] = mapped_column(String(8))
    password_hash: Mapped[str] = mapped_column(String(256))
    prior_attempts: Mapped[Any] = mapped_column(JsonDoc, default=dict)  # {part: n} sat before this server
    created_at_ms: Mapped[int] = mapped_column(BigInteger)


class PaperRow(Base):
    __tablename__ = "papers"
    paper_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    title: Mapped[str] = mapped_column(String(256))
    level: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)  # examdesk-paper/1 JSON with answers
    imported_at_ms: Mapped[int] = mapped_column(BigInteger)


class Room(Base):
    __tablename__ = "rooms"
    room_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    paper_id: Mapped[str] = mapped_column(ForeignKey("papers.paper_id"))
    part: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8))
    start_at_ms: Mapped[int] = mapped_column(BigInteger)
    duration_s: Mapped[int] = mapped_column(Integer)
    proctors: Mapped[Any] = mapped_column(JsonDoc)
    paper_key_b64: Mapped[str] = mapped_column(String(64))  # AES-256-GCM key, released at start
    key_id: Mapped[str] = mapped_column(String(96))
    nonce_b64: Mapped[str] = mapped_column(String(32))
    ciphertext_b64: Mapped[str] = mapped_column(Text)
    ciphertext_sha256: Mapped[str] = mapped_column(String(64))
    created_at_ms: Mapped[int] = mapped_column(BigInteger)


class Sitting(Base):
    __tablename__ = "sittings"
    sitting_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.room_id"), index=True)
    ticket: Mapped[str] = mapped_column(ForeignKey("candidates.ticket"), index=True)
    part: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8))
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    extension_s: Mapped[int] = mapped_column(Integer, default=0)
    acked_seq: Mapped[int] = mapped_column(Integer, default=0)
    chain_head: Mapped[str] = mapped_column(String(64))
    ended_at_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    ended_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    submitted_at_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    receipt: Mapped[Any | None] = mapped_column(JsonDoc, nullable=True)  # {"receipt": {...}, "signature": "..."}


class Op(Base):
    __tablename__ = "ops"
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[Any] = mapped_column(JsonDoc)
    t_exam_ms: Mapped[int] = mapped_column(BigInteger)
    t_client_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    hash: Mapped[str] = mapped_column(String(64))
    received_at_ms: Mapped[int] = mapped_column(BigInteger)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(8), default="online")  # online | queued (came late from the queue) | sealed


class Command(Base):
    __tablename__ = "commands"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    body: Mapped[Any] = mapped_column(JsonDoc)
    created_at_ms: Mapped[int] = mapped_column(BigInteger)
    acked_at_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Heartbeat(Base):
    __tablename__ = "heartbeats"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), index=True)
    received_at_ms: Mapped[int] = mapped_column(BigInteger)
    body: Mapped[Any] = mapped_column(JsonDoc)


class Upload(Base):
    __tablename__ = "uploads"
    upload_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), index=True)
    ticket: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(256))
    filetype: Mapped[str] = mapped_column(String(128))
    purpose: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="partial")  # partial | verified | rejected
    event_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at_ms: Mapped[int] = mapped_column(BigInteger)
    completed_at_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Token(Base):
    __tablename__ = "tokens"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket: Mapped[str] = mapped_column(ForeignKey("candidates.ticket"), index=True)
    expires_at_ms: Mapped[int] = mapped_column(BigInteger)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginFailure(Base):
    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(160), index=True)  # "ticket:<t>" or "addr:<ip>"
    at_ms: Mapped[int] = mapped_column(BigInteger)


class Mark(Base):
    __tablename__ = "marks"
    __table_args__ = (UniqueConstraint("sitting_id", "question_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    points: Mapped[float] = mapped_column(Float)
    marked_at_ms: Mapped[int] = mapped_column(BigInteger)


class PanelScore(Base):
    """A practical / comprehensive assessment: each member of a panel (>= 3, odd) scores out of 100."""
    __tablename__ = "panel_scores"
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), primary_key=True)
    part: Mapped[str] = mapped_column(String(16), primary_key=True)
    members: Mapped[Any] = mapped_column(JsonDoc)  # [{"name", "score"}]
    total: Mapped[float] = mapped_column(Float)
    scored_at_ms: Mapped[int] = mapped_column(BigInteger)


class UploadPart(Base):
    """One tus PATCH's bytes, as stored; an upload's offset is the sum of its committed parts. A PATCH
    commits its part only if the offset is still the one it started at, so two workers racing on one
    upload cannot both append (the loser's part is deleted)."""
    __tablename__ = "upload_parts"
    upload_id: Mapped[str] = mapped_column(ForeignKey("uploads.upload_id", ondelete="CASCADE"), primary_key=True)
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    length: Mapped[int] = mapped_column(BigInteger)
    key: Mapped[str] = mapped_column(String(200))  # object key in the upload store
    created_at_ms: Mapped[int] = mapped_column(BigInteger)


# -- staff: accounts, room assignments, console sessions, flag reviews, audit (server/console) --------
class StaffAccount(Base):
    """A proctor, marker or administrator who signs in to the console (server/console/accounts.py)."""
    __tablename__ = "staff_accounts"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))  # proctor | marker | admin
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at_ms: Mapped[int] = mapped_column(BigInteger)
    updated_at_ms: Mapped[int] = mapped_column(BigInteger)


class RoomProctor(Base):
    """A room's proctors by username (from the room CSV, the admin API); an account may come later."""
    __tablename__ = "room_proctors"
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.room_id"), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    assigned_at_ms: Mapped[int] = mapped_column(BigInteger)


class StaffSession(Base):
    __tablename__ = "staff_sessions"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at_ms: Mapped[int] = mapped_column(BigInteger)
    expires_at_ms: Mapped[int] = mapped_column(BigInteger)
    last_seen_ms: Mapped[int] = mapped_column(BigInteger)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class FlagReview(Base):
    """A proctor's review of one flag (an event op of a sitting)."""
    __tablename__ = "flag_reviews"
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16))  # no_issue | concern
    note: Mapped[str] = mapped_column(String(2000))
    reviewer: Mapped[str] = mapped_column(String(64))
    reviewed_at_ms: Mapped[int] = mapped_column(BigInteger)


class StaffAudit(Base):
    """Every staff action: who, what, when, why, on what, and how it ended (server/console/audit.py)."""
    __tablename__ = "staff_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at_ms: Mapped[int] = mapped_column(BigInteger, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(48))
    room_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    sitting_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    target: Mapped[str | None] = mapped_column(String(128), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    details: Mapped[Any] = mapped_column(JsonDoc)
    outcome: Mapped[str] = mapped_column(String(64))  # pending | ok | refused:<code>
    addr: Mapped[str | None] = mapped_column(String(64), nullable=True)


class OpTiming(Base):
    """How an answer that arrived after its sitting closed was judged (server/closing.py), and what a
    proctor decided about it (server/lateness.py). Ops that arrived in time have no row."""
    __tablename__ = "op_timing"
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    basis: Mapped[str] = mapped_column(String(16))   # client_clock (counted on the client's word) | late
    reason: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str | None] = mapped_column(String(8), nullable=True)   # accepted | rejected
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_at_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)


class SittingEdge(Base):
    """Per sitting: the last heartbeat before the close, which bounds what the client can later claim
    about when it made an answer (server/closing.py). Written with the heartbeat batches."""
    __tablename__ = "sitting_edge"
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), primary_key=True)
    contact_at_ms: Mapped[int] = mapped_column(BigInteger)
    committed_seq: Mapped[int] = mapped_column(Integer)   # acked + pending then



class Presence(Base):
    """The latest heartbeat of each sitting (the history goes to `heartbeats` in batches)."""
    __tablename__ = "presence"
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), primary_key=True)
    received_at_ms: Mapped[int] = mapped_column(BigInteger)
    body: Mapped[Any] = mapped_column(JsonDoc)


T = TypeVar("T")
log = logging.getLogger("examdesk.server.db")
RETRIES = 8
SQLITE_READERS = 48   # >= the worker threads (anyio's default limiter: 40) plus the background threads


class Database:
    """Engines and sessions for SQLite or PostgreSQL.

    SQLite: one writer at a time. Write transactions start with BEGIN IMMEDIATE, which serialises
    writers across worker processes; inside a process `write_lock` queues them without busy-waiting.
    PostgreSQL: no global lock; read-then-write paths lock their row (`owned_sitting(lock=True)`,
    FOR NO KEY UPDATE) and `retrying` re-runs a transaction that lost a deadlock or serialisation race.
    """

    def __init__(self, url: str, pool_size: int = 20) -> None:
        self.url = url
        self.dialect = make_url(url).get_backend_name()
        if self.dialect == "sqlite":
            kw: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
            # connections kept open for every worker thread: a new one costs its pragmas, the schema
            # parse and every statement prepared again (with the default pool of 5: every request past the fifth at once)
            self.engine: Engine = create_engine(url, pool_size=SQLITE_READERS, max_overflow=8, **kw)
            self.write_engine: Engine = create_engine(url, pool_size=2, max_overflow=8, **kw)
            for eng, begin in ((self.engine, "BEGIN"), (self.write_engine, "BEGIN IMMEDIATE")):
                event.listen(eng, "connect", _sqlite_pragmas)
                event.listen(eng, "begin", _sqlite_begin(begin))
        elif self.dialect == "postgresql":
            # a connection past pool_size is closed when returned and opened again next time (a backend
            # forked per request under load): keep pool_size near the worker threads that use the database
            self.engine = create_engine(url, pool_size=pool_size, max_overflow=10, pool_pre_ping=True,
                                        pool_recycle=1800)
            self.write_engine = self.engine
        else:
            raise SystemExit("unsupported database %r: use sqlite:///FILE or postgresql+psycopg://..." % url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)
        self.write_lock: Any = _NoLock()
        if self.dialect == "sqlite":
            path = make_url(url).database
            self.write_lock = _WriterLock(path + "-writer.lock" if path and path != ":memory:" else None)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with _refused_values(), self.sessions() as s:
            yield s

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction, all or nothing (SQLite: serialised with other writers)."""
        with _refused_values(), self.write_lock, self.write_sessions() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()
        self.write_engine.dispose()


@contextmanager
def _refused_values() -> Iterator[None]:
    """A value the database cannot hold (PostgreSQL: a NUL character, text past its column's length, a number
    out of range) is the request's fault: 422, never 500. Validation at the edge should catch them first."""
    try:
        yield
    except DataError as e:
        from server.errors import ApiError

        log.info("database refused a value: %s", str(e.orig).splitlines()[0][:200])
        raise ApiError("request.invalid", "请求中有数据库无法保存的值（如 NUL 字符、过长的文本或超出范围的数字）",
                       "the request holds a value the database cannot store (a NUL character, text too long, "
                       "a number out of range)") from None


class _WriterLock:
    """SQLite's writers, one at a time: a thread lock inside the process and an flock on a file beside the
    database across worker processes. Waiting on flock wakes the next writer the moment the lock is free;
    SQLite's own busy handler would poll with sleeps of up to 100 ms (a p99 of hundreds of ms with 2 workers)."""

    def __init__(self, path: str | None) -> None:
        self.thread_lock = threading.RLock()
        self.path, self.fd, self.depth = path, -1, 0

    def __enter__(self) -> None:
        self.thread_lock.acquire()
        if self.path and fcntl is not None:
            if self.depth == 0:
                if self.fd < 0:
                    self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(self.fd, fcntl.LOCK_EX)
            self.depth += 1

    def __exit__(self, *exc: Any) -> None:
        if self.path and fcntl is not None:
            self.depth -= 1
            if self.depth == 0:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.thread_lock.release()


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None


def retryable(e: BaseException) -> bool:
    """A transaction that may succeed when run again: a PostgreSQL deadlock or serialisation failure
    (40P01, 40001), or SQLite still busy after its timeout."""
    if isinstance(e, DBAPIError):
        code = getattr(e.orig, "sqlstate", None) or getattr(e.orig, "pgcode", None)
        if code in ("40001", "40P01"):
            return True
        return isinstance(e, OperationalError) and "database is locked" in str(e.orig)
    return False


def retrying(fn: Callable[..., T]) -> Callable[..., T]:
    """Run `fn` (which opens its own transactions) again, with jittered back-off, after a retryable loss."""
    @wraps(fn)
    def run(*args: Any, **kw: Any) -> T:
        for attempt in range(RETRIES):
            try:
                return fn(*args, **kw)
            except DBAPIError as e:
                if not retryable(e) or attempt == RETRIES - 1:
                    raise
                log.info("retrying %s after %s", fn.__name__, type(e.orig).__name__)
                time.sleep(random.uniform(0, 0.005 * 2 ** attempt))
        raise AssertionError("unreachable")
    return run


def _sqlite_begin(statement: str) -> Callable[[Any], None]:
    def begin(conn: Any) -> None:
        conn.exec_driver_sql(statement)
    return begin


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # pysqlite's own BEGIN off: ours (deferred or IMMEDIATE) is sent on begin
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")  # an acked op survives a power cut
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()
