"""`examdesk check`: the equipment self-check without logging in.

    examdesk check                                  the wizard (Qt window)
    examdesk check --camera FILE|INDEX --json       camera checks on an image, a video or a device
    examdesk check --microphone [--device D] --json
    examdesk check --network [URL] --json           latency, jitter, upload to the exam server (default:
                                                    the configured one; says so when none is configured)
    examdesk check --system [--policy FILE] --json
    examdesk check --list-devices --json            cameras and microphones
Several of --camera/--microphone/--network/--system combine into one report. With --json the
output is ONE JSON object ({"checks": [...], "overall": ..., ...}); exit status 0 = no check
failed, 1 = a check failed, 2 = bad command line.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, NoReturn, Optional

from client.monitor.results import FAIL, CheckResult, build_report, merged_policy, save_report, skipped

log = logging.getLogger(__name__)
_LABEL = {"pass": "通过 pass", "skip": "未测 skip", "warn": "注意 warn", "fail": "失败 fail"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # zh first, then argparse's English
        self.print_usage(sys.stderr)
        sys.stderr.write("命令行参数错误：%s\nBad command line: %s\n" % (message, message))
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="examdesk check", description="设备自检 / Equipment self-check")
    p.add_argument("--camera", metavar="SOURCE", help="image, video file or camera index (0, 1...)")
    p.add_argument("--frames", type=int, default=45, help="frames to analyse from a video or camera (default 45)")
    p.add_argument("--microphone", action="store_true", help="check the microphone (speak when asked)")
    p.add_argument("--device", help="microphone device name or index (default: the system default)")
    p.add_argument("--network", metavar="URL", nargs="?", const="",
                   help="exam server address, e.g. https://exam.example.org (default: the configured server)")
    p.add_argument("--system", action="store_true", help="check the computer (OS, disk, displays, programs...)")
    p.add_argument("--policy", metavar="FILE", help="JSON policy (as in server-info 'policy') for --system")
    p.add_argument("--list-devices", action="store_true", help="list cameras and microphones")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--save", action="store_true", help="also keep the report in the data folder")
    p.add_argument("--data-dir", help="data folder (default: the per-user ExamDesk folder)")
    p.add_argument("--wizard", action="store_true", help="open the wizard (default when no check is named)")
    return p


def _load_policy(path: Optional[str]) -> Dict[str, Any]:
    if not path:
        return merged_policy(None)
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as exc:
        raise _InputError("无法读取策略文件 %s：%s" % (path, exc), "Cannot read the policy file %s: %s" % (path, exc)) from exc
    if not isinstance(data, dict):
        raise _InputError("策略文件必须是 JSON 对象：%s" % path, "The policy file must hold a JSON object: %s" % path)
    return merged_policy(data.get("policy", data) if isinstance(data.get("policy"), dict) else data)


class _InputError(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def list_devices() -> Dict[str, Any]:
    from client.monitor.camera_devices import list_cameras
    from client.monitor.mic_check import list_input_devices

    cams = [{"index": c.index, "name": c.name, "path": c.path, "virtual": c.virtual} for c in list_cameras()]
    return {"cameras": cams, "microphones": list_input_devices()}


def run_checks(args: argparse.Namespace, policy: Dict[str, Any]) -> List[CheckResult]:
    results: List[CheckResult] = []
    if args.camera is not None:
        from client.monitor.camera_check import run_camera_check
        from client.monitor.camera_source import source_for

        results += run_camera_check(source_for(args.camera), max_frames=max(1, args.frames),
                                    window=max(1, args.frames))
    if args.microphone:
        from client.monitor.audio_analysis import SENTENCE_EN, SENTENCE_ZH
        from client.monitor.mic_check import run_microphone_check

        def on_phase(phase: str) -> None:
            if phase == "floor":
                sys.stderr.write("请保持安静… / Please stay quiet...\n")
            elif phase == "speech":
                sys.stderr.write("请大声朗读 / Please read aloud:\n  %s\n  %s\n" % (SENTENCE_ZH, SENTENCE_EN))

        device: Any = int(args.device) if args.device and args.device.isdigit() else args.device
        results += run_microphone_check(device=device, on_phase=on_phase)
    if args.network is not None:
        from client.config import configured_server_url
        from client.monitor.network_check import run_network_check

        url = args.network or configured_server_url(args.data_dir)
        if url:
            results += run_network_check(url)
        else:
            results.append(not_configured())
    if args.system:
        from client.monitor.system_check import run_system_check

        results += run_system_check(policy, data_dir=Path(args.data_dir) if args.data_dir else None)
    return results


def not_configured() -> CheckResult:
    return skipped("network.server", "未检测网络：本机没有配置考试服务器地址。请使用 --network 网址，或在数据文件夹的 "
                   "examdesk.json 中设置 server_url（网址见准考证或考点通知）。",
                   "Network not checked: no exam server is configured on this computer. Give --network URL, or "
                   "set server_url in examdesk.json in the data folder (the address is on your admission notice).")


def _print_text(report: Dict[str, Any]) -> None:
    for c in report["checks"]:
        print("[%s] %s  %s / %s" % (_LABEL[c["status"]], c["id"], c["message_zh"], c["message_en"]))
        if c["status"] != "pass" and (c.get("fix_zh") or c.get("fix_en")):
            print("        → %s / %s" % (c.get("fix_zh", ""), c.get("fix_en", "")))
    s = report["summary"]
    print("结果 / Result: %s  (通过 pass %d, 未测 skip %d, 注意 warn %d, 失败 fail %d)" % (
        _LABEL[report["overall"]], s["pass"], s["skip"], s["warn"], s["fail"]))


def _emit(obj: Dict[str, Any], as_json: bool) -> None:
    if as_json:
        data = json.dumps(obj, ensure_ascii=False, indent=None) + "\n"
        buf = getattr(sys.stdout, "buffer", None)
        if buf is not None:  # UTF-8 regardless of the console's code page
            buf.write(data.encode("utf-8"))
            buf.flush()
        else:
            sys.stdout.write(data)
    else:
        _print_text(obj)


def _open_wizard(args: argparse.Namespace, policy: Dict[str, Any]) -> int:
    try:
        from client.ui.selfcheck.standalone import run_standalone
    except ImportError as exc:
        sys.stderr.write("无法打开自检窗口（缺少 Qt）：%s\nCannot open the self-check window (Qt missing): %s\n" % (exc, exc))
        return 2
    return run_standalone(camera=args.camera, server_url=args.network or None, policy=policy,
                          data_dir=Path(args.data_dir) if args.data_dir else None)


def main(argv: Optional[List[str]] = None) -> int:
    logging.basicConfig(level=os.environ.get("EXAMDESK_LOG_LEVEL", "WARNING").upper(), stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        policy = _load_policy(args.policy)
    except _InputError as exc:
        sys.stderr.write("%s\n%s\n" % (exc.zh, exc.en))
        return 2
    if args.list_devices:
        devices = list_devices()
        if args.json:
            _emit(devices, True)
        else:
            for c in devices["cameras"]:
                print("camera %d: %s%s" % (c["index"], c["name"], "  (虚拟 virtual)" if c["virtual"] else ""))
            for m in devices["microphones"]:
                print("microphone %d: %s%s" % (m["index"], m["name"], "  (默认 default)" if m["default"] else ""))
        return 0
    named = args.camera is not None or args.microphone or args.network is not None or args.system
    if args.wizard or not named:
        return _open_wizard(args, policy)
    results = run_checks(args, policy)
    report = build_report(results)
    if args.save:
        report["saved_to"] = str(save_report(report, Path(args.data_dir) if args.data_dir else None))
    _emit(report, args.json)
    return 1 if report["overall"] == FAIL else 0
