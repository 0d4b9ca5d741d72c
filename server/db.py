"""Storage: SQLAlchemy 2 models; SQLite in WAL mode with synchronous=FULL by default."""

import threading
from contextlib import contextmanager
from typing import Any, Iterator

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


class Base(DeclarativeBase):
    pass


class Candidate(Base):
    __tablename__ = "candidates"
    ticket: Mapped[str] = mapped_column(String(64), primary_key=True)
    id_number: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(128))
    level: Mapped[str] = mapped_column(String(8))
    password_hash: Mapped[str] = mapped_column(String(256))
    prior_attempts: Mapped[Any] = mapped_column(JSON, default=dict)  # {part: n} sat before this server
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
    proctors: Mapped[Any] = mapped_column(JSON)
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
    receipt: Mapped[Any | None] = mapped_column(JSON, nullable=True)  # {"receipt": {...}, "signature": "..."}


class Op(Base):
    __tablename__ = "ops"
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[Any] = mapped_column(JSON)
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
    body: Mapped[Any] = mapped_column(JSON)
    created_at_ms: Mapped[int] = mapped_column(BigInteger)
    acked_at_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Heartbeat(Base):
    __tablename__ = "heartbeats"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), index=True)
    received_at_ms: Mapped[int] = mapped_column(BigInteger)
    body: Mapped[Any] = mapped_column(JSON)


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
    members: Mapped[Any] = mapped_column(JSON)  # [{"name", "score"}]
    total: Mapped[float] = mapped_column(Float)
    scored_at_ms: Mapped[int] = mapped_column(BigInteger)


class Database:
    """Engine + sessions. Writes that read-then-write (ops, uploads, logins) hold `write_lock`
    so SQLite never sees two writers race on one sitting; PostgreSQL would use row locks."""

    def __init__(self, url: str) -> None:
        self.url = url
        kw: dict[str, Any] = {}
        if url.startswith("sqlite"):
            kw["connect_args"] = {"check_same_thread": False, "timeout": 30}
        self.engine: Engine = create_engine(url, **kw)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.write_lock = threading.RLock()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.sessions() as s:
            yield s

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction, all or nothing, serialised with other writers."""
        with self.write_lock, self.sessions() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")  # an acked op survives a power cut
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()
