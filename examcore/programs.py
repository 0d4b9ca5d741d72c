"""Programs that must not run during an exam: the one deny list the client and the server share.

Each program is matched by executable name, by the version resource's OriginalFilename/InternalName
(a renamed copy keeps them), by its exact ProductName, or by the subject of its code signature. Signers
are listed only for vendors whose every product is forbidden (TeamViewer, AnyDesk...), never for
vendors that also ship an antivirus or a browser (Tencent, Alibaba, ByteDance, Microsoft).

The server's policy edits the list: `forbidden_processes` holds names (old style: each name selects
the default program it belongs to, with all of that program's names, products and signers, or stands
alone if unknown) or whole entries (dicts with the fields of ForbiddenProgram).

Pure data and string matching: no I/O, no third-party imports, Python 3.8.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

REMOTE_CONTROL = "remote_control"
CHAT = "chat"
MEETING = "meeting"
RECORDING = "recording"
VIRTUAL_CAMERA = "virtual_camera"
AI_OVERLAY = "ai_overlay"
CATEGORIES = (REMOTE_CONTROL, CHAT, MEETING, RECORDING, VIRTUAL_CAMERA, AI_OVERLAY)

# Never closed, whatever a policy lists: closing them breaks Windows itself (they can still be reported).
PROTECTED_PROCESSES = frozenset({
    "system", "registry", "smss", "csrss", "wininit", "winlogon", "services", "lsass", "lsaiso", "svchost",
    "dwm", "explorer", "fontdrvhost", "sihost", "ctfmon", "conhost", "taskhostw", "runtimebroker",
    "searchhost", "startmenuexperiencehost", "shellexperiencehost", "textinputhost", "memory compression",
    "init", "systemd", "launchd", "kernel_task", "loginwindow", "windowserver", "xorg", "xwayland",
})


def exe_key(name: str) -> str:
    """Comparable form of an executable name: lower case, no folder, no .exe ("C:\\x\\QQ.exe" -> "qq")."""
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1].strip().lower()
    return base[:-4] if base.endswith(".exe") else base


def text_key(value: str) -> str:
    """Comparable form of a product or signer name: lower case, runs of spaces collapsed."""
    return " ".join(str(value or "").lower().split())


@dataclass(frozen=True)
class ForbiddenProgram:
    key: str                               # stable id, e.g. "anydesk"
    label: str                             # shown to the candidate, e.g. "AnyDesk"
    label_zh: str
    category: str
    exe_names: Tuple[str, ...] = ()        # executable names, also compared with OriginalFilename/InternalName
    products: Tuple[str, ...] = ()         # exact ProductName values
    signers: Tuple[str, ...] = ()          # code-signing subject names (single-purpose vendors only)
    note: str = ""

    def to_dict(self) -> Dict[str, Any]:
        return {"key": self.key, "label": self.label, "label_zh": self.label_zh, "category": self.category,
                "exe_names": list(self.exe_names), "products": list(self.products), "signers": list(self.signers)}


def _p(key: str, label: str, label_zh: str, category: str, exe_names: Sequence[str], products: Sequence[str] = (),
       signers: Sequence[str] = (), note: str = "") -> ForbiddenProgram:
    return ForbiddenProgram(key, label, label_zh, category, tuple(exe_names), tuple(products), tuple(signers), note)


DEFAULT_PROGRAMS: Tuple[ForbiddenProgram, ...] = (
    # remote control: someone else works the PC
    _p("teamviewer", "TeamViewer", "TeamViewer 远程控制", REMOTE_CONTROL,
       ["TeamViewer.exe", "TeamViewer_Service.exe", "tv_w32.exe", "tv_x64.exe", "teamviewer", "teamviewerd"],
       ["TeamViewer"], ["TeamViewer Germany GmbH", "TeamViewer GmbH"]),
    _p("anydesk", "AnyDesk", "AnyDesk 远程控制", REMOTE_CONTROL, ["AnyDesk.exe", "anydesk"], ["AnyDesk"],
       ["AnyDesk Software GmbH", "philandro Software GmbH"]),
    _p("rustdesk", "RustDesk", "RustDesk 远程控制", REMOTE_CONTROL, ["rustdesk.exe", "rustdesk"], ["RustDesk"]),
    _p("todesk", "ToDesk", "ToDesk 远程控制", REMOTE_CONTROL, ["ToDesk.exe", "ToDesk_Service.exe", "ToDesk_Session.exe"],
       ["ToDesk"]),
    _p("sunlogin", "Sunlogin (向日葵)", "向日葵远程控制", REMOTE_CONTROL,
       ["SunloginClient.exe", "SunloginRemote.exe", "AweSun.exe"], ["SunloginClient", "向日葵", "AweSun"]),
    _p("mstsc", "Remote Desktop Connection", "远程桌面连接", REMOTE_CONTROL, ["mstsc.exe"]),
    _p("quickassist", "Quick Assist", "快速助手", REMOTE_CONTROL, ["QuickAssist.exe"]),
    _p("vnc", "VNC", "VNC 远程控制", REMOTE_CONTROL,
       ["vncviewer.exe", "vncserver.exe", "winvnc.exe", "tvnviewer.exe", "tvnserver.exe", "x11vnc"],
       ["RealVNC", "TightVNC", "UltraVNC", "TigerVNC"]),
    _p("chrome_remote_desktop", "Chrome Remote Desktop", "Chrome 远程桌面", REMOTE_CONTROL,
       ["remoting_host.exe", "remoting_desktop.exe"], ["Chrome Remote Desktop"]),
    _p("splashtop", "Splashtop", "Splashtop 远程控制", REMOTE_CONTROL, ["SRServer.exe", "strwinclt.exe"],
       signers=["Splashtop Inc."]),
    _p("parsec", "Parsec", "Parsec 远程控制", REMOTE_CONTROL, ["parsecd.exe"], ["Parsec"]),
    # chat
    _p("wechat", "WeChat (微信)", "微信", CHAT, ["WeChat.exe", "Weixin.exe", "wechat"], ["WeChat", "Weixin", "微信"]),
    _p("qq", "QQ", "QQ", CHAT, ["QQ.exe", "TIM.exe", "qq"], ["QQ", "TIM"]),
    _p("dingtalk", "DingTalk (钉钉)", "钉钉", CHAT, ["DingTalk.exe", "DingtalkLauncher.exe", "dingtalk"],
       ["DingTalk", "钉钉"]),
    _p("feishu", "Feishu / Lark (飞书)", "飞书", CHAT, ["Feishu.exe", "Lark.exe", "feishu", "bytedance-feishu"],
       ["Feishu", "Lark", "飞书"]),
    _p("telegram", "Telegram", "Telegram", CHAT, ["Telegram.exe", "telegram-desktop"], ["Telegram Desktop"],
       ["Telegram FZ-LLC"]),
    _p("discord", "Discord", "Discord", CHAT, ["Discord.exe", "discord"], ["Discord"], ["Discord Inc."]),
    _p("whatsapp", "WhatsApp", "WhatsApp", CHAT, ["WhatsApp.exe"], ["WhatsApp"]),
    _p("skype", "Skype", "Skype", CHAT, ["Skype.exe", "skypeforlinux"], ["Skype"]),
    # meetings: screen sharing
    _p("wemeet", "Tencent Meeting (腾讯会议)", "腾讯会议", MEETING, ["wemeetapp.exe", "WeMeet.exe", "wemeetapp"],
       ["腾讯会议", "TencentMeeting", "VooV Meeting"]),
    _p("zoom", "Zoom", "Zoom", MEETING, ["Zoom.exe", "zoom"], ["Zoom", "Zoom Meetings"],
       ["Zoom Video Communications, Inc."]),
    _p("teams", "Microsoft Teams", "Microsoft Teams", MEETING, ["Teams.exe", "ms-teams.exe", "teams"],
       ["Microsoft Teams"]),
    # screen recording and capture
    _p("obs", "OBS Studio", "OBS 录屏直播", RECORDING, ["obs64.exe", "obs32.exe", "obs.exe", "obs"], ["OBS Studio"]),
    _p("bandicam", "Bandicam", "Bandicam 录屏", RECORDING, ["Bandicam.exe", "bdcam.exe"], ["Bandicam"],
       ["Bandicam Company"]),
    _p("camtasia", "Camtasia", "Camtasia 录屏", RECORDING, ["CamtasiaStudio.exe", "CamRecorder.exe", "Camtasia.exe"],
       ["Camtasia", "Camtasia Studio"], ["TechSmith Corporation"]),
    _p("sharex", "ShareX", "ShareX 截图录屏", RECORDING, ["ShareX.exe"], ["ShareX"]),
    _p("snipaste", "Snipaste", "Snipaste 截图", RECORDING, ["Snipaste.exe", "snipaste"], ["Snipaste"]),
    _p("xsplit", "XSplit", "XSplit 直播", RECORDING, ["XSplit.Core.exe", "XSplitBroadcaster.exe"],
       ["XSplit Broadcaster"], ["SplitmediaLabs, Ltd."]),
    _p("ev_capture", "EV Capture (EV录屏)", "EV录屏", RECORDING, ["EVCapture.exe"], ["EVCapture"]),
    # virtual cameras (OBS's own virtual camera has no process: the camera list flags it)
    _p("manycam", "ManyCam", "ManyCam 虚拟摄像头", VIRTUAL_CAMERA, ["ManyCam.exe", "ManyCamService.exe"], ["ManyCam"]),
    _p("splitcam", "SplitCam", "SplitCam 虚拟摄像头", VIRTUAL_CAMERA, ["SplitCam.exe"], ["SplitCam"]),
    _p("obs_virtualcam", "OBS Virtual Camera", "OBS 虚拟摄像头", VIRTUAL_CAMERA, ["obs-virtualcam.exe"],
       ["OBS Virtual Camera"], note="runs inside OBS (matched there) and appears in the camera list"),
    # AI helpers that hide their window from screen capture (the overlay scan finds unknown ones)
    _p("cluely", "Cluely", "Cluely AI 助手", AI_OVERLAY, ["Cluely.exe", "cluely"], ["Cluely"]),
    _p("interview_coder", "Interview Coder", "Interview Coder AI 助手", AI_OVERLAY,
       ["Interview Coder.exe", "interview-coder.exe"], ["Interview Coder"]),
)

# The flat name list of earlier releases (the policy's `forbidden_processes`): every name of every default.
DEFAULT_FORBIDDEN_PROCESSES: List[str] = [n for p in DEFAULT_PROGRAMS for n in p.exe_names]


def _strings(value: Any) -> Tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value if isinstance(v, str) and v.strip())
    return ()


def program_from_dict(d: Mapping[str, Any]) -> Optional[ForbiddenProgram]:
    """A policy entry; None if it names nothing to match (bad entries are dropped, not trusted)."""
    names, products, signers = _strings(d.get("exe_names")), _strings(d.get("products")), _strings(d.get("signers"))
    if not (names or products or signers):
        return None
    key = str(d.get("key") or (names or products or signers)[0]).strip().lower()
    label = str(d.get("label") or (names or products or signers)[0])
    category = str(d.get("category") or "")
    return ForbiddenProgram(key, label, str(d.get("label_zh") or label),
                            category if category in CATEGORIES else "other", names, products, signers)


def programs_from_policy(policy: Optional[Mapping[str, Any]]) -> List[ForbiddenProgram]:
    """The deny list a policy asks for; the defaults when it says nothing (an empty list means none)."""
    items = (policy or {}).get("forbidden_processes")
    if items is None:
        return list(DEFAULT_PROGRAMS)
    by_name = {exe_key(n): p for p in DEFAULT_PROGRAMS for n in p.exe_names}
    out: Dict[str, ForbiddenProgram] = {}
    for item in items if isinstance(items, (list, tuple)) else ():
        prog: Optional[ForbiddenProgram] = None
        if isinstance(item, str) and exe_key(item):
            prog = by_name.get(exe_key(item)) or ForbiddenProgram(exe_key(item), item, item, "other", (item,))
        elif isinstance(item, Mapping):
            prog = program_from_dict(item)
        if prog is not None and prog.key not in out:
            out[prog.key] = prog
    return list(out.values())


@dataclass(frozen=True)
class Identity:
    """What is known about one running program (empty strings where unknown)."""

    exe_name: str
    original_filename: str = ""
    internal_name: str = ""
    product_name: str = ""
    signer: str = ""


@dataclass(frozen=True)
class Match:
    program: ForbiddenProgram
    matched_by: str      # exe_name | original_filename | internal_name | product_name | signer
    value: str


@dataclass
class ProgramMatcher:
    """Dictionary look-ups only: matching one process costs a few microseconds."""

    programs: Sequence[ForbiddenProgram]
    _names: Dict[str, ForbiddenProgram] = field(default_factory=dict, init=False, repr=False)
    _products: Dict[str, ForbiddenProgram] = field(default_factory=dict, init=False, repr=False)
    _signers: Dict[str, ForbiddenProgram] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for p in self.programs:
            for n in p.exe_names:
                self._names.setdefault(exe_key(n), p)
            for n in p.products:
                self._products.setdefault(text_key(n), p)
            for n in p.signers:
                self._signers.setdefault(text_key(n), p)

    def match(self, ident: Identity) -> Optional[Match]:
        for by, value, table, norm in (
                ("exe_name", ident.exe_name, self._names, exe_key),
                ("original_filename", ident.original_filename, self._names, exe_key),
                ("internal_name", ident.internal_name, self._names, exe_key),
                ("product_name", ident.product_name, self._products, text_key),
                ("signer", ident.signer, self._signers, text_key)):
            if value:
                prog = table.get(norm(value))
                if prog is not None:
                    return Match(prog, by, value)
        return None

    def names(self) -> Iterable[str]:
        return self._names.keys()


def is_protected(exe_name: str) -> bool:
    return exe_key(exe_name) in PROTECTED_PROCESSES
