"""Composition root: configuration → exam engine → (camera thumbnail) → UI. `examdesk --help` lists every option."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any, List, Optional

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
    p.add_argument("--camera-label", default="", help="label shown on the thumbnail, e.g. 演示摄像头 / demo camera")
    p.add_argument("--windowed", action="store_true", help="do not go full screen for the exam (testing only)")
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


def build_window(config: Any, engine: Any, demo_hint: str = "", full_screen: bool = True,
                 camera: Optional[str] = None, camera_label: str = "") -> Any:
    from client.ui import language, theme
    from client.ui.main_window import ExamDeskWindow

    app = make_app()
    theme.apply(app)
    language.install(getattr(config, "language", "zh_CN"))
    window = ExamDeskWindow(engine, config, demo_hint=demo_hint, full_screen=full_screen)
    if camera is not None:
        attach_camera(window, camera, camera_label)
    return window


def attach_camera(window: Any, spec: str, label: str = "") -> None:
    """The header thumbnail and the on-device monitor, from a camera or a recorded video (the monitor's
    FrameSource). Opened when the exam starts, closed when it is sealed: never before the candidate consented,
    and never while the self-check wizard holds the device."""
    try:
        from client.monitor.camera_source import source_for
        from client.ui.camera_feed import CameraFeed
    except Exception as e:  # noqa: BLE001 - no thumbnail, the exam goes on
        log.warning("camera thumbnail unavailable: %r", e)
        return
    if label:
        window.exam.header.camera.setText(label)

    def start() -> None:
        if getattr(window, "camera_feed", None) is not None:
            return
        monitor = start_exam_monitor(window.engine)
        feed = CameraFeed(source_for(spec, pace=True, loop=True), fps=5.0, parent=window,
                          raw_sink=monitor.offer if monitor is not None else None)
        feed.frame.connect(lambda image: window.exam.header.set_camera_frame(image, label))
        window.camera_feed, window.exam_monitor = feed, monitor
        feed.start()

    def stop() -> None:
        feed, monitor = getattr(window, "camera_feed", None), getattr(window, "exam_monitor", None)
        window.camera_feed = window.exam_monitor = None
        if feed is not None:
            feed.stop()
        if monitor is not None:
            monitor.stop()
    window.camera_starter, window.camera_stopper = start, stop


def start_exam_monitor(engine: Any) -> Any:
    """On-device analysis of the camera during the exam (promise 5): presence events go to the journal."""
    try:
        from client.exam import api
        from client.monitor.exam_monitor import ExamCameraMonitor
    except Exception as e:  # noqa: BLE001
        log.warning("exam camera monitor unavailable: %r", e)
        return None

    def report(event: Any) -> None:
        if engine.state() != api.IN_EXAM:
            return  # before the start and after the seal nothing is reported
        try:
            detail = dict(event.detail or {}, state=event.state)
            engine.report_event("camera." + event.type, event.severity, detail)
        except Exception as e:  # noqa: BLE001 - monitoring never stops the exam
            log.warning("camera event not recorded: %r", e)
    return ExamCameraMonitor(report).start()


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
    window = build_window(config, engine, args.demo_hint, full_screen=not args.windowed, camera=config.camera or None,
                          camera_label=args.camera_label)
    window.resize(1280, 800)
    window.show()
    window.start()
    if args.quit_after > 0:
        from client.qt import QTimer

        def smoke_test_done() -> None:
            log.info("smoke test: screen %s", window.stack.currentWidget().objectName())
            app.quit()

        QTimer.singleShot(int(args.quit_after * 1000), smoke_test_done)
    rc = int(app.exec_())
    if window.camera_stopper is not None:
        window.camera_stopper()
    engine.close()
    return rc
