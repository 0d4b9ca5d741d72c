"""The lockdown's typed contracts: every backend follows LockdownBackend, and both the real ExamLockdown
and the UI tests' FakeLockdown follow LockdownControl, member by member and signature by signature."""
from __future__ import annotations

import pytest

from client.lockdown.backend import KioskWindow, LockdownBackend
from client.lockdown.backends.null import NullBackend
from client.lockdown.backends.posix import PosixBackend
from client.lockdown.backends.windows import WindowsBackend
from client.proctoring.lockdown import ExamLockdown, LockdownControl
from client.ui.kiosk_window import QtKioskWindow
from tests.helpers.fake_lockdown import FakeLockdown
from tests.unit.test_engine_contract import parameters, protocol_members


@pytest.mark.parametrize("protocol,implementation", [
    (LockdownBackend, WindowsBackend), (LockdownBackend, PosixBackend), (LockdownBackend, NullBackend),
    (LockdownControl, ExamLockdown), (LockdownControl, FakeLockdown), (KioskWindow, QtKioskWindow)])
def test_implementation_follows_the_protocol(protocol, implementation):
    members = protocol_members(protocol)
    assert members
    for name in members:
        impl = getattr(implementation, name, None)
        assert callable(impl), "%s lacks %s.%s" % (implementation.__name__, protocol.__name__, name)
        assert parameters(impl) == parameters(getattr(protocol, name)), (implementation.__name__, name)
