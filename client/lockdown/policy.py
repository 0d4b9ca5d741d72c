"""The lockdown's part of the server's policy, read leniently: a missing or malformed value keeps the
default (a bad policy must neither stop an exam nor loosen it)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, FrozenSet, Mapping, Optional, Tuple

from client.lockdown.keys import VK_F1, KeyPolicy
from examcore.programs import ForbiddenProgram, exe_key, programs_from_policy

ACTIONS = ("allow", "warn", "fail")
SEVERITY_OF = {"allow": "info", "warn": "warn", "fail": "alert"}
# benign overlays: input methods' candidate windows, the Windows shell, GPU overlays
DEFAULT_OVERLAY_ALLOW = frozenset(exe_key(n) for n in (
    "TextInputHost.exe", "ctfmon.exe", "ChsIME.exe", "explorer.exe", "ShellExperienceHost.exe",
    "StartMenuExperienceHost.exe", "SearchHost.exe", "SearchApp.exe", "LockApp.exe", "dwm.exe",
    "SogouCloud.exe", "SGTool.exe", "QQPinyinTool.exe", "NVIDIA Share.exe", "NVIDIA Overlay.exe",
))


def _action(value: Any, default: str) -> str:
    v = str(value).lower() if isinstance(value, str) else ""
    return v if v in ACTIONS else default


def _fkeys(value: Any) -> FrozenSet[int]:
    out = set()
    for item in value if isinstance(value, (list, tuple)) else ():
        s = str(item).strip().lower()
        if s.startswith("f") and s[1:].isdigit() and 1 <= int(s[1:]) <= 24:
            out.add(VK_F1 + int(s[1:]) - 1)
    return frozenset(out)


@dataclass(frozen=True)
class LockdownPolicy:
    programs: Tuple[ForbiddenProgram, ...] = field(default_factory=lambda: tuple(programs_from_policy(None)))
    forbidden_during_exam: str = "terminate"      # terminate | flag
    keys: KeyPolicy = field(default_factory=KeyPolicy)
    multiple_displays: str = "fail"
    mirrored_displays: str = "warn"
    remote_session: str = "fail"
    virtual_machine: str = "warn"
    overlay_allow: FrozenSet[str] = DEFAULT_OVERLAY_ALLOW

    @classmethod
    def from_policy(cls, policy: Optional[Mapping[str, Any]]) -> LockdownPolicy:
        p = dict(policy or {})
        during = str(p.get("forbidden_during_exam", "terminate")).lower()
        allow = p.get("overlay_allow")
        keys = KeyPolicy(block_copy_paste=str(p.get("clipboard", "isolate")).lower() == "block",
                         allow_injected=str(p.get("injected_input", "block")).lower() == "allow",
                         allowed_function_keys=_fkeys(p.get("allowed_function_keys")),
                         allow_print_screen=p.get("print_screen") == "allow")
        return cls(programs=tuple(programs_from_policy(p)),
                   forbidden_during_exam=during if during in ("terminate", "flag") else "terminate",
                   keys=keys,
                   multiple_displays=_action(p.get("multiple_displays"), "fail"),
                   mirrored_displays=_action(p.get("mirrored_displays"), "warn"),
                   remote_session=_action(p.get("remote_session"), "fail"),
                   virtual_machine=_action(p.get("virtual_machine"), "warn"),
                   overlay_allow=DEFAULT_OVERLAY_ALLOW | frozenset(
                       exe_key(str(n)) for n in (allow if isinstance(allow, (list, tuple)) else ())))
