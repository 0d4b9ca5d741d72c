"""The hook thread itself, in this process: re-installed on its timer (Windows drops a hook that was slow
to answer, silently) without ever filtering a key twice or letting one through unfiltered."""
from __future__ import annotations

import threading

from client.win32 import keyboard
from tests.windows.lockdown_children import wait_until

VK_F13 = 0x7C   # a key nothing else reacts to


def test_reinstalled_hook_sees_each_key_once_and_stops_cleanly():
    seen = []
    lock = threading.Lock()

    def on_key(vk, flags, message):
        if vk == VK_F13:
            with lock:
                seen.append((message, bool(flags & keyboard.LLKHF_INJECTED)))
            return True
        return False
    hooks = keyboard.HookThread(on_key, reinstall_every_ms=50)
    hooks.start()
    try:
        assert hooks.alive and hooks.thread_id
        wait_until(lambda: hooks.reinstalls >= 3, "three re-installs")
        keyboard.send_keys([(VK_F13, False), (VK_F13, True)])
        wait_until(lambda: len(seen) >= 2, "the key in the hook")
        wait_until(lambda: hooks.reinstalls >= 6, "three more re-installs")
        assert seen == [(keyboard.WM_KEYDOWN, True), (keyboard.WM_KEYUP, True)]   # once each: the old hook is gone
    finally:
        hooks.stop()
    assert not hooks.alive
    probe_seen = []
    probe = keyboard.HookThread(lambda vk, f, m: vk == VK_F13 and probe_seen.append(m) and False)
    probe.start()
    try:   # the probe passes the key on down the chain: had the first hook survived, it would see it now
        keyboard.send_keys([(VK_F13, False), (VK_F13, True)])
        wait_until(lambda: len(probe_seen) == 2, "the key in the probe hook")
    finally:
        probe.stop()
    assert len(seen) == 2
