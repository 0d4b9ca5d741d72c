"""The newest frame of each sitting's phone, in memory, for the live views (the candidate's self-check and
waiting room, the proctor console), and when a live view last looked (the phone sends faster meanwhile).

In memory on purpose: a live picture is worthless seconds later and is not evidence (evidence frames go
to the store). Several server processes behind one address need sticky routing by sitting for the live
view; everything else about the phone is in the database.
"""

import threading
import time
from dataclasses import dataclass

KEEP_S = 60.0          # a frame older than this is not "live" any more
VIEWER_RECENT_S = 6.0  # a live view polled this recently: the phone runs at the setup interval


@dataclass(frozen=True)
class LiveFrame:
    seq: int
    jpeg: bytes
    received_at_ms: int
    width: int
    height: int
    at_mono: float


class LiveFrames:
    def __init__(self) -> None:
        self._frames: dict[str, LiveFrame] = {}
        self._viewers: dict[str, float] = {}
        self._quality: dict[str, float] = {}
        self._lock = threading.Lock()
        self._swept = time.monotonic()

    def put(self, sitting_id: str, seq: int, jpeg: bytes, received_at_ms: int, width: int, height: int) -> None:
        now = time.monotonic()
        with self._lock:
            self._frames[sitting_id] = LiveFrame(seq, jpeg, received_at_ms, width, height, now)
            if now - self._swept > KEEP_S:
                self._swept = now
                for sid in [k for k, f in self._frames.items() if now - f.at_mono > KEEP_S]:
                    del self._frames[sid]
                for sid in [k for k, t in self._viewers.items() if now - t > KEEP_S]:
                    del self._viewers[sid]

    def get(self, sitting_id: str) -> LiveFrame | None:
        with self._lock:
            f = self._frames.get(sitting_id)
        return f if f is not None and time.monotonic() - f.at_mono <= KEEP_S else None

    def quality(self, sitting_id: str, default: float, last_bytes: int | None, budget_bytes: float) -> float:
        """The JPEG quality for the phone's next frame: lowered while frames overrun the upstream budget,
        raised back (never above the policy's) once they fit with room to spare."""
        with self._lock:
            q = self._quality.get(sitting_id, default)
            if last_bytes is not None and budget_bytes > 0:
                if last_bytes > budget_bytes:
                    q = max(0.3, q * 0.85)
                elif last_bytes < 0.7 * budget_bytes:
                    q = min(default, q / 0.9)
            self._quality[sitting_id] = q = round(q, 3)
            return q

    def drop(self, sitting_id: str) -> None:
        with self._lock:
            self._frames.pop(sitting_id, None)

    def viewed(self, sitting_id: str) -> None:
        with self._lock:
            self._viewers[sitting_id] = time.monotonic()

    def watched(self, sitting_id: str) -> bool:
        with self._lock:
            t = self._viewers.get(sitting_id)
        return t is not None and time.monotonic() - t <= VIEWER_RECENT_S
