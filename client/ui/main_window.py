"""The candidate's journey as one window: login → rules and consent → self-check → waiting room → exam →
submit → receipt (and the mock exam, and documents). Routes engine events to the screen that shows them."""
from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, List, Optional

from client.exam import api
from client.exam.api import ExamEngine
from client.monitor.capture import FrameFeed
from client.proctoring.api import ProctoringView
from client.qt import (
    QLabel,
    QMainWindow,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    exec_dialog,
)
from client.ui import language
from client.ui.bridge import EngineBridge, run_in_background
from client.ui.camera_feed import CameraThumbnail, ProctoringNotices
from client.ui.common import Banner, fmt_duration
from client.ui.consent import CONSENT_VERSION, ConsentPage
from client.ui.documents import DocumentsPage
from client.ui.exam_page import ExamPage
from client.ui.finish import MockResultPage, ReceiptPage, SubmitDialog
from client.ui.kiosk_window import QtKioskWindow, apply_kiosk_flags, clear_kiosk_flags
from client.ui.lockdown_dialog import PreflightDialog
from client.ui.login import CLOCK_SKEW_WARN_S, LoginPage, clock_skew_s
from client.ui.phone.status import PhonePairDialog
from client.ui.phone.texts import trouble_message
from client.ui.selfcheck_slot import make_self_check, report_of
from client.ui.waiting import WaitingRoomPage

if TYPE_CHECKING:
    from client.config import ClientConfig
    from client.proctoring.lockdown import LockdownControl

log = logging.getLogger(__name__)


class ExamDeskWindow(QMainWindow):
    lockdownNotice = Signal(str, str)   # (zh, en) from the lockdown's threads

    def __init__(self, engine: ExamEngine, config: Optional[ClientConfig] = None, demo_hint: str = "",
                 full_screen: bool = False, camera: Optional[FrameFeed] = None, camera_label: str = "",
                 proctoring: Optional[ProctoringView] = None,
                 lockdown: Optional[LockdownControl] = None) -> None:
        super().__init__()
        self.setObjectName("examDeskWindow")
        self.engine = engine
        self.config = config
        self.demo_hint = demo_hint
        self.full_screen = full_screen
        self.camera = camera                # the exam-time camera (the proctoring session's), None without one
        self.camera_label = camera_label
        self.thumbnail: Optional[CameraThumbnail] = None
        self.proctoring = proctoring        # what the monitor noticed, and the recording indicator
        self.notices: Optional[ProctoringNotices] = None
        self.phone_dialog: Optional[PhonePairDialog] = None
        self._phone_told = ""              # the phone message last shown, so a heartbeat does not repeat it
        self.lockdown = lockdown            # None: no lockdown (tests, --windowed)
        self.kiosk: Optional[QtKioskWindow] = None
        self.preflight_dialog: Optional[PreflightDialog] = None
        self.bridge = EngineBridge(engine, self)
        self.candidate: Optional[Any] = None
        self.sittings: List[Any] = []
        self.current: Optional[Any] = None       # the SittingInfo being taken
        self.primary: Optional[Any] = None       # the formal sitting (or the mock if there is none)
        self.consented = False
        self.paper: Optional[Any] = None
        self.receipt: Optional[Any] = None
        central = QWidget()
        central.setObjectName("central")
        central.setStyleSheet("QWidget#central { background: #f5f7fa; }")
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        self.banner = Banner("appBanner")
        box.addWidget(self.banner)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        box.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        # during the mock exam: says so at once when the formal exam's time starts running
        self.formal_watch = QTimer(self)
        self.formal_watch.setInterval(2000)
        self.formal_watch.timeout.connect(self.check_formal_during_mock)
        self._formal_alerted = 0.0
        self.build_pages()
        b = self.bridge
        b.syncChanged.connect(self._on_sync)
        b.timeWarning.connect(lambda m: self.exam.show_time_warning(m))
        b.sealed.connect(self.on_sealed)
        b.receiptReady.connect(self.on_receipt)
        b.commandReceived.connect(lambda c: self.exam.on_command(c))
        b.uploadProgress.connect(lambda p: self.documents.on_upload(p))
        b.engineError.connect(lambda e: self.banner.show_message(language.error_text(e), "warn"))
        b.phoneChanged.connect(self.on_phone)
        self.lockdownNotice.connect(self._show_lockdown_notice)
        if lockdown is not None:
            lockdown.set_notice(self.lockdownNotice.emit)   # queued: emitted on the lockdown's threads

    # -- pages -------------------------------------------------------------------------------
    def build_pages(self) -> None:
        """(Re)create every screen: also how a language switch takes effect."""
        while self.stack.count():
            w = self.stack.widget(0)
            if w is None:  # count() > 0, so Qt has a page at index 0
                raise RuntimeError("page 0 missing from a stack of %d" % self.stack.count())
            self.stack.removeWidget(w)
            w.setParent(None)
            w.deleteLater()
        self.setWindowTitle(self.tr("ExamDesk — Customer Contact Consultant exam"))
        url = self.config.server_url if self.config is not None else ""
        self.starting = QLabel(self.tr("Opening ExamDesk…"))
        self.starting.setObjectName("startingPage")
        self.starting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.login = LoginPage(self.engine, url, self.demo_hint)
        self.consent = ConsentPage(self.engine)
        # built after login (install_selfcheck), so that it checks against the server's policy
        self.selfcheck: QWidget = QLabel()
        self.waiting = WaitingRoomPage(self.engine)
        self.exam = ExamPage(self.engine)
        self.receipt_page = ReceiptPage(self.engine)
        self.mock_result = MockResultPage()
        self.documents = DocumentsPage(self.engine)
        for page in (self.starting, self.login, self.consent, self.selfcheck, self.waiting, self.exam, self.receipt_page,
                     self.mock_result, self.documents):
            self.stack.addWidget(page)
        self.login.loggedIn.connect(self.on_logged_in)
        self.login.languageRequested.connect(self.set_language)
        self.consent.accepted.connect(self.on_consented)
        self.waiting.startRequested.connect(self.start_formal)
        self.waiting.mockRequested.connect(self.start_mock)
        self.waiting.documentsRequested.connect(self.show_documents)
        self.exam.submitRequested.connect(self.confirm_submit)
        self.exam.ended.connect(self.on_time_up)
        self.receipt_page.closeRequested.connect(self.close)
        self.receipt_page.documentsRequested.connect(self.show_documents)
        self.mock_result.backRequested.connect(self.back_to_waiting)
        self.documents.backRequested.connect(self.back_from_documents)
        self.exam.header.phone.clicked.connect(self.pair_phone_again)
        self.exam.header.phone.set_status(self.engine.phone_status())

    def _on_sync(self, status: Any) -> None:
        self.exam.on_sync(status)
        self.receipt_page.on_sync(status)

    def show_page(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        # keyboard users start where the screen's work starts (the ticket field, the consent box...)
        getattr(page, "focus_first", page.setFocus)()

    def set_language(self, lang: str) -> None:
        language.install(lang)
        self.build_pages()
        self.show_page(self.login)

    def start(self) -> None:
        """Resume a sitting found on disk, or begin at the login screen. resume() may ask the server for
        its time, so it runs off the GUI thread while a neutral page shows."""
        self.show_page(self.starting)
        run_in_background(self.engine.resume, self._resumed, self._resume_failed)

    def _resume_failed(self, error: BaseException) -> None:
        log.error("resume failed: %r", error)  # a damaged journal must not stop a fresh login
        self.banner.show_message(language.error_text(error), "alert")
        self._resumed(False)

    def _resumed(self, resumed: Any) -> None:
        if not resumed:
            self.show_page(self.login)
            return
        self.candidate = self.engine.candidate()
        state = self.engine.state()
        log.info("resumed a sitting left on disk, in state %s", state)
        if state == api.IN_EXAM:
            self.consented = True
            self._begin_exam()
        elif state in (api.SEALED, api.SUBMITTED):
            self.show_page(self.receipt_page)
            self.receipt_page.set_sealed(self.engine.seal_reason() or "candidate")  # as recorded at sealing
            self._submit()
        else:
            self.show_page(self.login)

    # -- before the exam ---------------------------------------------------------------------
    def on_logged_in(self, candidate: Any) -> None:
        self.candidate = candidate
        skew = clock_skew_s(self.engine)
        if skew is not None and abs(skew) > CLOCK_SKEW_WARN_S:
            self.banner.show_message(self.tr("Your computer's clock is %1 minutes off the exam server's time. "
                                             "The exam counts time by the server, so your countdown is right; "
                                             "please correct the PC clock after the exam.")
                                     .replace("%1", "%.0f" % (abs(skew) / 60.0)), "warn")
        run_in_background(self.engine.sittings, self.on_sittings, self.on_failure)

    def on_sittings(self, sittings: List[Any]) -> None:
        self.sittings = list(sittings)
        open_ = [s for s in self.sittings if s.status not in ("submitted", "ended")]
        self.primary = next((s for s in open_ if s.kind == "formal"), None) or next(iter(open_), None)
        has_docs = bool(self.candidate is not None and getattr(self.candidate, "level", "") in ("中级", "高级"))
        self.waiting.set_sittings(self.sittings, has_documents=has_docs)
        self.receipt_page.documents_button.setVisible(has_docs)
        if self.primary is None:
            self.show_page(self.waiting)
            return
        self._select(self.primary, lambda _r: self.show_page(self.consent))

    def _select(self, sitting: Any, then: Any) -> None:
        self.current = sitting
        run_in_background(lambda: self.engine.select_sitting(sitting.sitting_id), then, self.on_failure)

    def on_consented(self) -> None:
        self.consented = True
        if self.primary is not None and self.primary.kind == "mock":
            self.on_checked({"status": "skipped", "reason": "mock exam"})
            return
        self.install_selfcheck()
        self.show_page(self.selfcheck)

    def install_selfcheck(self) -> None:
        """A fresh self-check with the policy as it stands now (after login: the server's)."""
        page = make_self_check(None, self.config, self.engine.policy(), camera_label=self.camera_label,
                               phone=self.engine)
        page.finished.connect(self.on_checked)
        index = self.stack.indexOf(self.selfcheck)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(self.selfcheck)
        self.selfcheck.deleteLater()
        self.selfcheck = page

    def on_checked(self, report: Any) -> None:
        try:
            self.engine.record_check_report(report_of(report))
        except Exception as e:  # noqa: BLE001
            self.banner.show_message(language.error_text(e), "warn")
        self.waiting.set_ready(True)
        self.show_page(self.waiting)

    def start_formal(self, sitting: Any) -> None:
        self.current = sitting
        self.waiting.start_button.setEnabled(False)
        if self.lockdown is None:
            self._begin_exam()
            return
        run_in_background(self.lockdown.preflight, self._preflighted, self._preflight_failed)

    def _preflighted(self, pre: Any) -> None:
        """Displays, remote sessions, forbidden programs: fixed before the start, each with its instructions."""
        if pre.ok:
            self._begin_exam()
            return
        assert self.lockdown is not None
        dialog = self.preflight_dialog = PreflightDialog(self.lockdown, pre, self)
        dialog.ready.connect(self._begin_exam)
        dialog.cancelled.connect(self.waiting.tick)   # the Start button is enabled again
        dialog.finished.connect(self._preflight_closed)
        dialog.open()

    def _preflight_closed(self, _result: int) -> None:
        self.preflight_dialog = None

    def _preflight_failed(self, error: BaseException) -> None:
        log.error("lockdown preflight failed, the exam starts without it: %r", error)   # never blocks a candidate
        self._begin_exam()

    def start_mock(self, sitting: Any) -> None:
        def selected(_r: Any) -> None:
            try:
                self.engine.record_consent(CONSENT_VERSION, self.consent.consent_text())
            except Exception as e:  # noqa: BLE001
                log.warning("mock consent: %r", e)
            self._begin_exam()
        self._select(sitting, selected)

    def _begin_exam(self) -> None:
        run_in_background(self.engine.start_exam, self.on_paper, self.on_failure)

    def on_paper(self, paper: Any) -> None:
        self.paper = paper
        self.banner.dismiss()
        title = getattr(self.current, "title", "") or paper.title
        self.exam.setEnabled(True)
        self.exam.start(paper, self.candidate, title)
        self.show_page(self.exam)
        if paper.kind == "mock" and self.waiting.formal is not None:
            self._formal_alerted = 0.0
            self.formal_watch.start()
            self.check_formal_during_mock()
        self._phone_told = ""
        self.on_phone(self.engine.phone_status())   # a phone already in trouble is told at the start
        self._show_camera()
        locked = self.lockdown is not None and not self.is_mock()
        if self.full_screen:
            if locked:
                apply_kiosk_flags(self)   # frameless, top-most on the primary display
            self.showFullScreen()
        if locked and self.lockdown is not None and self.kiosk is None:
            self.kiosk = QtKioskWindow(self)   # after the flags: they recreate the native window
            self.lockdown.set_window(self.kiosk)

    def on_failure(self, error: BaseException) -> None:
        self.banner.show_message(language.error_text(error), "alert")
        self.waiting.tick()

    # -- the end -----------------------------------------------------------------------------
    def is_mock(self) -> bool:
        return bool(self.paper is not None and self.paper.kind == "mock")

    def confirm_submit(self) -> None:
        dialog = SubmitDialog(self.exam.counts(), self)
        self._submit_dialog: Optional[SubmitDialog] = dialog
        accepted = exec_dialog(dialog) == 1
        self._submit_dialog = None
        if accepted and not self.exam.over:  # time may have run out while the dialog was open
            self.seal_and_submit("candidate")
        elif dialog.jump_to is not None and not self.exam.over:
            self.exam.go(dialog.jump_to)     # a question number in the list: back to that question
            self.exam.setFocus()

    def check_formal_during_mock(self) -> None:
        """In the mock exam while the formal one has begun: its time runs, so say so (again a minute after
        the candidate dismissed it) with the formal time left."""
        formal = self.waiting.formal
        if formal is None or not self.is_mock() or self.exam.over:
            self.formal_watch.stop()
            return
        now_ms = time.time() * 1000 + (self.engine.clock_offset_ms() or 0)
        if now_ms < formal.start_at_ms:
            return
        if not self.banner.isVisible() and time.monotonic() - self._formal_alerted < 60 and self._formal_alerted:
            return
        self._formal_alerted = time.monotonic()
        left = (formal.start_at_ms + (formal.duration_s + formal.extension_s) * 1000 - now_ms) / 1000.0
        self.banner.show_message(self.tr("The formal exam has started and its time is running (%1 left). Submit "
                                         "this mock exam now, then start the formal exam in the waiting room.")
                                 .replace("%1", fmt_duration(left)), "alert")

    def on_time_up(self, reason: str) -> None:
        self.seal_and_submit(reason)

    def on_sealed(self, reason: str) -> None:
        if self.stack.currentWidget() is self.exam and not self.exam.over:
            self.exam.end(reason)  # emits ended -> seal_and_submit

    def seal_and_submit(self, reason: str) -> None:
        dialog = getattr(self, "_submit_dialog", None)
        if dialog is not None:
            dialog.reject()  # the question "submit now?" has been answered by the clock
        self.exam.stop()
        self.formal_watch.stop()
        self._hide_camera()
        if self.phone_dialog is not None:
            self.phone_dialog.close()
        self._unlock()
        answers = dict(self.exam.answers)
        try:
            if self.engine.state() not in (api.SEALED, api.SUBMITTED):
                self.engine.seal(reason)
        except Exception as e:  # noqa: BLE001 - the receipt page says what is known
            log.error("seal: %r", e)
        if self.is_mock() and self.paper is not None:  # is_mock() implies a paper
            self.mock_result.show_result(self.paper, answers)
            self.mock_result.set_waiting(True)
            self.show_page(self.mock_result)
        else:
            self.receipt_page.set_sealed(reason)
            self.show_page(self.receipt_page)
            if self.full_screen:
                self.showNormal()
        self._submit()

    def _submit(self) -> None:
        run_in_background(self.engine.submit, self._submitted, lambda e: self.receipt_page.refresh())

    def _submitted(self, receipt: Any) -> None:
        if receipt is not None:
            self.on_receipt(receipt)

    def on_receipt(self, receipt: Any) -> None:
        self.receipt = receipt
        self.receipt_page.set_receipt(receipt)
        if self.is_mock():
            self.mock_result.set_waiting(False)

    def back_to_waiting(self) -> None:
        run_in_background(self.engine.sittings, self._reselect, self.on_failure)

    def _reselect(self, sittings: List[Any]) -> None:
        self.sittings = list(sittings)
        self.waiting.set_sittings(self.sittings, self.waiting.documents_button.isVisible())
        formal = self.waiting.formal
        if formal is not None:
            self._select(formal, lambda _r: self.show_page(self.waiting))
        else:
            self.show_page(self.waiting)

    def show_documents(self) -> None:
        self._return_to = self.stack.currentWidget()
        self.documents.load()
        self.show_page(self.documents)

    def back_from_documents(self) -> None:
        self.show_page(getattr(self, "_return_to", None) or self.waiting)

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        if self.stack.currentWidget() is self.exam and not self.exam.over:
            # closing mid-exam would not stop the clock: say so instead of closing
            self.banner.show_message(self.tr("The exam is in progress and its time keeps running. Submit the "
                                             "paper to finish."), "warn")
            event.ignore()
            return
        self.exam.stop()
        self._hide_camera()
        if self.phone_dialog is not None:
            self.phone_dialog.close()
        super().closeEvent(event)

    # -- the second camera: status light, the candidate told at once, re-pairing ----------------------
    def on_phone(self, status: Any) -> None:
        self.exam.header.phone.set_status(status)
        self.waiting.phone_card.on_status(status)
        in_exam = self.stack.currentWidget() is self.exam and not self.exam.over
        message = trouble_message(status) if in_exam else ""
        if message and message != self._phone_told:
            self.banner.show_message(message, "alert" if status.trouble else "warn")
        elif not message and self._phone_told and self.banner.text.text() == self._phone_told:
            self.banner.dismiss()      # the phone is back: the warning no longer holds
        self._phone_told = message

    def pair_phone_again(self) -> None:
        if self.phone_dialog is None:
            self.phone_dialog = PhonePairDialog(self.engine, self)
        self.phone_dialog.show()
        self.phone_dialog.raise_()
        self.phone_dialog.activateWindow()

    # -- the lockdown ----------------------------------------------------------------------------
    def _unlock(self) -> None:
        if self.kiosk is None or self.lockdown is None:
            return
        lockdown, self.kiosk = self.lockdown, None
        run_in_background(lambda: lockdown.set_window(None))   # reverting joins threads: not on the GUI thread
        if self.full_screen:
            clear_kiosk_flags(self)

    def _show_lockdown_notice(self, zh: str, en: str) -> None:
        self.banner.show_message(zh if language.is_chinese() else en, "warn")

    # -- the camera thumbnail (the proctoring session opens and closes the camera itself) ---------
    def _show_camera(self) -> None:
        if self.proctoring is not None and self.notices is None:
            self.notices = ProctoringNotices(self.proctoring, self)
            self.notices.notice.connect(self.exam.show_monitor_notice)
            self.notices.recording.connect(self.exam.header.set_recording)
            self.exam.header.set_recording(self.notices.recording_now)
        if self.camera is None or self.thumbnail is not None:
            return
        if self.camera_label:
            self.exam.header.camera.setText(self.camera_label)
        self.thumbnail = CameraThumbnail(self.camera, fps=5.0, parent=self)
        header = self.exam.header
        self.thumbnail.frame.connect(lambda image: header.set_camera_frame(image, self.camera_label))

    def _hide_camera(self) -> None:
        if self.notices is not None:
            self.notices.close()
            self.notices.deleteLater()
            self.notices = None
            self.exam.header.set_recording(False)
        if self.thumbnail is not None:
            self.thumbnail.close()
            self.thumbnail.deleteLater()
            self.thumbnail = None
