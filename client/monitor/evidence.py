"""EvidenceRecorder: cuts snippets and snapshots, seals them to the server's key and writes them so
that a crash leaves only whole files (no Qt).

    rec = EvidenceRecorder(folder, sealing_key_b64, sitting_id, policy["evidence"], on_written)
    rec.recover()                       # at start: drop what a crash left half-written, re-offer whole files
    rec.submit(job)                     # a Snippet / Snapshot with its frames and audio already copied
    rec.close()                         # finishes what was submitted, then stops

Writing: the package (examcore.evidence.pack) is sealed while it is written to `<name>.evd.part`
(created 0600, never readable: only ciphertext reaches the disk), fsync'd, renamed to `<name>.evd`,
and the folder fsync'd; only then is `on_written(path, header)` called (the journal queues the upload).
A SIGKILL mid-write leaves a `.part` (discarded at the next start: the frames were in memory only, so
that snippet cannot be cut again) or a whole `.evd` (offered again: queuing is idempotent). Without a
sealing key nothing is written at all. `plain=True` (the `examdesk monitor` command for support
staff, never the exam) writes the media as plain files instead.
A sliding-hour byte budget (policy `max_bytes_per_hour`) bounds what a flapping condition can send.
"""
from __future__ import annotations

import glob
import logging
import os
import queue
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Deque, Dict, List, Mapping, Optional, Tuple

import numpy as np

from client.monitor import snippet as media
from client.monitor.ring import AUDIO_RATE
from examcore.evidence import SUFFIX, EvidenceError, EvidenceSealer, check_structure, pack

log = logging.getLogger(__name__)

PART = ".part"
WORK = ".work"
Written = Callable[[str, Dict[str, Any]], None]


@dataclass
class Snippet:
    event_seq: Optional[int]
    event_type: str
    event_t: float                                   # when the condition began (pipeline clock)
    t0: float
    t1: float
    frames: List[Tuple[float, np.ndarray]]
    audio: Optional[np.ndarray] = None               # int16 at AUDIO_RATE from t0, for audio events
    taken_ms: int = 0                                # server time of event_t, best estimate
    detail: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Snapshot:
    t: float
    frame: np.ndarray
    taken_ms: int = 0


def _fsync_dir(folder: str) -> None:
    if hasattr(os, "O_DIRECTORY"):   # POSIX; NTFS journals the rename itself
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class EvidenceRecorder:
    def __init__(self, folder: str, sealing_key: Optional[str], sitting_id: str, policy: Mapping[str, Any],
                 on_written: Optional[Written] = None, threaded: bool = True, plain: bool = False) -> None:
        self.folder = os.path.abspath(folder)
        self.work = os.path.join(self.folder, WORK)
        os.makedirs(self.work, exist_ok=True)
        self.sealing_key = sealing_key
        self.sitting_id = sitting_id
        self.policy = dict(policy)
        self.on_written = on_written
        self.plain = plain
        self.written: List[Dict[str, Any]] = []       # what was written (for the CLI's report and tests)
        self.skipped: List[Dict[str, Any]] = []
        self._hour: Deque[Tuple[float, int]] = deque()
        self._lock = threading.Lock()
        self._queue: "queue.Queue[Any]" = queue.Queue()   # noqa: UP037 - 3.8 cannot subscript queue.Queue
        self._thread: Optional[threading.Thread] = None
        self._codec: Optional[str] = None
        self.enabled = bool(self.policy.get("enabled", True)) and (plain or bool(sealing_key))
        if not self.enabled:
            log.warning("evidence recording off (%s)", "policy" if sealing_key or plain else "no sealing key")
        if threaded:
            self._thread = threading.Thread(target=self._run, name="evidence-writer", daemon=True)
            self._thread.start()

    # -- start-up ----------------------------------------------------------------------------------
    def recover(self) -> List[str]:
        """Delete what a crash left half-done (work files, .part files), check every whole sealed file
        and offer it again through on_written (the journal ignores one it already has). Returns them."""
        for path in glob.glob(os.path.join(self.work, "*")) + glob.glob(os.path.join(self.folder, "*" + PART)):
            log.warning("discarding evidence interrupted while it was written: %s", os.path.basename(path))
            _remove(path)
        whole = []
        for path in sorted(glob.glob(os.path.join(self.folder, "*" + SUFFIX))):
            try:
                header = check_structure(path)
            except (EvidenceError, OSError) as e:
                log.error("damaged evidence file removed: %s (%s)", os.path.basename(path), e)
                _remove(path)
                continue
            if header.get("sitting_id") != self.sitting_id:
                continue                   # another sitting's: it was queued under that sitting
            whole.append(path)
            self._notify(path, header)
        return whole

    # -- work ---------------------------------------------------------------------------------------
    def submit(self, job: Any) -> None:
        if not self.enabled:
            return
        if self._thread is None:
            self._do(job)
        else:
            self._queue.put(job)

    def close(self, timeout: float = 30.0) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout)
            self._thread = None

    def pending(self) -> int:
        return self._queue.qsize()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                self._do(job)
            except Exception:  # noqa: BLE001 - one failed snippet must not stop the others
                log.exception("evidence not written")

    def _do(self, job: Any) -> None:
        if isinstance(job, Snippet):
            self._snippet(job)
        elif isinstance(job, Snapshot):
            self._snapshot(job)

    def _budget_ok(self, now: float) -> bool:
        limit = int(self.policy.get("max_bytes_per_hour", 0) or 0)
        with self._lock:
            while self._hour and self._hour[0][0] < now - 3600.0:
                self._hour.popleft()
            return not limit or sum(n for _, n in self._hour) < limit

    def _spent(self, now: float, n: int) -> None:
        with self._lock:
            self._hour.append((now, n))

    def _snippet(self, job: Snippet) -> None:
        if not self._budget_ok(job.t1):
            self.skipped.append({"event_seq": job.event_seq, "type": job.event_type, "why": "hourly budget"})
            log.warning("evidence budget for this hour spent: %s goes without a snippet", job.event_type)
            return
        members: Dict[str, bytes] = {}
        meta: Dict[str, Any] = {"kind": "snippet", "event_seq": job.event_seq, "event_type": job.event_type,
                                "t0_s": 0.0, "event_at_s": round(job.event_t - job.t0, 3),
                                "duration_s": round(job.t1 - job.t0, 3), "taken_ms": job.taken_ms,
                                "detail": job.detail}
        if self._codec is None:
            self._codec = media.pick_codec(list(self.policy.get("codecs", ["mp4v"])), self.work) or ""
        video = None
        if self._codec and job.frames:
            video = media.encode_video(job.frames, job.t0, job.t1, float(self.policy["fps"]), self._codec,
                                       self.work, int(self.policy.get("max_bytes", 0) or 0))
        if video is not None:
            members["video.mp4"] = video.data
            meta.update(video={"codec": video.codec, "fps": video.fps, "width": video.width, "height": video.height,
                               "frames": video.frames})
        if job.audio is not None:
            rate = int(self.policy.get("audio_rate", 8000))
            members["audio.wav"] = media.mulaw_wav(job.audio, AUDIO_RATE, rate)
            meta["audio"] = {"format": "mu-law", "rate": rate, "seconds": round(len(job.audio) / float(AUDIO_RATE), 3)}
        if not members:
            self.skipped.append({"event_seq": job.event_seq, "type": job.event_type, "why": "no frames or audio"})
            return
        name = "snippet-%s-%s" % (job.event_seq if job.event_seq is not None else "x", uuid.uuid4().hex[:8])
        header = {"kind": "snippet", "sitting_id": self.sitting_id, "event_seq": job.event_seq,
                  "event_type": job.event_type, "taken_ms": job.taken_ms,
                  "duration_ms": int(round((job.t1 - job.t0) * 1000)),
                  "event_at_ms": int(round((job.event_t - job.t0) * 1000))}
        self._write(name, header, meta, members, job.t1, {"t0": round(job.t0, 3), "t1": round(job.t1, 3),
                                                         "members": sorted(members)})

    def _snapshot(self, job: Snapshot) -> None:
        if not self._budget_ok(job.t):
            self.skipped.append({"type": "snapshot", "why": "hourly budget"})
            return
        jpeg = media.encode_jpeg(job.frame, int(self.policy["snapshot_width"]), int(self.policy["snapshot_quality"]))
        meta = {"kind": "snapshot", "taken_ms": job.taken_ms}
        header = {"kind": "snapshot", "sitting_id": self.sitting_id, "event_seq": None, "taken_ms": job.taken_ms}
        self._write("snapshot-%d-%s" % (job.taken_ms, uuid.uuid4().hex[:8]), header, meta, {"snapshot.jpg": jpeg}, job.t,
                    {"t0": round(job.t, 3), "t1": round(job.t, 3), "members": ["snapshot.jpg"]})

    def _write(self, name: str, header: Dict[str, Any], meta: Dict[str, Any], members: Dict[str, bytes],
               t: float, extra: Dict[str, Any]) -> None:
        if self.plain:
            paths = []
            for member, data in members.items():
                path = os.path.join(self.folder, "%s-%s" % (name, member))
                _write_plain(path, data)
                paths.append(path)
            size = sum(len(d) for d in members.values())
            self._record(paths[0], header, size, t, paths, extra)
            return
        final = os.path.join(self.folder, name + SUFFIX)
        part = final + PART
        assert self.sealing_key
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                sealer = EvidenceSealer(f, self.sealing_key, header)
                sealer.write(pack(meta, members))
                sealer.close()
                f.flush()
                os.fsync(f.fileno())
            os.replace(part, final)
        except BaseException:
            _remove(part)
            raise
        _fsync_dir(self.folder)
        self._record(final, header, os.path.getsize(final), t, [final], extra)
        self._notify(final, header)

    def _record(self, path: str, header: Dict[str, Any], size: int, t: float, paths: List[str],
                extra: Dict[str, Any]) -> None:
        self._spent(t, size)
        self.written.append(dict(header, path=path, paths=paths, bytes=size, t=t, **extra))
        log.info("evidence written: %s (%d bytes)", os.path.basename(path), size)

    def _notify(self, path: str, header: Dict[str, Any]) -> None:
        if self.on_written is None:
            return
        try:
            self.on_written(path, header)
        except Exception:  # noqa: BLE001 - the file stays and is offered again at the next start
            log.exception("evidence %s not queued", os.path.basename(path))


def _write_plain(path: str, data: bytes) -> None:
    tmp = path + PART
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass

