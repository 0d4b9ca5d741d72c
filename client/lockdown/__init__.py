"""The exam lockdown: operations with perform()/revert() recorded durably and reverted after a crash,
a keyboard filter, the foreground watch, capture exclusion, the hidden-overlay scan, clipboard
isolation, display and session checks, and the process guard. Qt-free; backends for Windows (through
client.win32), Linux/macOS (what they can) and a null one for tests. Entry point: LockdownSession."""
from __future__ import annotations

from client.lockdown.backend import KioskWindow, LockdownBackend, WindowInfo
from client.lockdown.events import EventSink, candidate_message
from client.lockdown.guard import ProgramFinding
from client.lockdown.operations import LockdownFailed, Operation
from client.lockdown.session import LockdownSession, Preflight, RecoveryReport

__all__ = ["LockdownSession", "Preflight", "RecoveryReport", "KioskWindow", "LockdownBackend", "WindowInfo",
           "EventSink", "candidate_message", "ProgramFinding", "LockdownFailed", "Operation"]
