"""Evidence media from the ring buffers (numpy/cv2, no Qt): a short video, its audio, a snapshot.

Video: MPEG-4 Part 2 (`mp4v`) in .mp4, written by cv2.VideoWriter through the FFmpeg plug-in that the
opencv-python wheels carry on Windows and Linux (no ffmpeg install needed; H.264 is not in them),
read back by cv2.VideoCapture. At 320x240 and 5 fps ten seconds of webcam take 50-150 KB; a clip over
`max_bytes` is encoded again at half the rate, then half the size. Frames are laid on a constant-rate
grid from t0 (the newest frame at or before each tick), so frame i is at t0 + i / fps.
Audio: G.711 mu-law WAV (8 kHz, 8 KB/s), which Windows plays as it is and Python reads with numpy.
Snapshots: JPEG. cv2 writes video only to a path: that plaintext lives in the recorder's private work
folder for the few milliseconds until it is read back, then is deleted (and swept at the next start).
"""
from __future__ import annotations

import logging
import os
import struct
import threading
import uuid
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from client.monitor.ring import reduce_frame

log = logging.getLogger(__name__)

_codec_cache: Dict[Tuple[str, ...], Optional[str]] = {}
_codec_lock = threading.Lock()


@dataclass
class Video:
    data: bytes
    codec: str
    fps: float
    width: int
    height: int
    frames: int


def _write(path: str, codec: str, fps: float, frames: Sequence[np.ndarray]) -> bool:
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(path, cv2.CAP_FFMPEG, cv2.VideoWriter.fourcc(*codec), float(fps), (w, h))
    if not writer.isOpened():
        writer.release()
        return False
    try:
        for f in frames:
            writer.write(f)
    finally:
        writer.release()
    return os.path.exists(path) and os.path.getsize(path) > 0


def pick_codec(codecs: Sequence[str], work_dir: str) -> Optional[str]:
    """The first fourcc of `codecs` that this cv2 writes AND reads back (probed once per process)."""
    key = tuple(codecs)
    with _codec_lock:
        if key in _codec_cache:
            return _codec_cache[key]
        found = None
        probe = [np.full((48, 64, 3), v, np.uint8) for v in (40, 120, 200)]
        for codec in codecs:
            if len(codec) != 4:
                continue
            path = os.path.join(work_dir, "probe-%s.mp4" % uuid.uuid4().hex[:8])
            try:
                if _write(path, codec, 5.0, probe):
                    cap = cv2.VideoCapture(path)
                    ok, frame = cap.read()
                    cap.release()
                    if ok and frame is not None:
                        found = codec
                        break
            except cv2.error as e:
                log.info("video codec %s unavailable: %s", codec, e)
            finally:
                _remove(path)
        if found is None:
            log.error("no video codec of %s works here: snippets go without video", list(codecs))
        _codec_cache[key] = found
        return found


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def on_grid(frames: Sequence[Tuple[float, np.ndarray]], t0: float, t1: float, fps: float) -> List[np.ndarray]:
    """Frames at t0, t0 + 1/fps, ... < t1: the newest frame taken at or before each tick (the first
    frame stands in before it was taken). Empty when there are no frames at all."""
    if not frames:
        return []
    n = max(1, int(round((t1 - t0) * fps)))
    out, j = [], 0
    for i in range(n):
        tick = t0 + i / float(fps)
        while j + 1 < len(frames) and frames[j + 1][0] <= tick + 1e-6:
            j += 1
        out.append(frames[j][1])
    return out


def encode_video(frames: Sequence[Tuple[float, np.ndarray]], t0: float, t1: float, fps: float, codec: str,
                 work_dir: str, max_bytes: int = 0) -> Optional[Video]:
    """The clip t0..t1 as .mp4 bytes, within max_bytes if it can be (half rate, then half size)."""
    if not frames:
        return None
    video: Optional[Video] = None
    width = frames[0][1].shape[1]
    for rate, w in ((fps, width), (max(1.0, fps / 2.0), width), (max(1.0, fps / 2.0), max(64, width // 2))):
        grid = on_grid(frames, t0, t1, rate)
        if w != grid[0].shape[1]:
            grid = [reduce_frame(f, w) for f in grid]
        sizes = {f.shape for f in grid}
        if len(sizes) > 1:   # the camera changed resolution mid-clip (reopened): one size for the codec
            h0, w0 = grid[0].shape[:2]
            grid = [f if f.shape == grid[0].shape else cv2.resize(f, (w0, h0), interpolation=cv2.INTER_AREA)
                    for f in grid]
        path = os.path.join(work_dir, "clip-%s.mp4" % uuid.uuid4().hex)
        try:
            if not _write(path, codec, rate, grid):
                raise OSError("cv2.VideoWriter could not write %s" % codec)
            with open(path, "rb") as f:
                data = f.read()
        finally:
            _remove(path)
        video = Video(data, codec, float(rate), grid[0].shape[1], grid[0].shape[0], len(grid))
        if not max_bytes or len(data) <= max_bytes:
            break
        log.info("snippet of %d bytes over %d at %g fps, %d px: encoding smaller", len(data), max_bytes, rate, w)
    return video


# -- audio: G.711 mu-law WAV ---------------------------------------------------------------------------
_BIAS, _CLIP = 0x84, 32635


def mulaw_encode(samples: np.ndarray) -> np.ndarray:
    """int16 -> G.711 mu-law bytes (ITU-T G.711, the classic segment/step form)."""
    x = np.asarray(samples, dtype=np.int32)
    sign = np.where(x < 0, 0x80, 0)
    mag = np.minimum(np.abs(x), _CLIP) + _BIAS
    exponent = np.floor(np.log2(np.maximum(mag, 1))).astype(np.int32) - 7
    exponent = np.clip(exponent, 0, 7)
    mantissa = (mag >> (exponent + 3)) & 0x0F
    return (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8)


def mulaw_decode(codes: np.ndarray) -> np.ndarray:
    u = ~np.asarray(codes, dtype=np.int32) & 0xFF
    sign, exponent, mantissa = u & 0x80, (u >> 4) & 0x07, u & 0x0F
    mag = (((mantissa << 3) + _BIAS) << exponent) - _BIAS
    return np.where(sign != 0, -mag, mag).astype(np.int16)


def resample(samples: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    x = np.asarray(samples, dtype=np.float32)
    if rate_in == rate_out or len(x) == 0:
        return x.astype(np.int16)
    if rate_in % rate_out == 0:
        k = rate_in // rate_out
        n = len(x) // k * k
        return x[:n].reshape(-1, k).mean(axis=1).astype(np.int16)
    n_out = int(len(x) * rate_out / float(rate_in))
    return np.interp(np.arange(n_out) * (rate_in / float(rate_out)), np.arange(len(x)), x).astype(np.int16)


def mulaw_wav(samples: np.ndarray, rate_in: int, rate_out: int = 8000) -> bytes:
    """A WAVE_FORMAT_MULAW (7) file: mono, 8 bits per sample, `rate_out` samples a second."""
    codes = mulaw_encode(resample(samples, rate_in, rate_out)).tobytes()
    fmt = struct.pack("<HHIIHHH", 7, 1, rate_out, rate_out, 1, 8, 0)
    fact = struct.pack("<I", len(codes))
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"fact" + struct.pack("<I", 4) + fact \
        + b"data" + struct.pack("<I", len(codes)) + codes + (b"\0" if len(codes) % 2 else b"")
    return b"RIFF" + struct.pack("<I", len(body)) + body


def read_wav(data: bytes) -> Tuple[np.ndarray, int]:
    """(int16 samples, rate) of a mono PCM-16 or mu-law WAV; ValueError for anything else."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a WAV file")
    pos, fmt, rate, payload = 12, None, 0, b""
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        chunk = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            fmt, channels, rate = struct.unpack("<HHI", chunk[:8])
            bits = struct.unpack("<H", chunk[14:16])[0]
            if channels != 1:
                raise ValueError("only mono WAV files")
        elif cid == b"data":
            payload = chunk
        pos += 8 + size + (size % 2)
    if fmt == 7:
        return mulaw_decode(np.frombuffer(payload, np.uint8)), rate
    if fmt == 1 and bits == 16:
        return np.frombuffer(payload[:len(payload) // 2 * 2], "<i2").astype(np.int16), rate
    raise ValueError("unsupported WAV format %s" % fmt)


def encode_jpeg(frame: np.ndarray, width: int, quality: int) -> bytes:
    ok, buf = cv2.imencode(".jpg", reduce_frame(frame, width), [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()
