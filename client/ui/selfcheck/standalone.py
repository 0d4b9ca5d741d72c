"""`examdesk check` without arguments: the wizard in its own window, no login needed."""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

log = logging.getLogger(__name__)


def build_standalone(camera: Optional[str] = None, server_url: Optional[str] = None,
                     policy: Optional[Dict[str, Any]] = None, data_dir: Optional[Path] = None) -> Tuple[Any, Any, Dict]:
    """(window, wizard, outcome): outcome['overall'] is set when the candidate finishes."""
    from client.qt import QApplication, QMainWindow
    from client.ui.selfcheck.wizard import SelfCheckWizard

    existing = QApplication.instance()
    if existing is not None and not isinstance(existing, QApplication):  # widgets need a QApplication
        raise RuntimeError("the self-check window needs a QApplication, found %r" % (existing,))
    app = existing or QApplication(sys.argv[:1])
    try:
        from client.ui import language, theme

        theme.apply(app)
        language.install(language.DEFAULT_LANGUAGE, app)
    except Exception:  # noqa: BLE001 - looks and translations are optional for the check itself
        log.warning("theme/translations unavailable for the self-check window", exc_info=True)
    if server_url is None:
        try:
            from client.config import configured_server_url

            # the same server as the exam's configuration; "" makes the network page say none is set
            server_url = configured_server_url(str(data_dir) if data_dir else None)
        except Exception:  # noqa: BLE001 - a broken config file is logged by load_config itself
            log.warning("no server address from the configuration", exc_info=True)
            server_url = ""
    window = QMainWindow()
    window.setObjectName("selfcheck_window")
    wizard = SelfCheckWizard(window, None, policy, camera=camera, server_url=server_url, data_dir=data_dir)
    window.setWindowTitle(wizard.tr("ExamDesk equipment self-check"))
    window.setCentralWidget(wizard)
    outcome: Dict[str, Any] = {"overall": None, "report": None}

    def done(report: Dict[str, Any]) -> None:
        outcome["overall"], outcome["report"] = report.get("overall"), report
        print("自检报告 / self-check report: %s (%s)" % (report.get("saved_to"), report.get("overall")))
        window.close()

    wizard.finished.connect(done)
    window.resize(960, 760)
    return window, wizard, outcome


def run_standalone(camera: Optional[str] = None, server_url: Optional[str] = None,
                   policy: Optional[Dict[str, Any]] = None, data_dir: Optional[Path] = None) -> int:
    from client.qt import QApplication

    window, wizard, outcome = build_standalone(camera, server_url, policy, data_dir)
    app = QApplication.instance()
    if app is None:  # build_standalone() made one
        raise RuntimeError("no QApplication to run the self-check window")
    window.show()
    runner = getattr(app, "exec", None) or app.exec_  # returns when the window closes (finished or closed)
    runner()
    wizard.stop_all()
    return 1 if outcome["overall"] == "fail" else 0
