"""SelfCheckWizard: camera → (phone) → microphone → network → computer → summary.

Embedded before the exam by the UI (`finished(dict)` carries the JSON report; the UI hands it to
`ExamEngine.record_check_report`), or standalone via `examdesk check`. The camera is opened only
while its page is shown, and released when the wizard is hidden, so the exam can open it next.

The steps are a list of factories (default_steps()): each builds one CheckPage subclass from the
wizard's StepContext. A new step (a second camera, say) is a new CheckPage subclass with its own
`area`, its names in names.py, and its factory inserted into that list (or passed as `steps=`); the
stepper, the bar, the summary and the report follow the list. The second camera (phone) is such a
step: given a PhoneLink (the logged-in engine: pairing belongs to a sitting) it comes after the camera.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional

from client.exam.api import PhoneLink
from client.monitor.results import (
    CheckResult,
    build_report,
    merge_results,
    merged_policy,
    save_report,
    worst,
)
from client.qt import QApplication, QFrame, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget, Signal
from client.ui import theme
from client.ui.common import button, primary_button
from client.ui.selfcheck.camera_page import CameraPage
from client.ui.selfcheck.mic_page import MicrophonePage
from client.ui.selfcheck.names import AREA_NAMES, ICON
from client.ui.selfcheck.pages import NetworkPage, SystemPage
from client.ui.selfcheck.phone_page import PhonePage
from client.ui.selfcheck.step import CheckPage, not_run
from client.ui.selfcheck.summary import SummaryPage
from client.ui.selfcheck.verdict import COLOUR, text_of  # noqa: F401 - text_of re-exported

log = logging.getLogger(__name__)


def _default_source_factory(spec: Any) -> Any:
    from client.monitor.camera_source import source_for

    return source_for(spec, pace=True, loop=True)


@dataclass
class StepContext:
    """What the steps are built from (the wizard's arguments)."""
    policy: Dict[str, Any]
    data_dir: Optional[Path]
    camera: Any
    camera_label: str
    source_factory: Callable[[Any], Any]
    audio_factory: Optional[Callable[[], Any]]
    audio_label: str
    server_url: str
    display_count: Optional[Callable[[], Optional[int]]]
    mic_floor_s: float
    mic_speech_s: float
    camera_window: int
    phone: Optional[PhoneLink] = None


StepFactory = Callable[[StepContext], CheckPage]


def default_steps(phone: bool = False) -> List[StepFactory]:
    """The steps in order; `phone`: with the second-camera step (it needs StepContext.phone)."""
    steps: List[StepFactory] = [
        lambda c: CameraPage(c.source_factory, c.camera, window=c.camera_window, label=c.camera_label),
        lambda c: MicrophonePage(c.audio_factory, c.mic_floor_s, c.mic_speech_s, audio_label=c.audio_label),
        lambda c: NetworkPage(c.server_url),
        lambda c: SystemPage(c.policy, c.data_dir, c.display_count),
    ]
    if phone:
        steps.insert(1, _phone_step)
    return steps


def _phone_step(c: StepContext) -> CheckPage:
    if c.phone is None:
        raise ValueError("the second-camera step needs a PhoneLink (a logged-in sitting)")
    return PhonePage(c.phone)


class Stepper(QWidget):
    """1 Camera · 2 Microphone · … · 5 Result: where the candidate is, and how each step went."""

    def __init__(self, steps: List[tuple], parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("selfcheck_step")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(18)
        self.labels: Dict[str, QLabel] = {}
        self.names = dict(steps)
        self.order = [key for key, _name in steps]
        for i, (key, name) in enumerate(steps):
            lbl = QLabel("%d  %s" % (i + 1, name))
            lbl.setObjectName("selfcheck_step_%s" % key)
            row.addWidget(lbl)
            self.labels[key] = lbl

    def show_state(self, current: str, statuses: Dict[str, str]) -> None:
        for i, key in enumerate(self.order):
            lbl = self.labels[key]
            status = statuses.get(key)
            mark = ICON[status] if status else str(i + 1)
            lbl.setText("%s  %s" % (mark, self.names[key]))
            if key == current:
                style = "color: %s; font-weight: bold; border-bottom: 3px solid %s; padding-bottom: 2px;" % (
                    theme.ACCENT_DARK, theme.ACCENT_DARK)
            else:
                style = "color: %s; border-bottom: 3px solid transparent; padding-bottom: 2px;" % (
                    COLOUR[status] if status else theme.MUTED)
            lbl.setStyleSheet(style)
        i = self.order.index(current)
        self.setAccessibleName(self.tr("Step %1 of %2: %3").replace("%1", str(i + 1))
                               .replace("%2", str(len(self.order))).replace("%3", self.names[current]))


class SelfCheckWizard(QWidget):
    finished = Signal(dict)

    def __init__(self, parent: Optional[QWidget] = None, config: Any = None, policy: Any = None, *,
                 camera: Any = None, source_factory: Optional[Callable[[Any], Any]] = None,
                 audio_factory: Optional[Callable[[], Any]] = None, server_url: Optional[str] = None,
                 display_count: Optional[Callable[[], Optional[int]]] = None, data_dir: Any = None,
                 mic_floor_s: float = 2.0, mic_speech_s: float = 6.0, camera_window: int = 15,
                 camera_label: str = "", audio_label: str = "", for_exam: bool = False,
                 steps: Optional[List[StepFactory]] = None, phone: Optional[PhoneLink] = None) -> None:
        """`phone`: a PhoneLink (the logged-in engine) adds the second-camera step after the camera."""
        super().__init__(parent)
        from client.ui.selfcheck.translation import sync_translator

        sync_translator()  # before any self.tr() below
        self.setObjectName("selfcheck_wizard")
        self.config = config
        self.for_exam = for_exam
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
        context = StepContext(self.policy, self.data_dir, camera, camera_label,
                              source_factory or _default_source_factory, audio_factory, audio_label, url,
                              display_count, mic_floor_s, mic_speech_s, camera_window, phone)
        self.pages: Dict[str, CheckPage] = {}
        for make in (steps if steps is not None else default_steps(phone=phone is not None)):
            page = make(context)
            self.pages[page.area] = page

        self.setStyleSheet("QWidget#selfcheck_wizard { background: %s; }" % theme.PAPER)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.addStretch(1)
        card = QFrame()
        card.setObjectName("card")
        card.setMaximumWidth(1160)
        outer.addWidget(card, 30)
        outer.addStretch(1)
        box = QVBoxLayout(card)
        box.setContentsMargins(28, 20, 28, 18)
        box.setSpacing(14)
        head = QHBoxLayout()
        self.title = QLabel(self.tr("Equipment self-check"))
        self.title.setObjectName("selfcheck_title")
        theme.scaled(self.title, 1.5, bold=True)
        head.addWidget(self.title)
        head.addStretch(1)
        names = [(area, page.area_name()) for area, page in self.pages.items()]
        self.stepper = Stepper(names + [("summary", self.tr("Result"))])
        self.step = self.stepper
        head.addWidget(self.stepper)
        box.addLayout(head)
        box.addWidget(_rule())
        self.stack = QStackedWidget()
        self.stack.setObjectName("selfcheck_pages")
        box.addWidget(self.stack, 1)
        self.summary_page = SummaryPage(names, for_exam=for_exam)
        for area, page in self.pages.items():
            self.stack.addWidget(page)
            page.completed.connect(lambda res, a=area: self._on_completed(a, res))
            page.actionsChanged.connect(lambda p=page: self._update_bar() if self.stack.currentWidget() is p else None)
        self.stack.addWidget(self.summary_page)
        self.summary_page.rerunRequested.connect(self.rerun)
        self.summary_page.finishRequested.connect(self.finish)
        box.addWidget(_rule())

        bar = QHBoxLayout()
        self.back_button = button(self.tr("Back"), "selfcheck_back")
        self.back_button.clicked.connect(self.back)
        self.secondary_button = button("", "selfcheck_secondary")
        self.secondary_button.clicked.connect(self.secondary)
        self.next_button = primary_button(self.tr("Next"), "selfcheck_next")
        self.next_button.clicked.connect(self.next)
        bar.addWidget(self.back_button)
        bar.addStretch(1)
        bar.addWidget(self.secondary_button)
        bar.addWidget(self.next_button)
        box.addLayout(bar)
        self._update_bar()

    # known steps by name (tests, screenshots; a step that is not there is None)
    @property
    def camera_page(self) -> CameraPage:
        return self.pages["camera"]  # type: ignore[return-value]

    @property
    def phone_page(self) -> Optional[PhonePage]:
        return self.pages.get("phone")  # type: ignore[return-value]

    @property
    def mic_page(self) -> MicrophonePage:
        return self.pages["microphone"]  # type: ignore[return-value]

    @property
    def network_page(self) -> NetworkPage:
        return self.pages["network"]  # type: ignore[return-value]

    @property
    def system_page(self) -> SystemPage:
        return self.pages["system"]  # type: ignore[return-value]

    # -- navigation ----------------------------------------------------------------------------
    def order(self) -> List[str]:
        return list(self.pages) + ["summary"]

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
        if area == "summary":
            self.summary_page.show_results(self.all_results())
        elif self.pages[area].auto_start:
            self.pages[area].start()   # (the microphone waits for the candidate's Start)
        self._update_bar()
        self.next_button.setFocus()   # Enter does the page's main action; Tab reaches the others

    def next(self) -> None:
        area = self.current_area()
        if area == "summary":
            self.finish()
            return
        if self.pages[area].on_primary():
            self._leave(area)
        else:
            self._update_bar()

    def secondary(self) -> None:
        area = self.current_area()
        if area != "summary" and self.pages[area].on_secondary():
            self._leave(area)
        else:
            self._update_bar()

    def _leave(self, area: str) -> None:
        if area not in self.results:
            self.results[area] = self.pages[area].not_run_results()   # left without a result: not run
        self._advance_from(area)

    def back(self) -> None:
        order = self.order()
        i = order.index(self.current_area())
        if i > 0:
            self.go(order[i - 1])

    def rerun(self, area: str) -> None:
        self._back_to_summary = True
        self.go(area)
        page = self.pages[area]
        if isinstance(page, (CameraPage, PhonePage)):
            page.restart()
        elif isinstance(page, MicrophonePage):
            page.start()

    def _advance_from(self, area: str) -> None:
        if self._back_to_summary:
            self._back_to_summary = False
            self.go("summary")
            return
        order = self.order()
        self.go(order[order.index(area) + 1])

    def _on_completed(self, area: str, results: List[CheckResult]) -> None:
        self.results[area] = list(results)  # pages never move on by themselves: the candidate reads the result
        self._update_bar()

    def _update_bar(self) -> None:
        area = self.current_area()
        was_enabled = self.next_button.isEnabled()
        self.stepper.show_state(area, {a: worst(r.status for r in res) for a, res in self.results.items() if res})
        self.back_button.setEnabled(self.order().index(area) > 0)
        if area == "summary":
            text = self.tr("Continue to the waiting room") if self.for_exam else self.tr("Finish")
            self.next_button.setText(text)
            self.next_button.setEnabled(True)
            self.secondary_button.setVisible(False)
        else:
            page = self.pages[area]
            text, enabled = page.primary()
            self.next_button.setText(text)
            self.next_button.setEnabled(enabled)
            second, second_enabled = page.secondary()
            self.secondary_button.setVisible(bool(second))
            self.secondary_button.setText(second)
            self.secondary_button.setAccessibleName(second)
            self.secondary_button.setEnabled(second_enabled)
        self.next_button.setAccessibleName(self.next_button.text())
        if self.next_button.isEnabled() and not was_enabled and self.isVisible():
            focus = QApplication.focusWidget()   # the main action just became possible: Enter does it
            if focus is None or focus in (self.back_button, self.secondary_button) or not focus.isVisible():
                self.next_button.setFocus()

    # -- results -------------------------------------------------------------------------------
    def all_results(self) -> List[CheckResult]:
        """Every step's results; a step never run counts as failed (a report is never 'pass' by omission)."""
        out: List[CheckResult] = []
        for area in self.pages:
            out = merge_results(out, self.results.get(area) or self.pages[area].not_run_results())
        return out

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
        area = self.current_area()
        if area in self.pages and isinstance(self.pages[area], CameraPage) and not self.pages[area].results:
            self.pages[area].start()
            self._update_bar()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self.stop_all()   # the camera and microphone are the exam's once the wizard is gone
        super().hideEvent(event)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self.stop_all()
        super().closeEvent(event)


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setStyleSheet("color: %s; background: %s; max-height: 1px; border: none;" % (theme.LINE, theme.LINE))
    return line


__all__ = ["SelfCheckWizard", "StepContext", "StepFactory", "default_steps", "not_run", "AREA_NAMES", "text_of"]
