"""System self-check: OS, free disk, memory, CPU load, battery, displays, virtual machine,
remote-desktop session, forbidden programs. No Qt: the display count comes from the UI (Qt's
screens) or from Win32 through DisplayProbe."""
from __future__ import annotations

import logging
import os
import platform
import shutil
import sys
from pathlib import Path
from typing import Any, Callable, List, Mapping, Optional

from client.monitor.processes import ProcessLister, find_forbidden
from client.monitor.results import (
    FAIL,
    PASS,
    WARN,
    CheckResult,
    bad,
    default_data_dir,
    merged_policy,
    ok,
    policy_status,
    skipped,
)
from client.monitor.vm_detect import Evidence, collect_evidence, looks_virtual

log = logging.getLogger(__name__)
GIB = 1024 ** 3
DisplayProbe = Callable[[], Optional[int]]


def os_result(system: Optional[str] = None, win_version: Optional[tuple] = None) -> CheckResult:
    system = system or platform.system()
    if system == "Windows":
        v = win_version or tuple(sys.getwindowsversion()[:3])  # type: ignore[attr-defined]
        label = "Windows %d.%d (build %d)" % v
        if v[:2] >= (6, 1):
            return ok("system.os", label, "操作系统：%s。" % label, "Operating system: %s." % label)
        return bad("system.os", FAIL, label, "操作系统太旧：%s。" % label, "The operating system is too old: %s." % label,
                   "考试需要 Windows 7 或更新版本。", "The exam needs Windows 7 or later.")
    label = "%s %s" % (system, platform.release())
    return bad("system.os", WARN, label, "当前系统是 %s；正式考试要求 Windows 7 或更新版本。" % label,
               "This is %s; the formal exam needs Windows 7 or later." % label,
               "本机可以练习，正式考试请使用 Windows 电脑。", "You can practise here; sit the formal exam on a Windows PC.")


def disk_result(path: Optional[Path] = None, free: Optional[int] = None) -> CheckResult:
    folder = Path(path or default_data_dir())
    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    free = shutil.disk_usage(str(probe)).free if free is None else free
    gib = free / float(GIB)
    value = {"free_gib": round(gib, 2), "path": str(folder)}
    if gib < 5:
        return bad("system.disk", FAIL if gib < 1 else WARN, value, "磁盘剩余空间不足（%.1f GB）。" % gib,
                   "Low free disk space (%.1f GB)." % gib,
                   "请清理磁盘（删除下载文件、清空回收站），至少留出 5 GB 用于保存答案和监考录像。",
                   "Free some disk space (downloads, recycle bin): keep at least 5 GB for answers and proctoring video.")
    return ok("system.disk", value, "磁盘剩余 %.1f GB。" % gib, "%.1f GB free on disk." % gib)


def memory_result(total: Optional[int] = None, available: Optional[int] = None) -> CheckResult:
    if total is None or available is None:
        import psutil

        vm = psutil.virtual_memory()
        total, available = int(vm.total), int(vm.available)
    value = {"total_gib": round(total / float(GIB), 1), "available_gib": round(available / float(GIB), 2)}
    if total < 2 * GIB:
        return bad("system.memory", FAIL, value, "内存太小（%.1f GB）。" % (total / float(GIB)),
                   "Too little memory (%.1f GB)." % (total / float(GIB)),
                   "考试需要至少 4 GB 内存的电脑。", "The exam needs a PC with at least 4 GB of memory.")
    if total < 4 * GIB or available < GIB // 2:
        return bad("system.memory", WARN, value, "可用内存偏少。", "Little free memory.",
                   "请关闭其他程序（浏览器、聊天、游戏）后再考试。", "Close other programs (browsers, chat, games) before the exam.")
    return ok("system.memory", value, "内存充足。", "Enough memory.")


def cpu_result(load_percent: Optional[float] = None) -> CheckResult:
    if load_percent is None:
        import psutil

        load_percent = float(psutil.cpu_percent(interval=0.5))
    if load_percent > 85:
        return bad("system.cpu", WARN, round(load_percent, 1), "电脑很忙（CPU %.0f%%）。" % load_percent,
                   "The computer is busy (CPU %.0f%%)." % load_percent,
                   "请关闭其他程序和下载，以免画面卡顿。", "Close other programs and downloads so the video stays smooth.")
    return ok("system.cpu", round(load_percent, 1), "CPU 负载 %.0f%%。" % load_percent, "CPU load %.0f%%." % load_percent)


def battery_result(battery: Any = "probe") -> CheckResult:
    if battery == "probe":
        try:
            import psutil

            battery = psutil.sensors_battery()
        except Exception:
            battery = None
    if battery is None:
        return ok("system.battery", None, "未使用电池供电。", "Not running on battery.")
    percent, plugged = float(battery.percent), bool(battery.power_plugged)
    value = {"percent": round(percent), "plugged": plugged}
    if plugged:
        return ok("system.battery", value, "已接通电源。", "Plugged in.")
    return bad("system.battery", FAIL if percent < 30 else WARN, value, "正在使用电池（剩余 %.0f%%）。" % percent,
               "Running on battery (%.0f%% left)." % percent,
               "考试 120 分钟，请全程接上电源适配器。", "The exam lasts 120 minutes: keep the charger plugged in.")


def count_displays_win32() -> Optional[int]:
    if sys.platform != "win32":
        return None
    from client.win32.desktop import monitor_count

    return monitor_count()


def displays_result(count: Optional[int], policy: Optional[Mapping[str, Any]] = None) -> CheckResult:
    if count is None:
        return skipped("system.displays", "未检测显示器数量（本系统无法读取）。",
                       "Display count not measured (this system cannot tell).")
    if count > 1:
        status = policy_status(dict(policy or {}), "multiple_displays")
        return bad("system.displays", status if status != PASS else WARN, count, "检测到 %d 台显示器。" % count,
                   "%d displays are connected." % count,
                   "考试只能使用一台显示器：请拔下其他显示器的连接线（或在“显示设置”中选择“仅在 1 上显示”），然后重新检测。",
                   "Only one display is allowed: unplug the other displays (or choose \u201cShow only on 1\u201d in "
                   "Display settings), then check again.")
    return ok("system.displays", count, "只有一台显示器。", "One display.")


def vm_result(evidence: Optional[List[Evidence]] = None, policy: Optional[Mapping[str, Any]] = None,
              primary: Optional[str] = None) -> CheckResult:
    if evidence is None:
        evidence = collect_evidence(primary=primary)
    items = [e.to_dict() for e in evidence]
    if looks_virtual(evidence):
        status = policy_status(dict(policy or {}), "virtual_machine")
        if status == PASS:
            return ok("system.virtual_machine", True, "在虚拟机中运行（考试规则允许）。",
                      "Running in a virtual machine (allowed by the exam rules).", evidence=items)
        return bad("system.virtual_machine", status, True, "本程序似乎运行在虚拟机中。",
                   "This program seems to run in a virtual machine.",
                   "请直接在实体电脑上安装并运行考试客户端，不要使用虚拟机。",
                   "Install and run the exam client directly on a physical PC, not in a virtual machine.",
                   evidence=items)
    return ok("system.virtual_machine", False, "未发现虚拟机。", "No virtual machine found.", evidence=items)


def remote_session_evidence(env: Optional[Mapping[str, str]] = None, win_remote: Optional[bool] = None) -> List[str]:
    env = os.environ if env is None else env
    out = []
    if sys.platform == "win32" or win_remote is not None:
        if win_remote is None and sys.platform == "win32":  # (None only gets here on Windows)
            from client.win32.desktop import remote_session

            win_remote = remote_session()
        if win_remote:
            out.append("SM_REMOTESESSION")
        if str(env.get("SESSIONNAME", "")).upper().startswith("RDP-"):
            out.append("SESSIONNAME=%s" % env["SESSIONNAME"])
    for var in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "XRDP_SESSION", "XRDP_SOCKET_PATH"):
        if env.get(var):
            out.append(var)
    display = env.get("DISPLAY", "")
    if display and not display.startswith(":") and not display.startswith("unix") and ":" in display \
            and not display.startswith("/"):
        out.append("DISPLAY=%s" % display)  # host:0 = an X display forwarded from elsewhere
    return out


def remote_result(evidence: Optional[List[str]] = None, policy: Optional[Mapping[str, Any]] = None) -> CheckResult:
    evidence = remote_session_evidence() if evidence is None else evidence
    if evidence:
        status = policy_status(dict(policy or {}), "remote_session")
        return bad("system.remote_session", status if status != PASS else WARN, evidence, "检测到远程桌面或远程登录会话。",
                   "A remote desktop or remote login session was found.",
                   "请坐在考试电脑前直接操作，关闭远程桌面、向日葵、ToDesk、TeamViewer 等远程控制。",
                   "Sit at the exam PC and use it directly; close remote desktop and remote-control tools "
                   "(TeamViewer, AnyDesk, ToDesk...).")
    return ok("system.remote_session", [], "没有远程会话。", "No remote session.")


def processes_result(policy: Optional[Mapping[str, Any]] = None, lister: Optional[ProcessLister] = None) -> CheckResult:
    forbidden = list(merged_policy(dict(policy or {})).get("forbidden_processes") or [])
    found = find_forbidden(forbidden, lister)
    if found:
        names = sorted({str(f["name"]) for f in found})
        return bad("system.processes", FAIL, found, "正在运行考试禁止的程序：%s。" % "、".join(names),
                   "Programs not allowed during the exam are running: %s." % ", ".join(names),
                   "请保存这些程序中的内容并关闭它们（可点击“关闭这些程序”），然后重新检测。",
                   "Save your work in them and close them (you can click \u201cClose these programs\u201d), then check again.")
    return ok("system.processes", [], "没有发现禁止的程序。", "No forbidden programs running.")


def run_system_check(policy: Optional[Mapping[str, Any]] = None, displays: Optional[DisplayProbe] = None,
                     data_dir: Optional[Path] = None, lister: Optional[ProcessLister] = None) -> List[CheckResult]:
    """Every system check; each one isolated so one failing probe cannot hide the others."""
    policy = merged_policy(dict(policy or {}))
    probe = displays or count_displays_win32
    steps: List[Callable[[], CheckResult]] = [
        os_result, lambda: disk_result(data_dir), memory_result, cpu_result, battery_result,
        lambda: displays_result(probe(), policy), lambda: vm_result(policy=policy, primary=_primary_iface()),
        lambda: remote_result(policy=policy), lambda: processes_result(policy, lister)]
    out = []
    for step in steps:
        try:
            out.append(step())
        except Exception as exc:  # a probe that breaks is reported, not a crash
            log.exception("system check step failed")
            out.append(CheckResult("system.error", WARN, str(exc)[:200], "有一项系统检测无法完成。",
                                   "One system check could not run.", "请重新检测；如仍失败请联系考务。",
                                   "Check again; if it keeps failing, contact the exam centre."))
    return out


def _primary_iface() -> Optional[str]:
    from client.monitor.network_check import default_interface

    return default_interface()


__all__ = ["run_system_check", "displays_result", "vm_result", "remote_result", "processes_result", "os_result",
           "disk_result", "memory_result", "cpu_result", "battery_result", "FAIL", "WARN", "PASS"]
