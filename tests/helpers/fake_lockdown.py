"""A scripted LockdownControl for UI tests: preflight answers in order, close results, and what the UI
handed in (the exam window, the notice sink). Checked against the Protocol by test_lockdown_contract."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from client.lockdown.guard import ProgramFinding
from client.lockdown.session import Preflight
from client.monitor.results import FAIL, bad
from examcore.programs import ForbiddenProgram


def blocked_by_program(pid: int = 4321) -> Preflight:
    prog = ForbiddenProgram("todesk", "ToDesk", "ToDesk 远程控制", "remote_control", ("ToDesk.exe",))
    finding = ProgramFinding(pid, "ToDesk.exe", "C:\\Program Files\\ToDesk\\ToDesk.exe", prog, "exe_name",
                             "ToDesk.exe", True, 1.0)
    check = bad("lockdown.programs", FAIL, [finding.to_detail()], "正在运行考试禁止的程序：ToDesk 远程控制。",
                "Programs not allowed during the exam are running: ToDesk.", "请关闭。", "Close them.")
    displays = bad("system.displays", FAIL, 2, "检测到 2 台显示器。", "2 displays are connected.",
                   "请拔下其他显示器。", "Unplug the other displays.")
    return Preflight(blockers=[displays, check], programs=[finding])


class FakeLockdown:
    def __init__(self, preflights: Optional[List[Preflight]] = None,
                 closes: Optional[List[Dict[int, str]]] = None) -> None:
        self.preflights = list(preflights or [Preflight()])
        self.closes = list(closes or [])
        self.close_calls: List[Any] = []
        self.windows: List[Any] = []
        self.notice: Optional[Any] = None

    def preflight(self) -> Preflight:
        return self.preflights.pop(0) if len(self.preflights) > 1 else self.preflights[0]

    def close_programs(self, findings: List[ProgramFinding], force: bool = False) -> Dict[int, str]:
        self.close_calls.append(([f.pid for f in findings], force))
        return self.closes.pop(0) if self.closes else {f.pid: "closed" for f in findings}

    def set_window(self, window: Optional[Any]) -> None:
        self.windows.append(window)

    def set_notice(self, notice: Optional[Any]) -> None:
        self.notice = notice
