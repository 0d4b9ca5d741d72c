"""A screen for the demo on a machine without one: Xvfb on a display it picks itself (-displayfd: never
one that is taken), checked to answer before anything is drawn on it."""
from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from typing import IO, Optional, Tuple


class DisplayError(RuntimeError):
    pass


def needs_display() -> bool:
    """Linux with no screen and no Qt platform chosen."""
    return sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                                                     or os.environ.get("QT_QPA_PLATFORM"))


def answers(display: str, timeout: float = 5.0) -> bool:
    """The X server on `display` accepts a client (xdpyinfo), or at least its socket exists."""
    probe = shutil.which("xdpyinfo")
    if probe:
        try:
            return subprocess.run([probe, "-display", display], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  timeout=timeout).returncode == 0
        except subprocess.TimeoutExpired:
            return False
    return os.path.exists("/tmp/.X11-unix/X%s" % display.lstrip(":").split(".")[0])


def start_xvfb(log: IO[bytes], xvfb: str = "Xvfb", size: str = "1280x800x24",
               timeout: float = 15.0) -> Tuple[subprocess.Popen, str]:
    """(process, ":N"). Raises DisplayError with the reason when Xvfb does not come up."""
    exe = shutil.which(xvfb) or xvfb
    read_fd, write_fd = os.pipe()
    try:
        proc = subprocess.Popen([exe, "-displayfd", str(write_fd), "-screen", "0", size, "-nolisten", "tcp"],
                                pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    except OSError as e:
        os.close(read_fd)
        os.close(write_fd)
        raise DisplayError("Xvfb cannot start: %s" % e) from e
    os.close(write_fd)
    number = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and not number.endswith(b"\n"):
            ready, _, _ = select.select([read_fd], [], [], 0.2)
            if ready:
                chunk = os.read(read_fd, 16)
                if not chunk:
                    break   # Xvfb closed the pipe: it exited
                number += chunk
            elif proc.poll() is not None:
                break
    finally:
        os.close(read_fd)
    display = ":" + number.decode("ascii", "replace").strip()
    if not number.strip() or proc.poll() is not None or not answers(display):
        stop(proc)
        raise DisplayError("Xvfb exited or does not answer (exit status %s)" % proc.returncode)
    return proc, display


def stop(proc: Optional[subprocess.Popen], timeout: float = 10.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout)
