"""client/qt.py's choice of binding: PySide2 only when PySide6 is absent, never to hide a broken PySide6."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

LOGGING = "import logging, sys\nlogging.basicConfig(level=logging.INFO, format='%(message)s', stream=sys.stdout)\n"
IMPORT = "import client.qt as q\nprint('BINDING', q.QT_BINDING)\n"
# PySide6 present, but one of its own imports fails, as a missing Qt DLL does on Windows
BREAK_SHIBOKEN = '''
import importlib.abc, sys
class Broken(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "shiboken6":
            raise ModuleNotFoundError("No module named 'shiboken6'", name="shiboken6")
        return None
sys.meta_path.insert(0, Broken())
'''


def run(code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "QT_API"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                          cwd=str(ROOT))


def test_the_installed_binding_is_chosen_and_logged():
    out = run(LOGGING + IMPORT)
    assert out.returncode == 0, out.stderr
    expected = "PySide6" if sys.version_info >= (3, 9) else "PySide2"
    assert "BINDING " + expected in out.stdout
    assert "Qt binding" in out.stdout


@pytest.mark.skipif(sys.version_info < (3, 9), reason="the Windows 7 lane has no PySide6 to break")
def test_a_broken_pyside6_is_not_reported_as_a_missing_pyside2():
    out = run(LOGGING + BREAK_SHIBOKEN + IMPORT)
    assert out.returncode != 0
    assert "shiboken6" in out.stderr and "PySide2" not in out.stderr
