"""The first release's models, frozen: server/db.py at commit acc2322 (its tables were made by create_all).
A database of that release is made from these to test the upgrade. Never edit."""

from typing import Any

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
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


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
    source: Mapped[str] = mapped_column(String(8), default="online")  # online | sealed


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
