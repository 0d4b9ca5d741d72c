"""Tables of the second camera: pairings, the phone's current state per sitting, its events, kept frames."""

import threading
import weakref
from typing import Any

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, Database, JsonDoc


class PhonePairing(Base):
    """A one-time pairing URL: its token (only the SHA-256 is kept) becomes a phone key when claimed."""
    __tablename__ = "phone_pairings"
    pairing_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    key_sha256: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    created_at_ms: Mapped[int] = mapped_column(BigInteger)
    expires_at_ms: Mapped[int] = mapped_column(BigInteger)
    claimed_at_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    revoked_at_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # a newer pairing replaced it
    user_agent: Mapped[str] = mapped_column(String(300), default="")


class PhoneState(Base):
    """What the server knows of a sitting's phone now (one row per sitting, the current pairing's)."""
    __tablename__ = "phone_state"
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), primary_key=True)
    pairing_id: Mapped[str] = mapped_column(String(32))
    claimed_at_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    frames: Mapped[int] = mapped_column(Integer, default=0)
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_frame_at_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    last_frame_sha256: Mapped[str] = mapped_column(String(64), default="")
    same_frames: Mapped[int] = mapped_column(Integer, default=0)   # identical frames in a row (a frozen page)
    live_since_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    stopped_noted: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # the page said it is closing
    last_beat_at_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    visibility: Mapped[str] = mapped_column(String(16), default="unknown")
    visibility_since_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    battery_level: Mapped[float | None] = mapped_column(Float, nullable=True)
    charging: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    battery_low_noted: Mapped[bool] = mapped_column(Boolean, default=False)
    wake_lock: Mapped[str] = mapped_column(String(16), default="unknown")
    facing: Mapped[str] = mapped_column(String(16), default="unknown")
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    last_evidence_at_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    last_interruption: Mapped[Any] = mapped_column(JsonDoc, default=dict)


class PhoneEvent(Base):
    """What happened to the phone, in server time: paired, live, hidden, interrupted, stopped, resumed..."""
    __tablename__ = "phone_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), index=True)
    pairing_id: Mapped[str] = mapped_column(String(32))
    type: Mapped[str] = mapped_column(String(32))
    at_ms: Mapped[int] = mapped_column(BigInteger)
    detail: Mapped[Any] = mapped_column(JsonDoc, default=dict)


class PhoneFrame(Base):
    """A phone frame kept as evidence (sparse: the policy's interval, the first after each gap)."""
    __tablename__ = "phone_frames"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sitting_id: Mapped[str] = mapped_column(ForeignKey("sittings.sitting_id"), index=True)
    pairing_id: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    received_at_ms: Mapped[int] = mapped_column(BigInteger, index=True)
    reason: Mapped[str] = mapped_column(String(16))          # first | interval | resumed
    key: Mapped[str] = mapped_column(String(200))            # where the store keeps it
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)  # past retention: the file is gone


PHONE_TABLES: list[Table] = [Base.metadata.tables[m.__tablename__] for m in (PhonePairing, PhoneState, PhoneEvent, PhoneFrame)]
_ready: "weakref.WeakSet[Database]" = weakref.WeakSet()
_ready_lock = threading.Lock()


def ensure_tables(db: Database) -> None:
    """Create the phone tables once per database (the core tables come from Database itself)."""
    if db in _ready:
        return
    with _ready_lock:
        if db not in _ready:
            Base.metadata.create_all(db.engine, tables=PHONE_TABLES)
            _ready.add(db)
