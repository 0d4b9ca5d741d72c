"""Composition root: configuration → exam engine → proctoring session (camera, microphone, monitor, evidence,
watchers) → UI.
The parts are built here and handed in; none reaches into another. `examdesk --help` lists every option."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Sequence

if TYPE_CHECKING:
    from client.config import ClientConfig
    from client.exam.api import ExamEngine
    from client.exam.service import ExamService
    from client.monitor.capture import FrameFeed
    from client.proctoring.api import ProctoringView, Watcher
    from client.proctoring.lockdown import LockdownControl
    from client.proctoring.session import ProctoringSession
    from client.ui.main_window import ExamDeskWindow

log = logging.getLogger("examdesk")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="examdesk",
        description="ExamDesk 考试客户端 / exam client for the Customer Contact Consultant certification. "
                    "Settings come from defaults < examdesk.json/.ini in the data folder < EXAMDESK_* environment "
                    "variables < these options. `examdesk check` runs the equipment self-check.")
    p.add_argument("--server-url", help="exam server address, e.g. https://exam.example.cn (EXAMDESK_SERVER_URL)")
    p.add_argument("--data-dir", help="folder for the answer journal, paper and logs (EXAMDESK_DATA_DIR)")
    p.add_argument("--language", choices=["zh_CN", "en"], help="interface language; default zh_CN (EXAMDESK_LANGUAGE)")
    p.add_argument("--demo", action="store_const", const=True, default=None,
                   help="demo mode: shows demo credentials and the demo camera label (EXAMDESK_DEMO)")
    p.add_argument("--upload-bandwidth-bps", type=int,
                   help="cap for evidence/document uploads in bytes per second, 0 = none (answers are never capped)")
    p.add_argument("--camera", default=None,
                   help="camera for the self-check, the header thumbnail and the on-device monitor: a device number (0), "
                        "a video or an image file (EXAMDESK_CAMERA)")
    p.add_argument("--microphone", default=None,
                   help='exam-time microphone: a device name or number, "none" for none; default: the system default '
                        "input (EXAMDESK_MICROPHONE)")
    p.add_argument("--camera-label", default="", help="label shown on the thumbnail, e.g. 演示摄像头 / demo camera")
    p.add_argument("--windowed", action="store_true",
                   help="do not go full screen nor lock the PC down for the exam (testing only)")
    p.add_argument("--demo-hint", default="", help=argparse.SUPPRESS)
    p.add_argument("--quit-after", type=float, default=0.0, help=argparse.SUPPRESS)  # smoke tests
    return p


def setup_logging(data_dir: str) -> None:
    level = os.environ.get("EXAMDESK_LOG_LEVEL", "INFO").upper()
    handlers: List[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    try:
        os.makedirs(os.path.join(data_dir, "logs"), exist_ok=True)
        handlers.append(logging.FileHandler(os.path.join(data_dir, "logs", "client.log"), encoding="utf-8"))
    except OSError:
        pass
    logging.basicConfig(level=getattr(logging, level, logging.INFO), handlers=handlers,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def make_app(argv: Optional[List[str]] = None) -> Any:
    from client.qt import QT_MAJOR, QApplication, Qt

    if QApplication.instance() is None and QT_MAJOR < 6:
        # Qt 5 (the Windows 7 build) scales for high-DPI screens only when asked, before the app exists
        # (Qt 5 spellings: the PySide6 stubs mypy reads do not declare these unscoped names)
        QApplication.setAttribute(Qt.AA_EnableHighDpiScaling, True)  # type: ignore[attr-defined]
        QApplication.setAttribute(Qt.AA_UseHighDpiPixmaps, True)  # type: ignore[attr-defined]
    app = QApplication.instance() or QApplication(list(argv or ["examdesk"]))
    app.setApplicationName("ExamDesk")
    app.setOrganizationName("ExamDesk")
    return app


def build_window(config: ClientConfig, engine: ExamEngine, demo_hint: str = "", full_screen: bool = True,
                 camera: Optional[FrameFeed] = None, camera_label: str = "",
                 proctoring: Optional[ProctoringView] = None,
                 lockdown: Optional[LockdownControl] = None) -> ExamDeskWindow:
    from client.ui import language, theme
    from client.ui.main_window import ExamDeskWindow

    app = make_app()
    theme.apply(app)
    language.install(config.language)
    return ExamDeskWindow(engine, config, demo_hint=demo_hint, full_screen=full_screen, camera=camera,
                          camera_label=camera_label, proctoring=proctoring, lockdown=lockdown)


def build_proctoring(engine: ExamService, camera_spec: str, data_dir: str = "", lock_down: bool = False,
                     display_count: Optional[Callable[[], Optional[int]]] = None, microphone: Optional[str] = None,
                     evidence_dir: Optional[str] = None, watchers: Sequence[Watcher] = ()) -> ProctoringSession:
    """The exam-time camera (a device number or a recorded video, the same setting as the self-check),
    the microphone ("none", a device, or "" for the default input when PortAudio is there; None: none),
    the on-device monitor and its sealed evidence (in `evidence_dir`, by default data_dir/evidence), and
    the watchers handed in, owned by a ProctoringSession that opens them when the exam starts and closes
    them at sealing: never before the candidate consented, never while the self-check holds the camera.
    With `lock_down`, also the exam's lockdown; first, whatever a lockdown that never ended (a crash, a
    kill) left changed is put back, and reported once there is a sitting."""
    from client.monitor.camera_source import source_for
    from client.monitor.capture import CameraCapture
    from client.monitor.mic_check import AudioInput, SoundDeviceInput
    from client.proctoring.lockdown import ExamLockdown
    from client.proctoring.session import ProctoringSession

    lockdown: Optional[ExamLockdown] = None
    if data_dir:
        from client.lockdown.session import LockdownSession

        recovery = LockdownSession.recover_after_crash(data_dir)
        if lock_down:
            lockdown = ExamLockdown(engine, lambda policy, sink: LockdownSession(
                data_dir, policy, sink, display_probe=display_count), recovery)
        elif recovery is not None:
            log.warning("an earlier lockdown was reverted; not reported (lockdown is off in this run)")

    spec = camera_spec or "0"   # "" = the default camera

    present: Optional[Callable[[], bool]] = None
    if spec.isdigit() and (sys.platform == "win32" or sys.platform.startswith("linux")):
        from client.monitor.camera_devices import list_cameras

        # listed without opening: a camera that will not open but is listed is held by another program
        present = lambda: any(c.index == int(spec) for c in list_cameras(allow_probe=False))  # noqa: E731

    def capture(on_status: Callable[[str, str], None]) -> CameraCapture:
        return CameraCapture(lambda: source_for(spec, pace=True, loop=True), fps=15.0, on_status=on_status,
                             present=present)

    mic_factory: Optional[Callable[[], AudioInput]] = None
    if microphone is not None and microphone.lower() != "none":
        device: Any = int(microphone) if microphone.isdigit() else (microphone or None)
        mic_factory = lambda: SoundDeviceInput(device)  # noqa: E731 - opened anew after each loss
    if evidence_dir is None and data_dir:
        evidence_dir = os.path.join(data_dir, "evidence")
    return ProctoringSession(engine, capture, mic_factory, evidence_dir, watchers, lockdown=lockdown)


def main(argv: Optional[List[str]] = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(args_list)
    from client.config import load_config
    from client.exam.service import ExamService

    config = load_config(args_list)
    setup_logging(config.data_dir)
    app = make_app(sys.argv[:1])
    try:
        engine = ExamService(config)
    except Exception as e:  # noqa: BLE001 - a clear message instead of a traceback
        log.exception("engine failed to start")
        from client.qt import QMessageBox

        QMessageBox.critical(None, "ExamDesk", "考试客户端无法启动：%s\nExamDesk could not start: %s" % (e, e))
        return 1
    from client.ui.kiosk_window import ScreenCount

    proctoring = build_proctoring(engine, config.camera, config.data_dir, lock_down=not args.windowed,
                                  display_count=ScreenCount(), microphone=config.microphone).attach()
    window = build_window(config, engine, args.demo_hint, full_screen=not args.windowed, camera=proctoring,
                          camera_label=args.camera_label, proctoring=proctoring, lockdown=proctoring.lockdown)
    window.resize(1280, 800)
    window.show()
    window.start()
    if args.quit_after > 0:
        from client.qt import QTimer

        def smoke_test_done() -> None:
            page = window.stack.currentWidget()
            log.info("smoke test: screen %s", page.objectName() if page is not None else "-")
            app.quit()

        QTimer.singleShot(int(args.quit_after * 1000), smoke_test_done)
    rc = int(app.exec_())
    proctoring.stop()
    engine.close()
    return rc
