"""Which keys the exam swallows: the decision table, and the hook-side state (modifiers, releases)."""
from __future__ import annotations

import pytest

from client.lockdown import keys as K
from client.lockdown.keys import KeyFilter, KeyPolicy, decide

DEFAULT = KeyPolicy()
NO_COPY = KeyPolicy(block_copy_paste=True)
LENIENT = KeyPolicy(allow_injected=True, allowed_function_keys=frozenset({0x74}), allow_print_screen=True)
A, D, ONE = 0x41, 0x44, 0x31

# (vk, injected, alt, ctrl, win, policy, expected)
TABLE = [
    (K.VK_TAB, False, True, False, False, DEFAULT, "alt+tab"),
    (K.VK_TAB, False, True, True, False, DEFAULT, "alt+tab"),          # Ctrl+Alt+Tab: the sticky switcher
    (K.VK_TAB, False, False, False, False, DEFAULT, None),             # Tab moves between fields
    (K.VK_TAB, False, False, True, False, DEFAULT, None),              # Ctrl+Tab inside the exam
    (K.VK_ESCAPE, False, True, False, False, DEFAULT, "alt+esc"),
    (K.VK_ESCAPE, False, False, True, False, DEFAULT, "ctrl+esc"),     # also Ctrl+Shift+Esc (Task Manager)
    (K.VK_ESCAPE, False, False, False, False, DEFAULT, None),          # Esc closes our own dialogs
    (K.VK_LWIN, False, False, False, False, DEFAULT, "win"),
    (K.VK_RWIN, False, False, False, False, DEFAULT, "win"),
    (D, False, False, False, True, DEFAULT, "win"),                    # Win+D if a Win press got past
    (K.VK_F4, False, True, False, False, DEFAULT, "alt+f4"),
    (K.VK_F4, False, False, False, False, DEFAULT, "f4"),
    (K.VK_SPACE, False, True, False, False, DEFAULT, "alt+space"),
    (K.VK_SPACE, False, False, True, False, DEFAULT, None),            # Ctrl+Space switches the input method
    (K.VK_SPACE, False, False, False, False, DEFAULT, None),
    (K.VK_APPS, False, False, False, False, DEFAULT, "apps"),
    (K.VK_SNAPSHOT, False, False, False, False, DEFAULT, "print_screen"),
    (K.VK_SNAPSHOT, False, True, False, False, DEFAULT, "print_screen"),
    (K.VK_SNAPSHOT, False, False, False, False, LENIENT, None),
    (K.VK_F1, False, False, False, False, DEFAULT, "f1"),
    (0x74, False, False, False, False, DEFAULT, "f5"),
    (0x74, False, False, False, False, LENIENT, None),                 # F5 allowed by policy
    (K.VK_F24, False, False, False, False, DEFAULT, "f24"),
    (K.VK_C, False, False, True, False, DEFAULT, None),                # copy inside the exam (clipboard isolated)
    (K.VK_V, False, False, True, False, DEFAULT, None),
    (K.VK_C, False, False, True, False, NO_COPY, "ctrl+c"),
    (K.VK_V, False, False, True, False, NO_COPY, "ctrl+v"),
    (K.VK_X, False, False, True, False, NO_COPY, "ctrl+x"),
    (K.VK_C, False, False, False, False, NO_COPY, None),               # plain c is typing
    (0xA6, False, False, False, False, DEFAULT, "launch_key"),         # browser back
    (0xB6, False, False, False, False, DEFAULT, "launch_key"),         # launch app 1 (calculator)
    (0xAD, False, False, False, False, DEFAULT, None),                 # volume mute stays
    (K.VK_LSHIFT, False, True, False, False, DEFAULT, None),           # Alt+Shift: keyboard layout
    (K.VK_LSHIFT, False, False, True, False, DEFAULT, None),           # Ctrl+Shift: input method
    (A, False, False, False, False, DEFAULT, None),
    (ONE, False, False, False, False, DEFAULT, None),
    (A, True, False, False, False, DEFAULT, "injected"),               # synthesized typing
    (A, True, False, False, False, LENIENT, None),
    (K.VK_TAB, True, True, False, False, LENIENT, "alt+tab"),          # allowed injection still cannot switch
    (K.VK_RETURN, False, False, False, False, DEFAULT, None),
]


@pytest.mark.parametrize("vk,injected,alt,ctrl,win,policy,expected", TABLE)
def test_decision_table(vk, injected, alt, ctrl, win, policy, expected):
    assert decide(vk, injected, alt, ctrl, win, policy) == expected


DOWN, UP = 0x100, 0x101
SYSDOWN = 0x104


def test_alt_tab_sequence_swallows_tab_press_and_release_only():
    f = KeyFilter()
    assert f.on_key(K.VK_LMENU, K.LLKHF_ALTDOWN, SYSDOWN).swallow is False
    tab = f.on_key(K.VK_TAB, K.LLKHF_ALTDOWN, SYSDOWN)
    assert tab.swallow and tab.combo == "alt+tab" and not tab.injected
    again = f.on_key(K.VK_TAB, K.LLKHF_ALTDOWN, SYSDOWN)     # auto-repeat: swallowed, not reported again
    assert again.swallow and again.combo is None
    assert f.on_key(K.VK_TAB, K.LLKHF_UP, UP).swallow is True
    assert f.on_key(K.VK_LMENU, K.LLKHF_UP, UP).swallow is False
    assert f.on_key(K.VK_TAB, 0, DOWN).swallow is False      # Alt released: Tab is Tab again


def test_win_release_is_swallowed_with_its_press():
    f = KeyFilter()
    assert f.on_key(K.VK_LWIN, 0, DOWN).combo == "win"
    assert f.on_key(D, 0, DOWN).combo == "win"                # Win+D while Win is held
    assert f.on_key(D, K.LLKHF_UP, UP).swallow is True
    assert f.on_key(K.VK_LWIN, K.LLKHF_UP, UP).swallow is True   # a lone release would open Start
    assert f.on_key(D, 0, DOWN).swallow is False


def test_injected_alt_tab_is_tracked_even_though_windows_never_saw_alt():
    f = KeyFilter(KeyPolicy(allow_injected=False))
    alt = f.on_key(K.VK_LMENU, K.LLKHF_INJECTED, SYSDOWN)
    assert alt.swallow and alt.combo == "injected" and alt.injected
    tab = f.on_key(K.VK_TAB, K.LLKHF_INJECTED, SYSDOWN)       # no ALTDOWN flag: the Alt press was swallowed
    assert tab.swallow and tab.combo == "alt+tab" and tab.injected


def test_ctrl_esc_with_ctrl_held_before_the_hook_existed():
    f = KeyFilter()
    assert f.on_key(K.VK_ESCAPE, 0, DOWN).swallow is False
    f.on_key(K.VK_ESCAPE, K.LLKHF_UP, UP)
    f.seed([K.VK_LCONTROL, 0x41])                             # only modifiers are taken
    assert f.held == {K.VK_LCONTROL}
    assert f.on_key(K.VK_ESCAPE, 0, DOWN).combo == "ctrl+esc"
