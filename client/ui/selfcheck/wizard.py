"""SelfCheckWizard: camera → (phone) → microphone → network → computer → summary, without logging in.

Embedded before the exam by the UI (`finished(dict)` carries the JSON report; the UI hands it to
`ExamEngine.record_check_report`), or standalone via `examdesk check`. The camera is opened only
while its page is shown, and released when the wizard is hidden, so the exam can open it next.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional

from client.exam.api import PhoneLink
from client.monitor.results import CheckResult, bad, build_report, merge_results, merged_policy, save_report
from client.qt import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget, Signal
from client.ui.selfcheck.camera_page import CameraPage
from client.ui.selfcheck.pages import CheckPage, MicrophonePage, NetworkPage, SystemPage
from client.ui.selfcheck.phone_page import PhonePage
from client.ui.selfcheck.summary import AREAS, SummaryPage

log = logging.getLogger(__name__)


def _default_source_factory(spec: Any) -> Any:
    from client.monitor.camera_source import source_for

    return source_for(spec, pace=True, loop=True)


def not_run(area: str) -> CheckResult:
    return bad("%s.not_run" % area, "fail", None, "这项检测没有完成。", "This check was not completed.",
               "请返回完成这项检测。", "Go back and complete this check.")


class SelfCheckWizard(QWidget):
    finished = Signal(dict)

    def __init__(self, parent: Optional[QWidget] = None, config: Any = None, policy: Any = None, *,
                 camera: Any = None, source_factory: Optional[Callable[[Any], Any]] = None,
                 audio_factory: Optional[Callable[[], Any]] = None, server_url: Optional[str] = None,
                 display_count: Optional[Callable[[], Optional[int]]] = None, data_dir: Any = None,
                 mic_floor_s: float = 2.0, mic_speech_s: float = 6.0, camera_window: int = 15,
                 phone: Optional[PhoneLink] = None) -> None:
        """`phone`: a PhoneLink (the logged-in engine) adds the second-camera step after the camera."""
        super().__init__(parent)
        from client.ui.selfcheck.translation import sync_translator

        sync_translator()  # before any self.tr() below
        self.setObjectName("selfcheck_wizard")
        self.config = config
        raw_policy = policy if policy is not None else getattr(config, "policy", None)
        if raw_policy is not None and not isinstance(raw_policy, Mapping):
            log.warning("self-check: ignoring a policy that is not a mapping: %r", type(raw_policy))
            raw_policy = None
        self.policy = merged_policy(dict(raw_policy or {}))
        self.data_dir = Path(data_dir or getattr(config, "data_dir", "") or "") if (
            data_dir or getattr(config, "data_dir", "")) else None
        if camera is None:  # the app's --camera (e.g. the demo's recorded video), else the devices
            camera = getattr(config, "camera", None) or os.environ.get("EXAMDESK_CAMERA") or None
        url = server_url if server_url is not None else str(getattr(config, "server_url", "") or "")
        self.results: Dict[str, List[CheckResult]] = {}
        self.report: Optional[Dict[str, Any]] = None
        self._back_to_summary = False

        box = QVBoxLayout(self)
        self.step = QLabel("")
        self.step.setObjectName("selfcheck_step")
        box.addWidget(self.step)
        self.stack = QStackedWidget()
        self.stack.setObjectName("selfcheck_pages")
        box.addWidget(self.stack, 1)
        self.camera_page = CameraPage(source_factory or _default_source_factory, camera, window=camera_window)
        self.mic_page = MicrophonePage(audio_factory, mic_floor_s, mic_speech_s)
        self.network_page = NetworkPage(url)
        self.system_page = SystemPage(self.policy, self.data_dir, display_count)
        self.summary_page = SummaryPage(areas=tuple(AREAS) + (("phone",) if phone is not None else ()))
        self.pages: Dict[str, CheckPage] = {"camera": self.camera_page, "microphone": self.mic_page,
                                            "network": self.network_page, "system": self.system_page}
        self.areas: List[str] = list(AREAS)
        self.phone_page: Optional[PhonePage] = None
        if phone is not None:
            self.phone_page = self.pages["phone"] = PhonePage(phone)
            self.areas.insert(1, "phone")
        for area in self.areas:
            self.stack.addWidget(self.pages[area])
            self.pages[area].completed.connect(lambda res, a=area: self._on_completed(a, res))
        self.stack.addWidget(self.summary_page)
        self.summary_page.rerunRequested.connect(self.rerun)
        self.summary_page.finishRequested.connect(self.finish)
        self.camera_page.accept.clicked.connect(lambda: self._advance_from("camera"))  # after the page took it
        if self.phone_page is not None:
            self.phone_page.accept.clicked.connect(lambda: self._advance_from("phone"))

        nav = QHBoxLayout()
        self.back_button = QPushButton(self.tr("Back"))
        self.back_button.setObjectName("selfcheck_back")
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton(self.tr("Next"))
        self.next_button.setObjectName("selfcheck_next")
        self.next_button.clicked.connect(self.next)
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        box.addLayout(nav)
        self._shown = False
        self._update_nav()

    # -- navigation ----------------------------------------------------------------------------
    def current_area(self) -> str:
        w = self.stack.currentWidget()
        for area, page in self.pages.items():
            if page is w:
                return area
        return "summary"

    def go(self, area: str) -> None:
        old = self.current_area()
        if old in self.pages and old != area:
            self.pages[old].stop()
        self.stack.setCurrentWidget(self.summary_page if area == "summary" else self.pages[area])
        self._update_nav()
        if area == "summary":
            self.summary_page.show_results(self.all_results())
            self.summary_page.finish_button.setFocus()
        elif area == "microphone":  # the microphone waits for the candidate's Start
            self.mic_page.start_button.setFocus()
        else:
            self.pages[area].start()
            self.next_button.setFocus()  # Enter moves on; Tab reaches the page's own buttons

    def next(self) -> None:
        area = self.current_area()
        if area == "summary":
            return
        if area == "camera" and self.camera_page.worker is not None and self.camera_page.live:
            self.camera_page.take()  # the live verdict so far is the result
        elif area == "phone" and self.phone_page is not None and self.phone_page.live:
            self.phone_page.take()
        elif area not in self.results:
            self.results[area] = self._not_run(area)
        self._advance_from(area)

    def back(self) -> None:
        area = self.current_area()
        order = list(self.areas) + ["summary"]
        i = order.index(area)
        if i > 0:
            self.go(order[i - 1])

    def rerun(self, area: str) -> None:
        self._back_to_summary = True
        page = self.pages[area]
        self.go(area)
        if area == "camera":
            self.camera_page.restart()
        elif area == "microphone":
            page.start()

    def _advance_from(self, area: str) -> None:
        if self._back_to_summary:
            self._back_to_summary = False
            self.go("summary")
            return
        order = list(self.areas) + ["summary"]
        self.go(order[order.index(area) + 1])

    def _on_completed(self, area: str, results: List[CheckResult]) -> None:
        self.results[area] = list(results)  # pages never move on by themselves: the candidate reads the result
        self._update_nav()

    def _update_nav(self) -> None:
        area = self.current_area()
        order = list(self.areas) + ["summary"]
        i = order.index(area)
        self.step.setText(self.tr("Step %1 of %2").replace("%1", str(i + 1)).replace("%2", str(len(order))))
        self.back_button.setEnabled(i > 0)
        self.next_button.setVisible(area != "summary")

    # -- results -------------------------------------------------------------------------------
    def all_results(self) -> List[CheckResult]:
        """Every area's results; an area never run counts as failed (a report is never 'pass' by omission)."""
        out: List[CheckResult] = []
        for area in self.areas:
            out = merge_results(out, self.results.get(area) or self._not_run(area))
        return out

    def _not_run(self, area: str) -> List[CheckResult]:
        page = self.pages.get(area)
        return page.not_run_results() if isinstance(page, PhonePage) else [not_run(area)]

    def finish(self) -> None:
        self.stop_all()
        report = build_report(self.all_results(), extra={"source": "selfcheck-wizard"})
        try:
            report["saved_to"] = str(save_report(report, self.data_dir))
        except OSError as exc:  # the report still goes to the engine; the disk problem is logged
            log.error("could not save the self-check report: %s", exc)
            report["saved_to"] = None
        self.report = report
        self.finished.emit(report)

    # -- lifecycle: the camera only while it is needed -----------------------------------------
    def stop_all(self) -> None:
        for page in self.pages.values():
            page.stop()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.current_area() == "camera" and not self.camera_page.results:
            self.camera_page.start()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self.camera_page.stop()
        if self.phone_page is not None:
            self.phone_page.stop()
        super().hideEvent(event)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self.stop_all()
        super().closeEvent(event)
