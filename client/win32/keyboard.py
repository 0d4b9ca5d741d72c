"""The low-level keyboard hook (WH_KEYBOARD_LL) on a thread of its own with a message loop, plus the
WinEvent hooks for foreground and desktop switches on the same thread; and SendInput for tests and
self-checks. The hook callback only asks a Python decision function and returns: Windows drops a hook
that is slow to answer (LowLevelHooksTimeout), silently, so the hook is also re-installed periodically."""
from __future__ import annotations

import ctypes
import logging
import threading
from ctypes import wintypes
from typing import Callable, Iterable, List, Optional, Tuple

from client.win32.api import LRESULT, ULONG_PTR, VOID, WINFUNCTYPE, Fn, Win32Error, last_error

log = logging.getLogger(__name__)

WH_KEYBOARD_LL = 13
HC_ACTION = 0
WM_KEYDOWN, WM_KEYUP, WM_SYSKEYDOWN, WM_SYSKEYUP = 0x100, 0x101, 0x104, 0x105
WM_TIMER, WM_QUIT = 0x0113, 0x0012
LLKHF_EXTENDED, LLKHF_LOWER_IL_INJECTED, LLKHF_INJECTED, LLKHF_ALTDOWN, LLKHF_UP = 0x01, 0x02, 0x10, 0x20, 0x80
EVENT_SYSTEM_FOREGROUND, EVENT_SYSTEM_DESKTOPSWITCH = 0x0003, 0x0020
WINEVENT_OUTOFCONTEXT, WINEVENT_SKIPOWNPROCESS = 0x0000, 0x0002
INPUT_KEYBOARD = 1
KEYEVENTF_EXTENDEDKEY, KEYEVENTF_KEYUP = 0x1, 0x2


class KBDLLHOOKSTRUCT(ctypes.Structure):
    _fields_ = [("vkCode", wintypes.DWORD), ("scanCode", wintypes.DWORD), ("flags", wintypes.DWORD),
                ("time", wintypes.DWORD), ("dwExtraInfo", ULONG_PTR)]


class MOUSEINPUT(ctypes.Structure):
    _fields_ = [("dx", wintypes.LONG), ("dy", wintypes.LONG), ("mouseData", wintypes.DWORD),
                ("dwFlags", wintypes.DWORD), ("time", wintypes.DWORD), ("dwExtraInfo", ULONG_PTR)]


class KEYBDINPUT(ctypes.Structure):
    _fields_ = [("wVk", wintypes.WORD), ("wScan", wintypes.WORD), ("dwFlags", wintypes.DWORD),
                ("time", wintypes.DWORD), ("dwExtraInfo", ULONG_PTR)]


class HARDWAREINPUT(ctypes.Structure):
    _fields_ = [("uMsg", wintypes.DWORD), ("wParamL", wintypes.WORD), ("wParamH", wintypes.WORD)]


class _INPUTUNION(ctypes.Union):
    _fields_ = [("mi", MOUSEINPUT), ("ki", KEYBDINPUT), ("hi", HARDWAREINPUT)]


class INPUT(ctypes.Structure):
    _fields_ = [("type", wintypes.DWORD), ("u", _INPUTUNION)]


HOOKPROC = WINFUNCTYPE(LRESULT, ctypes.c_int, wintypes.WPARAM, wintypes.LPARAM)
WINEVENTPROC = WINFUNCTYPE(VOID, wintypes.HANDLE, wintypes.DWORD, wintypes.HWND, wintypes.LONG, wintypes.LONG,
                           wintypes.DWORD, wintypes.DWORD)
TIMERPROC = WINFUNCTYPE(VOID, wintypes.HWND, wintypes.UINT, ULONG_PTR, wintypes.DWORD)

SetWindowsHookExW = Fn("user32", "SetWindowsHookExW", wintypes.HHOOK,
                       [ctypes.c_int, HOOKPROC, wintypes.HINSTANCE, wintypes.DWORD])
CallNextHookEx = Fn("user32", "CallNextHookEx", LRESULT,
                    [wintypes.HHOOK, ctypes.c_int, wintypes.WPARAM, wintypes.LPARAM])
UnhookWindowsHookEx = Fn("user32", "UnhookWindowsHookEx", wintypes.BOOL, [wintypes.HHOOK])
SetWinEventHook = Fn("user32", "SetWinEventHook", wintypes.HANDLE,
                     [wintypes.DWORD, wintypes.DWORD, wintypes.HMODULE, WINEVENTPROC, wintypes.DWORD,
                      wintypes.DWORD, wintypes.DWORD])
UnhookWinEvent = Fn("user32", "UnhookWinEvent", wintypes.BOOL, [wintypes.HANDLE])
GetMessageW = Fn("user32", "GetMessageW", ctypes.c_int,   # -1 on error, so not BOOL
                 [ctypes.POINTER(wintypes.MSG), wintypes.HWND, wintypes.UINT, wintypes.UINT])
TranslateMessage = Fn("user32", "TranslateMessage", wintypes.BOOL, [ctypes.POINTER(wintypes.MSG)])
DispatchMessageW = Fn("user32", "DispatchMessageW", LRESULT, [ctypes.POINTER(wintypes.MSG)])
PostThreadMessageW = Fn("user32", "PostThreadMessageW", wintypes.BOOL,
                        [wintypes.DWORD, wintypes.UINT, wintypes.WPARAM, wintypes.LPARAM])
SetTimer = Fn("user32", "SetTimer", ULONG_PTR, [wintypes.HWND, ULONG_PTR, wintypes.UINT, ctypes.c_void_p])
KillTimer = Fn("user32", "KillTimer", wintypes.BOOL, [wintypes.HWND, ULONG_PTR])
GetAsyncKeyState = Fn("user32", "GetAsyncKeyState", wintypes.SHORT, [ctypes.c_int])
SendInput = Fn("user32", "SendInput", wintypes.UINT, [wintypes.UINT, ctypes.POINTER(INPUT), ctypes.c_int])
GetModuleHandleW = Fn("kernel32", "GetModuleHandleW", wintypes.HMODULE, [wintypes.LPCWSTR])
GetCurrentThreadId = Fn("kernel32", "GetCurrentThreadId", wintypes.DWORD, [])

KeyCallback = Callable[[int, int, int], bool]      # (vk, flags, wParam message) -> swallow?
WindowCallback = Callable[[int, int], None]        # (event, hwnd)


class HookThread:
    """Installs the hooks on its own thread and pumps its messages until stop().

    on_key runs on this thread for every key and must return quickly; on_winevent receives foreground
    and desktop-switch events (never raised by some systems: callers also poll)."""

    def __init__(self, on_key: Optional[KeyCallback], on_winevent: Optional[WindowCallback] = None,
                 reinstall_every_ms: int = 30000) -> None:
        self.on_key, self.on_winevent = on_key, on_winevent
        self.reinstall_every_ms = reinstall_every_ms
        self.thread_id = 0
        self.error: Optional[Win32Error] = None
        self.reinstalls = 0
        self._hook = None
        self._events: List[int] = []
        self._ready = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._hook_proc = HOOKPROC(self._on_hook)
        self._event_proc = WINEVENTPROC(self._on_event)

    def start(self, timeout: float = 10.0) -> None:
        self._thread = threading.Thread(target=self._run, name="lockdown-hooks", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise Win32Error("hook thread start", 0)
        if self.error is not None:
            raise self.error

    def stop(self, timeout: float = 5.0) -> None:
        if self._thread is None:
            return
        if self.thread_id:
            PostThreadMessageW(self.thread_id, WM_QUIT, 0, 0)
        self._thread.join(timeout)
        self._thread = None

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- on the hook thread ------------------------------------------------------------------------
    def _install_keyboard(self) -> None:
        module = GetModuleHandleW(None)
        hook = SetWindowsHookExW(WH_KEYBOARD_LL, self._hook_proc, module, 0)
        if not hook:
            raise Win32Error("SetWindowsHookExW(WH_KEYBOARD_LL)", last_error())
        old, self._hook = self._hook, hook
        if old:  # new hook first, then the old one off: no key passes unfiltered in between
            UnhookWindowsHookEx(old)

    def _run(self) -> None:
        self.thread_id = int(GetCurrentThreadId())
        timer = 0
        try:
            if self.on_key is not None:
                self._install_keyboard()
                if self.reinstall_every_ms > 0:
                    timer = int(SetTimer(None, 0, self.reinstall_every_ms, None) or 0)
            if self.on_winevent is not None:
                for ev in (EVENT_SYSTEM_FOREGROUND, EVENT_SYSTEM_DESKTOPSWITCH):
                    h = SetWinEventHook(ev, ev, None, self._event_proc, 0, 0,
                                        WINEVENT_OUTOFCONTEXT | WINEVENT_SKIPOWNPROCESS)
                    if h:
                        self._events.append(h)
        except Win32Error as e:
            self.error = e
        finally:
            self._ready.set()
        if self.error is not None:
            return
        msg = wintypes.MSG()
        try:
            while True:
                rc = GetMessageW(ctypes.byref(msg), None, 0, 0)
                if rc == 0 or rc == -1:
                    break
                if msg.message == WM_TIMER and msg.hWnd is None and timer and msg.wParam == timer:
                    try:
                        self._install_keyboard()
                        self.reinstalls += 1
                    except Win32Error as e:
                        log.error("keyboard hook re-install failed: %s", e)
                    continue
                TranslateMessage(ctypes.byref(msg))
                DispatchMessageW(ctypes.byref(msg))
        finally:
            if timer:
                KillTimer(None, timer)
            for h in self._events:
                UnhookWinEvent(h)
            self._events = []
            if self._hook:
                UnhookWindowsHookEx(self._hook)
                self._hook = None

    def _on_hook(self, code: int, wparam: int, lparam: int) -> int:
        if code == HC_ACTION and self.on_key is not None:
            kb = KBDLLHOOKSTRUCT.from_address(lparam)
            try:
                if self.on_key(kb.vkCode, kb.flags, wparam):
                    return 1
            except Exception:  # noqa: BLE001 - a bug here must never take the keyboard away
                log.exception("keyboard decision failed; key passed")
        return int(CallNextHookEx(None, code, wparam, lparam))

    def _on_event(self, _hook: int, event: int, hwnd: int, _obj: int, _child: int, _tid: int, _time: int) -> None:
        if self.on_winevent is not None:
            try:
                self.on_winevent(int(event), int(hwnd or 0))
            except Exception:  # noqa: BLE001
                log.exception("window event handler failed")


def keys_down(vks: Iterable[int]) -> List[int]:
    """Which of these keys are held right now (to seed a key filter installed mid-press)."""
    return [vk for vk in vks if GetAsyncKeyState(vk) & 0x8000]


def send_keys(strokes: Iterable[Tuple[int, bool]]) -> int:
    """Synthesize key strokes [(vk, is_up), ...] with SendInput (they arrive flagged LLKHF_INJECTED).
    Returns how many were inserted."""
    items = list(strokes)
    arr = (INPUT * len(items))()
    for i, (vk, up) in enumerate(items):
        arr[i].type = INPUT_KEYBOARD
        arr[i].u.ki = KEYBDINPUT(vk, 0, KEYEVENTF_KEYUP if up else 0, 0, 0)
    sent = int(SendInput(len(items), arr, ctypes.sizeof(INPUT)))
    if sent != len(items):
        raise Win32Error("SendInput", last_error())
    return sent
