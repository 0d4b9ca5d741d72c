"""`examdesk --self-test`: the check an installed build runs on itself."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from client import selftest
from tests.conftest import ROOT


def test_self_test_passes_on_a_working_install_and_leaves_nothing_behind(tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(temp), TEMP=str(temp), TMP=str(temp),
               EXAMDESK_SERVER_URL="https://exam.example.org")
    out = subprocess.run([sys.executable, "-m", "client", "--self-test"], cwd=str(ROOT), capture_output=True,
                         text=True, env=env, timeout=120)
    report = json.loads(out.stdout)
    assert out.returncode == 0, out.stdout + out.stderr
    assert report["ok"] is True
    assert set(report["checks"]) == {"qt", "face_detector", "voice_detector", "journal", "crypto", "config"}
    assert report["checks"]["face_detector"]["detail"].startswith(("yuface, ", "haar, "))
    assert report["checks"]["qt"]["detail"] in ("PySide6", "PySide2")
    assert report["checks"]["config"]["detail"] == "server https://exam.example.org"   # which server, for support
    assert list(temp.glob("examdesk-selftest-*")) == []                               # the journal folder is gone


def test_one_broken_part_fails_the_whole_self_test_and_names_it(monkeypatch, capsys):
    def broken() -> str:
        raise ImportError("DLL load failed while importing QtCore")

    monkeypatch.setattr(selftest, "CHECKS", [("crypto", selftest._crypto), ("qt", broken)])
    assert selftest.main() == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["checks"]["crypto"]["ok"] is True
    assert "DLL load failed" in report["checks"]["qt"]["detail"]
