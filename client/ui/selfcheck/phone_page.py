"""The self-check's second-camera step: a one-time QR code for the phone with the placement guide, the phone's
live picture shown large, and the step's verdict, live (client.monitor.phone_check). It passes when frames
arrive steadily, are neither black nor frozen and show a person. Only in the embedded wizard (a logged-in
sitting): pairing belongs to a sitting. The policy's `phone.required` decides whether skipping fails or
only warns."""
from __future__ import annotations

import logging
from typing import Any, List, Optional, Tuple

from client.exam.api import PhoneLink
from client.monitor.results import CheckResult, bad, worst
from client.qt import QHBoxLayout, QVBoxLayout, QWidget
from client.ui.phone.feed import PhoneFeed
from client.ui.phone.live_view import PhoneLiveView, PlacementGuide
from client.ui.phone.pairing import PhonePairingPanel
from client.ui.selfcheck.step import CheckPage
from client.ui.selfcheck.verdict import text_of

log = logging.getLogger(__name__)
HINT_ORDER = ("phone.link", "phone.picture", "phone.frozen", "phone.person", "phone.orientation", "phone.frames",
              "phone.camera", "phone.screen_on", "phone.battery")


class PhonePage(CheckPage):
    area = "phone"
    KEY_CHECKS = ("phone.link", "phone.person", "phone.orientation", "phone.camera")

    def __init__(self, link: PhoneLink, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.link = link
        self.required = bool((link.policy().get("phone") or {}).get("required", False))
        self.set_texts(self.tr("Second camera (phone)"), self.tr(
            "Put your phone behind you, to one side at about 45°, at least 1.5 m away, sideways on a stand and "
            "charging. It must show you, the desk and the screen. The phone page uses the rear camera only, "
            "never the microphone."))
        body = QHBoxLayout()
        body.setSpacing(18)
        side = QVBoxLayout()
        self.panel = PhonePairingPanel(link)
        side.addWidget(self.panel, 3)
        self.guide = PlacementGuide()
        side.addWidget(self.guide, 2)
        body.addLayout(side, 2)
        self.view = PhoneLiveView()
        self.view.setObjectName("selfcheck_phonePreview")
        self.view.set_message(self.tr("Scan the code with your phone: its picture appears here."))
        middle = QVBoxLayout()
        middle.addWidget(self.view, 1)
        middle.addStretch(0)
        body.addLayout(middle, 4)
        body.addLayout(self.result_column(), 3)
        self.box.addLayout(body, 1)
        self.live: List[CheckResult] = []
        self.ready = False     # enough frames analysed: the verdict may be taken
        self.feed: Optional[PhoneFeed] = None

    # -- lifecycle (the wizard starts the page when shown, stops it when leaving) -----------------------
    def start(self) -> None:
        if self.feed is not None:
            return
        self.ready = False
        self.results = []
        self.show_busy(self.tr("Waiting for the phone: scan the code with it."))
        self.feed = PhoneFeed(self.link, parent=self)
        self.feed.frame.connect(self._on_frame)
        self.feed.status.connect(self.panel.on_status)
        self.feed.verdicts.connect(self._on_verdicts)
        self.feed.start()
        if self.panel.pairing is None or self.panel.remaining_s() <= 0:
            self.panel.request()

    def stop(self) -> None:
        if self.feed is not None:
            feed, self.feed = self.feed, None
            feed.stop()
        self.panel.stop()

    def restart(self) -> None:
        self.stop()
        self.live = []
        self.view.clear()
        self.start()

    def take(self) -> None:
        """The live verdict as it stands is the step's result."""
        results = list(self.live) or self.not_run_results()
        self.stop()
        self.finish(results)

    def not_run_results(self) -> List[CheckResult]:
        """Skipped: a failure when the exam requires the phone, else a warning."""
        return [bad("phone.not_run", "fail" if self.required else "warn", None, "没有连接手机，这一步未检测。",
                    "No phone was connected: this step was not checked.",
                    "请返回扫描二维码，连接手机后完成这项检测。" if self.required else
                    "本场考试建议使用手机作为第二机位：请返回扫描二维码完成检测。",
                    "Go back, scan the code with the phone and complete this check." if self.required else
                    "This exam recommends a phone as the second camera: go back and scan the code.")]

    # -- the bar: one main action; skipping is the plainer one until the phone's picture is in ---------
    def primary(self) -> Tuple[str, bool]:
        if self.feed is not None and not self.ready:
            return self.tr("Waiting for the phone…"), False
        return self.tr("Next"), True

    def on_primary(self) -> bool:
        if self.feed is not None:
            self.take()
        return True

    def secondary(self) -> Tuple[str, bool]:
        if self.feed is not None and not self.ready and not self.results:
            return self.tr("Skip this step"), True
        return self.tr("Check again"), True

    def on_secondary(self) -> bool:
        if self.feed is not None and not self.ready and not self.results:
            self.stop()
            self.finish(self.not_run_results())
            return True      # skipped: recorded as not run (a warning, or a failure when the phone is required)
        self.restart()
        return False

    # -- updates from the feed ------------------------------------------------------------------------
    def _on_frame(self, image: Any) -> None:
        self.view.set_frame(image)

    def _on_verdicts(self, results: List[CheckResult]) -> None:
        if self.feed is None:
            return
        self.live = list(results)
        self.view.set_verdict(worst(r.status for r in self.live) if self.live else "warn")
        self.view.set_message(self.hint())
        check = self.feed.check
        was_ready = self.ready
        self.ready = bool(check is not None and check.ready())
        if self.ready:
            self.show_results(self.live)     # live: follows the candidate moving the phone into place
        if self.ready != was_ready:
            self.actionsChanged.emit()

    def hint(self) -> str:
        """The most important thing to fix now, written on the picture where the candidate looks."""
        by_id = {r.id: r for r in self.live}
        for id_ in HINT_ORDER:
            r = by_id.get(id_)
            if r is not None and r.status in ("warn", "fail"):
                return text_of(r.fix_zh, r.fix_en) or text_of(r.message_zh, r.message_en)
        if by_id:
            return text_of("画面良好：请保持手机不动。", "The picture is good: leave the phone where it is.")
        return ""
