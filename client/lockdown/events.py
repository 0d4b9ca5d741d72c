"""Lockdown events: their types, and the plain message (zh_CN, en) the candidate sees for the ones that
concern them. Every event goes to the sink `(type, severity, detail)`, which the application wires to
the exam journal (ExamEngine.report_event), so it reaches the server like any monitoring event."""
from __future__ import annotations

from typing import Any, Callable, Dict, Mapping, Optional, Tuple

EventSink = Callable[[str, str, Dict[str, Any]], None]
INFO, WARN, ALERT = "info", "warn", "alert"

STARTED = "lockdown.started"                 # what is in force, and what this system cannot do
STOPPED = "lockdown.stopped"
OPERATION_FAILED = "lockdown.operation_failed"
UNCLEAN_EXIT = "lockdown.unclean_exit"       # found a record of a lockdown that never ended: reverted it
KEY_BLOCKED = "lockdown.key_blocked"
INJECTED_INPUT = "lockdown.injected_input"
FOCUS_LOST = "lockdown.focus_lost"
DESKTOP_SWITCHED = "lockdown.desktop_switched"
SESSION_SWITCHED = "lockdown.session_switched"
CAPTURE_BLOCK = "lockdown.capture_block"
HIDDEN_OVERLAY = "lockdown.hidden_overlay"
FORBIDDEN_PROGRAM = "lockdown.forbidden_program"
CLIPBOARD_CLEARED = "lockdown.clipboard_cleared"
DISPLAY_CHANGED = "lockdown.display_changed"
REMOTE_SESSION = "lockdown.remote_session"
VIRTUAL_MACHINE = "lockdown.virtual_machine"

COMBO_LABELS = {
    "alt+tab": "Alt+Tab", "alt+esc": "Alt+Esc", "ctrl+esc": "Ctrl+Esc", "win": "Windows", "alt+f4": "Alt+F4",
    "alt+space": "Alt+Space", "apps": "菜单键 / Menu key", "print_screen": "PrintScreen", "ctrl+c": "Ctrl+C",
    "ctrl+v": "Ctrl+V", "ctrl+x": "Ctrl+X", "launch_key": "快捷启动键 / launch key", "injected": "",
}


def _combo(detail: Mapping[str, Any]) -> str:
    combo = str(detail.get("combo", ""))
    return COMBO_LABELS.get(combo, combo.upper())


def candidate_message(type_: str, detail: Mapping[str, Any]) -> Optional[Tuple[str, str]]:
    """(zh_CN, en) to show the candidate, or None when the event is for the proctor only."""
    if type_ == KEY_BLOCKED:
        if detail.get("combo") == "injected":
            return ("已拦截由程序模拟的键盘输入：考试期间只能使用真实键盘。",
                    "Keyboard input simulated by a program was blocked: only the real keyboard works in the exam.")
        if detail.get("combo") in ("ctrl+c", "ctrl+v", "ctrl+x"):
            return ("本场考试不允许复制粘贴（%s 已被拦截）。" % _combo(detail),
                    "Copy and paste are not allowed in this exam (%s was blocked)." % _combo(detail))
        return ("考试期间不能切换或离开考试窗口（%s 已被拦截）。" % _combo(detail),
                "You cannot switch away from the exam window during the exam (%s was blocked)." % _combo(detail))
    if type_ == FOCUS_LOST:
        return ("考试窗口曾被其他窗口遮挡，已自动恢复；此事已记录。",
                "Another window covered the exam window; it was brought back and this was recorded.")
    if type_ == FORBIDDEN_PROGRAM:
        name = str(detail.get("label") or detail.get("name") or "")
        if detail.get("action") == "terminated":
            return ("考试期间禁止运行的程序“%s”已被关闭。" % name,
                    "\u201c%s\u201d is not allowed during the exam and was closed." % name)
        return ("考试期间禁止运行的程序“%s”正在运行，已记录并通知监考老师，请立即关闭它。" % name,
                "\u201c%s\u201d is not allowed during the exam: it was recorded for the proctor. Close it now." % name)
    if type_ == DISPLAY_CHANGED and detail.get("change") == "added":
        return ("检测到新接入的显示器：考试只能使用一台显示器，请断开其他显示器。此事已记录。",
                "A display was connected: only one display is allowed, unplug the others. This was recorded.")
    if type_ == CLIPBOARD_CLEARED and detail.get("reason") == "foreign":
        return ("剪贴板中来自其他程序的内容已被清除：考试中不能粘贴外部内容。",
                "Clipboard content from another program was cleared: outside content cannot be pasted in the exam.")
    if type_ == HIDDEN_OVERLAY:
        return ("发现一个对录屏隐藏的窗口（%s），已记录并通知监考老师。" % (detail.get("exe") or "?"),
                "A window hidden from screen capture was found (%s); it was recorded for the proctor."
                % (detail.get("exe") or "?"))
    if type_ == UNCLEAN_EXIT:
        return ("考试客户端上次未正常退出；锁定时所做的系统设置已全部恢复。",
                "The exam client did not exit normally last time; every setting the lockdown changed was restored.")
    return None
