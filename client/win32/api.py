"""Declaring Win32 functions: each one once, with its full signature (argtypes and restype), loaded on
first call. Importing this package is safe on any system; calling a function off Windows raises
Win32Unavailable. `declared()` lists every function so a test can resolve and inspect them all."""
from __future__ import annotations

import ctypes
import sys
from ctypes import wintypes
from typing import Any, Dict, List, Optional, Sequence

IS_WINDOWS = sys.platform == "win32"
VOID = None  # restype of a function that returns nothing (written out so every declaration names one)

# pointer-sized integers (wintypes lacks ULONG_PTR / LONG_PTR)
ULONG_PTR = ctypes.c_size_t
LONG_PTR = ctypes.c_ssize_t
LRESULT = wintypes.LPARAM
# stdcall callbacks on Windows; the C convention elsewhere only so that modules import (never called there)
WINFUNCTYPE = getattr(ctypes, "WINFUNCTYPE", ctypes.CFUNCTYPE)


class Win32Unavailable(OSError):
    """A Win32 call was made on a system without Win32."""


class Win32Error(OSError):
    """A Win32 call failed; `winerror` is GetLastError()."""

    def __init__(self, call: str, code: int) -> None:
        super().__init__(code, "%s failed (GetLastError %d)" % (call, code))
        self.call = call
        self.winerror_code = code


_LIBS: Dict[str, Any] = {}
_REGISTRY: List[Fn] = []


class Fn:
    """One Win32 function: `Fn("user32", "GetForegroundWindow", wintypes.HWND, [])`; call it like the function."""

    __slots__ = ("dll", "name", "restype", "argtypes", "_f")

    def __init__(self, dll: str, name: str, restype: Any, argtypes: Sequence[Any]) -> None:
        self.dll, self.name, self.restype, self.argtypes = dll, name, restype, list(argtypes)
        self._f: Optional[Any] = None
        _REGISTRY.append(self)

    def resolve(self) -> Any:
        if self._f is None:
            if not IS_WINDOWS:
                raise Win32Unavailable("%s!%s needs Windows" % (self.dll, self.name))
            lib = _LIBS.get(self.dll)
            if lib is None:
                lib = _LIBS[self.dll] = ctypes.WinDLL(self.dll, use_last_error=True)  # type: ignore[attr-defined]
            # a private function object: two declarations of one export can never overwrite each other
            f = lib._FuncPtr((self.name, lib))
            f.argtypes = self.argtypes
            f.restype = self.restype
            self._f = f
        return self._f

    def available(self) -> bool:
        """False where the export is missing (an older Windows) or off Windows."""
        try:
            self.resolve()
            return True
        except (OSError, AttributeError):
            return False

    def __call__(self, *args: Any) -> Any:
        return (self._f or self.resolve())(*args)

    def __repr__(self) -> str:
        return "<Win32 %s!%s>" % (self.dll, self.name)


def declared() -> List[Fn]:
    """Every Win32 function the client declares (after importing the modules that declare them)."""
    return list(_REGISTRY)


def last_error() -> int:
    return int(ctypes.get_last_error()) if IS_WINDOWS else 0  # type: ignore[attr-defined]


def check(ok: Any, call: str) -> Any:
    """Raise Win32Error with GetLastError when a BOOL/handle result is 0/NULL."""
    if not ok:
        raise Win32Error(call, last_error())
    return ok


def windows_build() -> int:
    """The Windows build number (19041 = Windows 10 2004); 0 off Windows."""
    if not IS_WINDOWS:
        return 0
    return int(sys.getwindowsversion().build)  # type: ignore[attr-defined]


def all_modules() -> List[str]:
    return ["client.win32.%s" % m for m in ("windows", "keyboard", "desktop", "clipboard", "accessibility",
                                             "fileinfo", "processes", "adapters", "devices")]


_wine_version = Fn("ntdll", "wine_get_version", ctypes.c_char_p, [])


def wine_version() -> Optional[str]:
    """Wine's version when running under wine (whose Win32 has known gaps), else None."""
    return _wine_version().decode() if IS_WINDOWS and _wine_version.available() else None
