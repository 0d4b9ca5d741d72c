"""Durable file writes: a reader sees the old file or the new one, never half of one, even after a power cut."""
from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Optional


def write_json_atomic(path: str, obj: Any, indent: Optional[int] = None) -> str:
    """Write `obj` as UTF-8 JSON to `path` via a temporary file, fsync, then rename over the target."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(obj, f, ensure_ascii=False, indent=indent)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if hasattr(os, "O_DIRECTORY"):  # the rename itself must survive a power cut (POSIX; NTFS journals it)
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return path
