"""ExamClock: server time counted on a monotonic clock (promise 2, "time is the server's").

Every server response carries `X-Server-Time-Ms`. The clock keeps `offset = server_ms - local
monotonic midpoint`, preferring samples with a short round trip, so "server now" never depends
on the local wall clock: a candidate (or NTP) moving the wall clock changes nothing.

Restarts and crashes. The clock persists an *anchor* `{server_ms, mono_ms, wall_ms}` (via
`persist`) after every good sample and a *high-water mark* (the latest server time it has shown)
regularly. On restart (`restore`):
1. same boot (the monotonic clock did not go backwards since the anchor, and wall and
   monotonic elapsed times agree within `max_skew_s`): server now = anchor + monotonic elapsed.
   The monotonic clock kept running while we were dead, so the crash costs real time, as the rules say.
2. otherwise (a reboot; monotonic clocks restart at boot): fall back to the local wall clock, but
   only as a bounded guess: the wall elapsed time is used only if it is between 0 and
   `max_fallback_s` (default 24 h), and the result is never earlier than the high-water mark.
   A wall clock set back can therefore never give time back, and a wildly wrong one (dead CMOS
   battery) does not end the exam on its own; it is marked `verified=False` until the server answers.
3. the server answering again re-anchors everything: its time is the truth, whatever we guessed.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence

from client.exam.api import ClockReading

WARNING_MINUTES = (30, 15, 5, 1)


class ClockSource:
    """The machine's clocks in seconds. Tests pass a source they can move."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()


class ManualClockSource(ClockSource):
    """A clock that moves only when told to (tests, benchmarks): compressed time."""

    def __init__(self, wall: Optional[float] = None, monotonic: float = 1000.0) -> None:
        self._mono = monotonic
        self._wall = time.time() if wall is None else wall
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def wall(self) -> float:
        with self._lock:
            return self._wall

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._mono += seconds
            self._wall += seconds

    def jump_wall(self, seconds: float) -> None:
        """The user (or NTP) moving the wall clock: the monotonic clock does not move."""
        with self._lock:
            self._wall += seconds


@dataclass
class Anchor:
    server_ms: int
    mono_ms: int
    wall_ms: int
    high_water_ms: int

    def to_dict(self) -> Dict[str, int]:
        return {"server_ms": self.server_ms, "mono_ms": self.mono_ms, "wall_ms": self.wall_ms,
                "high_water_ms": self.high_water_ms}

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> Anchor:
        return cls(int(d["server_ms"]), int(d["mono_ms"]), int(d["wall_ms"]),
                   int(d.get("high_water_ms", d["server_ms"])))


class ExamClock:
    def __init__(self, source: Optional[ClockSource] = None,
                 persist: Optional[Callable[[Dict[str, int]], None]] = None,
                 max_skew_s: float = 300.0, max_fallback_s: float = 24 * 3600.0) -> None:
        self.source = source or ClockSource()
        self._persist = persist
        self._max_skew_ms = int(max_skew_s * 1000)
        self._max_fallback_ms = int(max_fallback_s * 1000)
        self._lock = threading.RLock()
        self._offset_ms: Optional[int] = None     # server_ms - mono_ms
        self._best_rtt_ms: Optional[int] = None
        self._best_at_mono_ms = 0
        self._high_water_ms = 0
        self.verified = False                     # True once the server has answered in this run
        self.start_at_ms = 0
        self.duration_s = 0
        self.extension_s = 0

    # -- samples ------------------------------------------------------------------------
    def mono_ms(self) -> int:
        return int(self.source.monotonic() * 1000)

    def observe(self, server_ms: int, sent_mono_ms: int, recv_mono_ms: int) -> None:
        """One response: `server_ms` was stamped between `sent` and `recv` (local monotonic ms)."""
        rtt = max(0, recv_mono_ms - sent_mono_ms)
        offset = int(server_ms - (sent_mono_ms + recv_mono_ms) / 2)
        with self._lock:
            # a sample with a short round trip is trusted over a slow one, but old samples age out
            stale = recv_mono_ms - self._best_at_mono_ms > 60000
            if self._offset_ms is None or not self.verified or stale or self._best_rtt_ms is None \
                    or rtt <= self._best_rtt_ms * 2 + 5:
                self._offset_ms = offset
                self._best_rtt_ms = rtt if (stale or self._best_rtt_ms is None) else min(rtt, self._best_rtt_ms)
                self._best_at_mono_ms = recv_mono_ms
                self.verified = True
                self._save()

    def server_now_ms(self) -> int:
        with self._lock:
            if self._offset_ms is None:
                return int(self.source.wall() * 1000)   # before any contact: only for display
            now = self.mono_ms() + self._offset_ms
            # never run backwards (a better sample may shift the offset by a few ms)
            if now < self._high_water_ms:
                return self._high_water_ms
            self._high_water_ms = now
            return now

    @property
    def synced(self) -> bool:
        return self._offset_ms is not None

    # -- persistence --------------------------------------------------------------------
    def anchor(self) -> Optional[Anchor]:
        with self._lock:
            if self._offset_ms is None:
                return None
            mono = self.mono_ms()
            server = self.server_now_ms()
            return Anchor(server, mono, int(self.source.wall() * 1000), max(server, self._high_water_ms))

    def _save(self) -> None:
        a = self.anchor()
        if a is not None and self._persist is not None:
            self._persist(a.to_dict())

    def checkpoint(self) -> None:
        """Persist the high-water mark (called every few seconds by the service)."""
        self._save()

    def restore(self, anchor: Dict[str, Any]) -> str:
        """Resume from a persisted anchor; returns how: 'monotonic' or 'wall_fallback' or 'high_water'."""
        a = Anchor.from_dict(anchor)
        mono, wall = self.mono_ms(), int(self.source.wall() * 1000)
        mono_elapsed, wall_elapsed = mono - a.mono_ms, wall - a.wall_ms
        with self._lock:
            self.verified = False
            if mono_elapsed >= 0 and abs(wall_elapsed - mono_elapsed) <= self._max_skew_ms:
                how, server_now = "monotonic", a.server_ms + mono_elapsed
            elif 0 <= wall_elapsed <= self._max_fallback_ms:
                how, server_now = "wall_fallback", a.server_ms + wall_elapsed
            else:
                how, server_now = "high_water", a.high_water_ms
            server_now = max(server_now, a.high_water_ms)     # never give time back
            self._offset_ms = server_now - mono
            self._high_water_ms = server_now
            self._best_rtt_ms = None
        return how

    # -- the exam's deadline --------------------------------------------------------------
    def set_schedule(self, start_at_ms: int, duration_s: int, extension_s: int = 0) -> None:
        with self._lock:
            self.start_at_ms, self.duration_s = int(start_at_ms), int(duration_s)
            self.extension_s = max(self.extension_s if start_at_ms == self.start_at_ms else 0, int(extension_s))

    def set_extension(self, extension_s: int) -> None:
        """The server's total granted extension (heartbeat / sitting)."""
        with self._lock:
            self.extension_s = int(extension_s)

    @property
    def deadline_ms(self) -> int:
        return self.start_at_ms + (self.duration_s + self.extension_s) * 1000

    def exam_ms(self) -> int:
        """Milliseconds since the start (the `t_exam_ms` of operations)."""
        return max(0, self.server_now_ms() - self.start_at_ms)

    def reading(self) -> ClockReading:
        now = self.server_now_ms()
        deadline = self.deadline_ms
        if now < self.start_at_ms:
            state, remaining, until = "not_started", (deadline - self.start_at_ms) / 1000.0, (self.start_at_ms - now) / 1000.0
        elif now < deadline:
            state, remaining, until = "running", (deadline - now) / 1000.0, 0.0
        else:
            state, remaining, until = "ended", 0.0, 0.0
        return ClockReading(state, remaining, until, deadline, self.extension_s)


class WarningSchedule:
    """Which of the 30/15/5/1-minute warnings are due. Thresholds already passed when the
    schedule starts (a restart at 12 minutes left) are not replayed, except the latest one."""

    def __init__(self, minutes: Sequence[int] = WARNING_MINUTES) -> None:
        self.minutes = sorted(minutes, reverse=True)
        self.fired: List[int] = []
        self._primed = False

    def due(self, remaining_s: float) -> List[int]:
        crossed = [m for m in self.minutes if remaining_s <= m * 60 and m not in self.fired]
        if not self._primed:
            self._primed = True
            self.fired.extend(crossed[:-1])
            crossed = crossed[-1:]
        self.fired.extend(crossed)
        return crossed
