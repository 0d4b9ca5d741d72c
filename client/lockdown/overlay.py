"""The hidden-overlay scan. AI helpers that float answers over an exam hide from screen recording
with SetWindowDisplayAffinity (Electron's setContentProtection), or sit above everything as top-most,
layered, click-through tool windows. Both are visible in the window list of any process: flag every
visible window of another program whose display affinity is not WDA_NONE, and every top-most
layered transparent/tool/no-activate window above the exam window, unless its program is allowed."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, Iterable, List, Sequence, Set, Tuple

from client.lockdown import events as ev
from client.lockdown.backend import WindowInfo
from examcore.programs import exe_key

WS_EX_TOPMOST, WS_EX_TRANSPARENT, WS_EX_TOOLWINDOW = 0x8, 0x20, 0x80
WS_EX_LAYERED, WS_EX_NOACTIVATE = 0x80000, 0x8000000
CAPTURE_EXCLUDED, TOPMOST_OVERLAY = "capture_excluded", "topmost_overlay"
MIN_OVERLAY_SIDE = 40   # input-method candidate lists and tooltips are smaller than a readable answer panel


@dataclass(frozen=True)
class OverlayFinding:
    window: WindowInfo
    reason: str

    def detail(self) -> Dict[str, Any]:
        d = dict(self.window.to_detail(), reason=self.reason, affinity=self.window.affinity,
                 ex_style="0x%x" % self.window.ex_style, rect=list(self.window.rect))
        return d


def _side_ok(rect: Tuple[int, int, int, int], minimum: int) -> bool:
    return rect[2] - rect[0] >= minimum and rect[3] - rect[1] >= minimum


def find_overlays(windows: Sequence[WindowInfo], own_pid: int, own_handle: int, allow: FrozenSet[str],
                  min_side: int = MIN_OVERLAY_SIDE) -> List[OverlayFinding]:
    """`windows`: visible top-level windows, topmost first (EnumWindows order)."""
    out: List[OverlayFinding] = []
    above = True
    for w in windows:
        if w.handle == own_handle:
            above = False
            continue
        if w.pid == own_pid or exe_key(w.exe) in allow:
            continue
        if w.affinity not in (None, 0) and _side_ok(w.rect, 1):
            out.append(OverlayFinding(w, CAPTURE_EXCLUDED))
        elif (above and w.ex_style & WS_EX_TOPMOST and w.ex_style & WS_EX_LAYERED
              and w.ex_style & (WS_EX_TRANSPARENT | WS_EX_TOOLWINDOW | WS_EX_NOACTIVATE)
              and _side_ok(w.rect, min_side)):
            out.append(OverlayFinding(w, TOPMOST_OVERLAY))
    return out


class OverlayScan:
    """Runs find_overlays on the backend's window list and reports each window once per reason."""

    def __init__(self, windows: Any, own_pid: int, own_handle: Any, allow: Iterable[str], on_event: ev.EventSink) -> None:
        self.windows, self.own_pid, self.own_handle = windows, own_pid, own_handle
        self.allow = frozenset(allow)
        self.on_event = on_event
        self.seen: Set[Tuple[int, int, str]] = set()

    def check(self) -> List[OverlayFinding]:
        found = find_overlays(self.windows(), self.own_pid, int(self.own_handle()), self.allow)
        new = []
        for f in found:
            key = (f.window.pid, f.window.handle, f.reason)
            if key in self.seen:
                continue
            self.seen.add(key)
            new.append(f)
            self.on_event(ev.HIDDEN_OVERLAY, ev.ALERT if f.reason == CAPTURE_EXCLUDED else ev.WARN, f.detail())
        return new
