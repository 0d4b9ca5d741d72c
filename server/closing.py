"""When a sitting closes, whether an answer counts, and when a candidate may see a result.

The server's clock decides (docs/protocol.md, "Closing and lateness"). The client's exam clock
(`t_exam_ms`) is believed only where nothing better exists: for an answer the server receives after
the close, made while the client was out of contact, and delivered within OFFLINE_GRACE_MS. Even
then the claim must fit what the server saw: no later than the close, not running backwards along
the chain, and not before the last heartbeat that said the op did not exist yet.
"""

from dataclasses import dataclass

from server.db import Room, Sitting

NETWORK_GRACE_MS = 5_000             # an answer in flight when the exam closes
OFFLINE_GRACE_MS = 15 * 60 * 1000    # how long after the close answers made offline may still arrive
CLOCK_TOLERANCE_MS = 2_000           # a client's exam clock may step back this much on a resync

SERVER_CLOCK = "server_clock"   # received (or handed in, per staff) before the close
CLIENT_CLOCK = "client_clock"   # received after the close; counted on the client's word, within limits
LATE = "late"


def deadline_ms(room: Room, sitting: Sitting) -> int:
    return room.start_at_ms + (room.duration_s + sitting.extension_s) * 1000


def close_ms(room: Room, sitting: Sitting) -> int:
    """The deadline with extensions, or a proctor's end if that came first."""
    deadline = deadline_ms(room, sitting)
    return deadline if sitting.ended_at_ms is None else min(deadline, sitting.ended_at_ms)


def is_closed(room: Room, sitting: Sitting, now_ms: int) -> bool:
    return sitting.ended_at_ms is not None or now_ms > deadline_ms(room, sitting) + NETWORK_GRACE_MS


@dataclass(frozen=True)
class Contact:
    """The last heartbeat before the close: at `at_ms` the client held at most `committed_seq` ops."""
    at_ms: int
    committed_seq: int


@dataclass(frozen=True)
class Verdict:
    late: bool
    basis: str
    reason: str


ON_TIME = Verdict(False, SERVER_CLOCK, "in_time")


def _late(reason: str) -> Verdict:
    return Verdict(True, LATE, reason)


def judge(*, start_ms: int, close_at_ms: int, delivered_ms: int, seq: int, t_exam_ms: int,
          prev_t_exam_ms: int | None, contact: Contact | None) -> Verdict:
    """Whether one answer op counts. `delivered_ms`: when the server received it (or, for a sealed
    file staff import, when the centre says it was handed in)."""
    if delivered_ms <= close_at_ms:
        return ON_TIME
    limit = close_at_ms - start_ms + NETWORK_GRACE_MS   # the close in exam time, with the in-flight grace
    if delivered_ms <= close_at_ms + NETWORK_GRACE_MS:
        return ON_TIME if t_exam_ms <= limit else _late("made_after_close")
    if delivered_ms > close_at_ms + OFFLINE_GRACE_MS:
        return _late("arrived_after_grace")
    if t_exam_ms > limit:
        return _late("made_after_close")
    if prev_t_exam_ms is not None and t_exam_ms < prev_t_exam_ms - CLOCK_TOLERANCE_MS:
        return _late("clock_ran_backwards")
    if contact is not None and seq > contact.committed_seq \
            and t_exam_ms < contact.at_ms - start_ms - CLOCK_TOLERANCE_MS:
        return _late("contradicts_heartbeat")   # claims a time when, by the client's own count, it did not exist
    return Verdict(False, CLIENT_CLOCK, "offline")


def counts(late: bool, decision: str | None) -> bool:
    """Whether an answer op is scored: on time and not rejected by a proctor, or accepted by one."""
    return decision == "accepted" or (not late and decision != "rejected")


def results_released_at_ms(room: Room, sittings: list[Sitting]) -> int:
    """A formal room's results become visible to candidates when no answer can count any more:
    the last close among its sittings plus the offline grace."""
    last = max((close_ms(room, s) for s in sittings), default=room.start_at_ms + room.duration_s * 1000)
    return last + OFFLINE_GRACE_MS
