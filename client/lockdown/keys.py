"""Which keys the exam swallows: a pure decision function plus the little state a keyboard hook needs
(modifiers held, keys whose press was swallowed so their release is too). No Win32 here: the hook
(client.win32.keyboard) passes virtual-key codes and flags in, and gets True (swallow) or False back.

Kept working for the candidate: letters, digits, Shift/Ctrl/Alt themselves, Ctrl+Space, Ctrl+Shift and
Alt+Shift (input-method and layout switching for Chinese input), Esc, volume keys. Ctrl+Alt+Del and
Win+L cannot be swallowed by any program: a desktop switch is detected and reported instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import FrozenSet, Iterable, NamedTuple, Optional, Set

VK_TAB, VK_RETURN, VK_ESCAPE, VK_SPACE = 0x09, 0x0D, 0x1B, 0x20
VK_SNAPSHOT, VK_LWIN, VK_RWIN, VK_APPS = 0x2C, 0x5B, 0x5C, 0x5D
VK_C, VK_V, VK_X = 0x43, 0x56, 0x58
VK_F1, VK_F4, VK_F24 = 0x70, 0x73, 0x87
VK_SHIFT, VK_CONTROL, VK_MENU = 0x10, 0x11, 0x12
VK_LSHIFT, VK_RSHIFT, VK_LCONTROL, VK_RCONTROL, VK_LMENU, VK_RMENU = 0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5
VK_BROWSER_BACK, VK_BROWSER_HOME, VK_LAUNCH_MAIL, VK_LAUNCH_APP2 = 0xA6, 0xAC, 0xB4, 0xB7
LLKHF_INJECTED, LLKHF_ALTDOWN, LLKHF_UP = 0x10, 0x20, 0x80
WM_KEYUP, WM_SYSKEYUP = 0x101, 0x105

CTRL_KEYS = frozenset({VK_CONTROL, VK_LCONTROL, VK_RCONTROL})
ALT_KEYS = frozenset({VK_MENU, VK_LMENU, VK_RMENU})
WIN_KEYS = frozenset({VK_LWIN, VK_RWIN})
MODIFIERS = CTRL_KEYS | ALT_KEYS | WIN_KEYS | {VK_SHIFT, VK_LSHIFT, VK_RSHIFT}
CLIPBOARD_COMBOS = {VK_C: "ctrl+c", VK_V: "ctrl+v", VK_X: "ctrl+x"}


@dataclass(frozen=True)
class KeyPolicy:
    block_copy_paste: bool = False              # Ctrl+C/V/X (the clipboard is isolated either way)
    allow_injected: bool = False                # keys synthesized by programs (SendInput, remote tools)
    allowed_function_keys: FrozenSet[int] = frozenset()   # e.g. {0x74} lets F5 through
    allow_print_screen: bool = False


def function_key_name(vk: int) -> str:
    return "f%d" % (vk - VK_F1 + 1)


def decide(vk: int, injected: bool, alt: bool, ctrl: bool, win: bool, policy: KeyPolicy) -> Optional[str]:
    """The combination a key press makes that the exam forbids ("alt+tab", "win", "f5", "injected"...),
    or None to let it through. Pure and allocation-free on the common path: it runs inside the hook."""
    if vk in WIN_KEYS or win:
        return "win"                             # Win+anything, should a Win press have got past us
    if alt:
        if vk == VK_TAB:
            return "alt+tab"
        if vk == VK_ESCAPE:
            return "alt+esc"
        if vk == VK_F4:
            return "alt+f4"
        if vk == VK_SPACE:
            return "alt+space"
    if ctrl:
        if vk == VK_ESCAPE:
            return "ctrl+esc"                    # also Ctrl+Shift+Esc (Task Manager)
        if policy.block_copy_paste and vk in CLIPBOARD_COMBOS and not alt:
            return CLIPBOARD_COMBOS[vk]
    if vk == VK_APPS:
        return "apps"
    if vk == VK_SNAPSHOT and not policy.allow_print_screen:
        return "print_screen"
    if VK_F1 <= vk <= VK_F24 and vk not in policy.allowed_function_keys:
        return function_key_name(vk)
    if VK_BROWSER_BACK <= vk <= VK_BROWSER_HOME or VK_LAUNCH_MAIL <= vk <= VK_LAUNCH_APP2:
        return "launch_key"                      # open a browser, mail or calculator
    if injected and not policy.allow_injected:
        return "injected"
    return None


class KeyOutcome(NamedTuple):
    swallow: bool
    combo: Optional[str]     # set on the press that is reported (not on repeats or releases)
    injected: bool


PASS = KeyOutcome(False, None, False)


@dataclass
class KeyFilter:
    """What the hook calls for every key: tracks Ctrl/Alt/Win, and swallows the release of a swallowed
    press (a lone Win release would still open Start). Auto-repeat of a held key is swallowed silently."""

    policy: KeyPolicy = field(default_factory=KeyPolicy)
    held: Set[int] = field(default_factory=set)
    swallowed: Set[int] = field(default_factory=set)

    def seed(self, held: Iterable[int]) -> None:
        """Modifiers already held when the hook was installed."""
        self.held.update(vk for vk in held if vk in MODIFIERS)

    def on_key(self, vk: int, flags: int, message: int) -> KeyOutcome:
        up = bool(flags & LLKHF_UP) or message in (WM_KEYUP, WM_SYSKEYUP)
        injected = bool(flags & LLKHF_INJECTED)
        if up:
            self.held.discard(vk)
            if vk in self.swallowed:
                self.swallowed.discard(vk)
                return KeyOutcome(True, None, injected)
            return PASS
        repeat = vk in self.swallowed
        held = self.held
        alt = bool(flags & LLKHF_ALTDOWN) or bool(held & ALT_KEYS)
        ctrl = bool(held & CTRL_KEYS)
        win = bool(held & WIN_KEYS)
        if vk in MODIFIERS:
            held.add(vk)
        combo = decide(vk, injected, alt, ctrl, win, self.policy)
        if combo is None:
            return PASS
        self.swallowed.add(vk)
        return KeyOutcome(True, None if repeat else combo, injected)
