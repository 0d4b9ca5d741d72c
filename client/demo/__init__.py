"""The demo: `./dev demo` (`python -m client.demo`) runs the reference server with demo data and the exam
client under a launcher that resumes, supervises and cleans up (launcher.py); the demo camera is a
recording of a real face (video.py); a machine without a screen gets Xvfb (display.py)."""
from __future__ import annotations

from client.demo.launcher import (
    DEMO_CAMERA_LABEL,
    console_hint,
    credentials_hint,
    demo_credentials,
    free_port,
    has_camera,
    main,
    start_server,
)
from client.demo.video import make_demo_video

__all__ = ["DEMO_CAMERA_LABEL", "console_hint", "credentials_hint", "demo_credentials", "free_port", "has_camera", "main",
           "make_demo_video", "start_server"]
