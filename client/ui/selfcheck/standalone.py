"""`examdesk check` without arguments: the wizard in its own window, no login needed."""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, Dict, Optional

log = logging.getLogger(__name__)


def run_standalone(camera: Optional[str] = None, server_url: Optional[str] = None,
                   policy: Optional[Dict[str, Any]] = None, data_dir: Optional[Path] = None) -> int:
    from client.qt import QApplication, QMainWindow
    from client.ui.selfcheck.wizard import SelfCheckWizard

    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        from client.ui import language, theme

        theme.apply(app)
        language.install(language.DEFAULT_LANGUAGE, app)
    except Exception:  # noqa: BLE001 - looks and translations are optional for the check itself
        log.warning("theme/translations unavailable for the self-check window", exc_info=True)
    if server_url is None:
        try:
            from client.config import ClientConfig

            server_url = ClientConfig(data_dir=str(data_dir or "-")).server_url
        except Exception:  # noqa: BLE001
            server_url = ""
    window = QMainWindow()
    window.setObjectName("selfcheck_window")
    wizard = SelfCheckWizard(window, None, policy, camera=camera, server_url=server_url, data_dir=data_dir)
    window.setWindowTitle(wizard.tr("ExamDesk equipment self-check"))
    window.setCentralWidget(wizard)
    outcome = {"overall": None}

    def done(report: Dict[str, Any]) -> None:
        outcome["overall"] = report.get("overall")
        print("自检报告 / self-check report: %s (%s)" % (report.get("saved_to"), report.get("overall")))
        window.close()
        app.quit()  # also when other windows are open (embedded in a bigger app, or tests)

    wizard.finished.connect(done)
    window.resize(960, 760)
    window.show()
    runner = getattr(app, "exec", None) or app.exec_
    runner()
    wizard.stop_all()
    return 1 if outcome["overall"] == "fail" else 0
