"""The client's self-test in Windows Python: Qt's Windows build, cv2's cascades, SQLite fsync on Windows."""
from __future__ import annotations

from client.selftest import run_self_test


def test_self_test_passes_in_windows_python():
    report = run_self_test()
    failed = {k: v for k, v in report["checks"].items() if not v["ok"]}
    assert report["ok"], failed
    assert report["platform"] == "win32"
