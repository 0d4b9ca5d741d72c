"""Every ctypes call of the client lives in this package, behind small functions; each Win32 function is
declared once with its full signature (see api.Fn). The rest of the client imports these functions and
never ctypes. Importing is safe on every system; calling off Windows raises api.Win32Unavailable."""
from __future__ import annotations

from client.win32.api import IS_WINDOWS, Win32Error, Win32Unavailable

__all__ = ["IS_WINDOWS", "Win32Error", "Win32Unavailable"]
