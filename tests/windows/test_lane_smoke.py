"""The lane itself: the checkout imports, Qt comes through client.qt, and Win32 answers."""
from __future__ import annotations

import ctypes
import sys


def test_checkout_imports_and_qt_binding():
    import client.qt as qt
    from examcore.paper import paper_from_dict

    assert qt.QT_BINDING in ("PySide6", "PySide2")
    # the legacy lane must really be the Windows 7 stack
    if sys.version_info[:2] == (3, 8):
        assert qt.QT_BINDING == "PySide2"
        assert sys.getwindowsversion()[:2] == (6, 1)
    assert callable(paper_from_dict)


def test_user32_reports_a_local_session_and_a_screen():
    user32 = ctypes.windll.user32
    assert user32.GetSystemMetrics(0x1000) == 0      # SM_REMOTESESSION: not a remote desktop
    assert user32.GetSystemMetrics(80) >= 1          # SM_CMONITORS
