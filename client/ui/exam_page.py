"""The exam window: header, question, navigator, keyboard shortcuts, debounced saving and the "saved" mark.

Promise 1 on screen: "saved" appears only after engine.answer() returned (the answer is fsync'd).
answer() is a ~1 ms local SQLite commit, so it runs on the GUI thread (measured in bench/ui.py)."""
from __future__ import annotations

import logging
import time
from typing import Any, Dict, Optional, Set

from client.exam.api import ExamEngine
from client.qt import (
    QApplication,
    QEvent,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    Qt,
    QTextEdit,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    enum_int,
)
from client.ui import language, theme
from client.ui.common import Banner, button, primary_button
from client.ui.header import ExamHeader
from client.ui.navigator import NavigatorGrid
from client.ui.question_view import QuestionView
from examcore.paper import Paper, is_answered

log = logging.getLogger(__name__)

SAVE_DEBOUNCE_MS = 800
VISIT_SETTLE_MS = 400
FONT_STEPS = (0.9, 1.0, 1.15, 1.3, 1.5, 1.75)
# F is the flag key, so letters stop at E; digits reach the sixth option
CHOICE_KEYS = {enum_int(k): i for i, k in enumerate((Qt.Key.Key_A, Qt.Key.Key_B, Qt.Key.Key_C, Qt.Key.Key_D,
                                                      Qt.Key.Key_E))}
CHOICE_KEYS.update({enum_int(k): i for i, k in enumerate((Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4,
                                                          Qt.Key.Key_5, Qt.Key.Key_6))})
K = {name: enum_int(getattr(Qt, name)) for name in ("Key_Left", "Key_Right", "Key_PageUp", "Key_PageDown",
                                                    "Key_F", "Key_Plus", "Key_Equal", "Key_Minus")}


def _widgets_app() -> QApplication:
    """The running QApplication: the page filters its keys and watches focus (QApplication.focusChanged)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("the exam page needs a running QApplication, found %r" % (app,))
    return app


class ExamPage(QWidget):
    submitRequested = Signal()
    ended = Signal(str)                 # time_up | proctor

    def __init__(self, engine: ExamEngine, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("examPage")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the page itself takes the keys when nothing inside has focus
        self.engine = engine
        self.paper: Optional[Paper] = None
        self.index = 0
        self.answers: Dict[str, Any] = {}
        self.flags: Dict[str, bool] = {}
        self.font_step = 1
        self.warned: Set[int] = set()
        self.over = False
        self._pending: Optional[Any] = None  # (question_id, value) typed but not yet saved
        self.last_save: Optional[Any] = None
        self._watching_focus = False

        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        self.header = ExamHeader()
        root.addWidget(self.header)
        body = QVBoxLayout()
        body.setContentsMargins(16, 10, 16, 12)
        body.setSpacing(8)
        root.addLayout(body, 1)
        self.proctor_banner = Banner("proctorBanner")
        self.warning_banner = Banner("warningBanner")
        self.monitor_banner = Banner("monitorBanner")    # what the camera/microphone watch noticed
        self.monitor_notice: Optional[str] = None         # the event type the monitor banner shows
        body.addWidget(self.proctor_banner)
        body.addWidget(self.warning_banner)
        body.addWidget(self.monitor_banner)

        columns = QHBoxLayout()
        body.addLayout(columns, 1)
        main = QFrame()
        main.setObjectName("questionCard")
        main.setStyleSheet("QFrame#questionCard { background: white; border: 1px solid %s; border-radius: 8px; }"
                           % theme.LINE)
        mainbox = QVBoxLayout(main)
        mainbox.setContentsMargins(24, 16, 24, 16)
        self.position = QLabel("")
        self.position.setObjectName("questionPosition")
        self.position.setStyleSheet("color: %s;" % theme.MUTED)
        mainbox.addWidget(self.position)
        self.view = QuestionView()
        self.view.edited.connect(self.on_edited)
        scroll = QScrollArea()
        scroll.setObjectName("questionScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setStyleSheet("QScrollArea#questionScroll, QWidget#questionView, QWidget#answerArea"
                             " { background: white; }")
        scroll.setWidget(self.view)
        mainbox.addWidget(scroll, 1)

        nav = QHBoxLayout()
        self.prev_button = button(self.tr("← Previous"), "prevButton", self.tr("Previous question"))
        self.flag_button = button(self.tr("Flag for review (F)"), "flagButton", self.tr("Flag for review"))
        self.flag_button.setCheckable(True)
        # 2 px border, 1 px less padding: the same outer size as unchecked, so the row never moves
        self.flag_button.setStyleSheet("QPushButton:checked { background: %s; border: 2px solid %s; color: %s;"
                                       " padding: 6px 15px; }" % (theme.WARN_BG, theme.AMBER, theme.AMBER))
        self.next_button = primary_button(self.tr("Next →"), "nextButton", self.tr("Next question"))
        self.saved = QLabel("")
        self.saved.setObjectName("savedMark")
        self.saved.setAccessibleName(self.tr("Save status"))
        self.font_smaller = button("A−", "fontSmaller", self.tr("Smaller text"))
        self.font_larger = button("A+", "fontLarger", self.tr("Larger text"))
        for w in (self.prev_button, self.flag_button):
            nav.addWidget(w)
        nav.addWidget(self.saved, 1)
        nav.addWidget(self.font_smaller)
        nav.addWidget(self.font_larger)
        nav.addWidget(self.next_button)
        mainbox.addLayout(nav)
        columns.addWidget(main, 1)

        side = QFrame()
        side.setObjectName("sidePanel")
        side.setFixedWidth(260)
        side.setStyleSheet("QFrame#sidePanel { background: white; border: 1px solid %s; border-radius: 8px; }"
                           % theme.LINE)
        sidebox = QVBoxLayout(side)
        sidebox.setContentsMargins(14, 14, 14, 14)
        heading = QLabel(self.tr("Questions"))
        theme.scaled(heading, 1.1, bold=True)
        sidebox.addWidget(heading)
        self.navigator = NavigatorGrid()
        self.navigator.jump.connect(self.go)
        sidebox.addWidget(self.navigator)
        sidebox.addStretch(1)
        self.keys_help = QLabel(self.tr("Keys: A–D or 1–4 choose · ← → previous/next · F flag"))
        self.keys_help.setObjectName("keysHelp")
        self.keys_help.setWordWrap(True)
        self.keys_help.setStyleSheet("color: %s;" % theme.MUTED)
        sidebox.addWidget(self.keys_help)
        self.submit_button = primary_button(self.tr("Submit the paper…"), "submitButton")
        sidebox.addWidget(self.submit_button)
        columns.addWidget(side)

        self.prev_button.clicked.connect(lambda: self.go(self.index - 1))
        self.next_button.clicked.connect(lambda: self.go(self.index + 1))
        self.flag_button.clicked.connect(self.toggle_flag)
        self.font_smaller.clicked.connect(lambda: self.set_font_step(self.font_step - 1))
        self.font_larger.clicked.connect(lambda: self.set_font_step(self.font_step + 1))
        self.submit_button.clicked.connect(self._request_submit)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(SAVE_DEBOUNCE_MS)
        self.debounce.timeout.connect(self.flush)
        self.visit_timer = QTimer(self)
        self.visit_timer.setSingleShot(True)
        self.visit_timer.setInterval(VISIT_SETTLE_MS)
        self.visit_timer.timeout.connect(self.record_visit)
        self.ticker = QTimer(self)
        self.ticker.setInterval(250)
        self.ticker.timeout.connect(self.tick)

    # -- set-up ----------------------------------------------------------------------------
    def start(self, paper: Paper, candidate: Any = None, title: str = "") -> None:
        self.paper = paper
        self.over = False
        self.answers = dict(self.engine.answers())
        self.flags = dict(self.engine.flags())
        if candidate is not None:
            self.header.set_candidate(getattr(candidate, "name", ""), getattr(candidate, "ticket", ""),
                                      getattr(candidate, "level", paper.level), title or paper.title)
        self.navigator.set_paper(paper)
        current = self.engine.current_question()
        try:
            self.index = paper.index_of(current) if current else 0
        except KeyError:
            self.index = 0
        self.show_current()
        self.on_sync(self.engine.sync_status())
        self.tick()
        self.ticker.start()
        app = _widgets_app()
        app.installEventFilter(self)
        if not self._watching_focus:
            app.focusChanged.connect(self._focus_changed)
            self._watching_focus = True

    def _focus_changed(self, old: Any, _new: Any) -> None:
        # leaving a fill-in or essay box saves it at once, as leaving the question does
        if self._pending is not None and isinstance(old, (QLineEdit, QPlainTextEdit)) and self.view.isAncestorOf(old):
            self.flush()

    def stop(self) -> None:
        self.flush()
        if self.visit_timer.isActive():
            self.record_visit()
        self.ticker.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
            if self._watching_focus:
                _widgets_app().focusChanged.disconnect(self._focus_changed)
                self._watching_focus = False

    # -- navigation ------------------------------------------------------------------------
    def go(self, index: int) -> None:
        if self.paper is None or not 0 <= index < len(self.paper.questions) or self.over:
            return
        self.flush()  # leaving a question saves what was typed
        self.index = index
        self.show_current()

    def show_current(self) -> None:
        assert self.paper is not None
        q = self.paper.questions[self.index]
        n = len(self.paper.questions)
        self.position.setText(self.tr("Question %1 of %2 · %3 · %4 points").replace("%1", str(self.index + 1))
                              .replace("%2", str(n)).replace("%3", self.view.kind_name(q.kind))
                              .replace("%4", "%g" % q.points))
        self.view.show_question(q, self.answers.get(q.id))
        self.view.apply_scale(FONT_STEPS[self.font_step])
        self.flag_button.setChecked(bool(self.flags.get(q.id)))
        self.prev_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < n - 1)
        self._set_saved(self.tr("✓ Saved") if is_answered(q, self.answers.get(q.id)) else "",
                        "color: %s; font-weight: bold;" % theme.GOOD)
        self.navigator.refresh(self.index, self.answers, self.flags)
        self.visit_timer.start()  # remembered once the candidate settles: no journal write per key press

    def record_visit(self) -> None:
        self.visit_timer.stop()
        if self.paper is None:
            return
        try:
            self.engine.visit(self.current_id())
        except Exception as e:  # noqa: BLE001 - remembering the position is a convenience
            log.warning("visit failed: %r", e)

    def current_id(self) -> str:
        assert self.paper is not None
        return self.paper.questions[self.index].id

    # -- saving ----------------------------------------------------------------------------
    def on_edited(self, value: Any, debounced: bool) -> None:
        self._pending = (self.current_id(), value)
        if debounced:
            self._set_saved(self.tr("Typing… (saves when you pause)"), "color: %s;" % theme.MUTED)
            self.debounce.start()
        else:
            self.flush()

    def flush(self) -> bool:
        """Save what is pending. True when it is durable (or nothing was pending)."""
        self.debounce.stop()
        if self._pending is None:
            return True
        qid, value = self._pending
        self._pending = None
        try:
            result = self.engine.answer(qid, value)
        except Exception as e:  # noqa: BLE001 - the candidate sees it; nothing is claimed saved
            log.error("answer %s not saved: %r", qid, e)
            self._set_saved(self.tr("✗ Not saved: %1").replace("%1", language.error_text(e)),
                            "color: %s;" % theme.DANGER)
            return False
        self.answers[qid] = value
        self.last_save = result
        if getattr(result, "durable", True):
            self._set_saved(self.tr("✓ Saved %1").replace("%1", time.strftime("%H:%M:%S")),
                            "color: %s; font-weight: bold;" % theme.GOOD)
        self.navigator.refresh(self.index, self.answers, self.flags)
        return True

    def _set_saved(self, text: str, style: str) -> None:
        self.saved.setText(text)
        if self.saved.styleSheet() != style:  # restyling costs far more than the text
            self.saved.setStyleSheet(style)

    def toggle_flag(self) -> None:
        if self.paper is None or self.over:
            return
        qid = self.current_id()
        flagged = not bool(self.flags.get(qid))
        try:
            self.engine.flag(qid, flagged)
        except Exception as e:  # noqa: BLE001
            self.warning_banner.show_message(language.error_text(e), "alert")
            flagged = bool(self.flags.get(qid))
        self.flags[qid] = flagged
        self.flag_button.setChecked(flagged)
        self.navigator.refresh(self.index, self.answers, self.flags)

    def set_font_step(self, step: int) -> None:
        self.font_step = max(0, min(len(FONT_STEPS) - 1, step))
        self.view.apply_scale(FONT_STEPS[self.font_step])
        self.font_smaller.setEnabled(self.font_step > 0)
        self.font_larger.setEnabled(self.font_step < len(FONT_STEPS) - 1)

    def counts(self) -> Dict[str, Any]:
        """What the submit confirmation lists: question numbers (1-based) unanswered and flagged."""
        assert self.paper is not None
        qs = self.paper.questions
        unanswered = [i + 1 for i, q in enumerate(qs) if not is_answered(q, self.answers.get(q.id))]
        flagged = [i + 1 for i, q in enumerate(qs) if self.flags.get(q.id)]
        return {"unanswered": len(unanswered), "flagged": len(flagged), "total": len(qs),
                "unanswered_numbers": unanswered, "flagged_numbers": flagged}

    def _request_submit(self) -> None:
        self.flush()
        self.submitRequested.emit()

    # -- time, sync, proctor ---------------------------------------------------------------
    def tick(self) -> None:
        try:
            reading = self.engine.clock()
        except Exception as e:  # noqa: BLE001
            log.warning("clock: %r", e)
            return
        # shows the time only: the engine decides warnings (timeWarning) and time-up (sealed)
        self.header.set_remaining(reading.remaining_s, reading.extension_s)

    def show_time_warning(self, minutes: int) -> None:
        if minutes in self.warned or self.over:
            return
        self.warned.add(minutes)
        text = self.tr("%n minute(s) left. Your answers are saved; the paper is submitted automatically at zero.",
                       "", minutes)
        self.warning_banner.show_message(text, "alert" if minutes <= 5 else "warn")

    def on_sync(self, status: Any) -> None:
        self.header.set_sync(status)

    def on_command(self, command: Any) -> None:
        if command.type == "message":
            self.proctor_banner.show_message(self.tr("Message from the proctor: %1").replace("%1", command.text),
                                             "info")
        elif command.type == "extend":
            minutes = max(1, int(command.seconds // 60))
            self.proctor_banner.show_message(self.tr("The proctor granted %n extra minute(s).", "", minutes), "info")
            self.tick()

    def show_monitor_notice(self, notice: Any) -> None:
        """A monitor event (client.proctoring.api.Notice): shown per the policy's action (log: not at all;
        warn_candidate: what to do; notify_proctor: that, and that the proctor was told); hidden when it ends."""
        if notice.state == "end":
            if self.monitor_notice == notice.type:
                self.monitor_banner.dismiss()
                self.monitor_notice = None
            return
        if notice.action not in ("warn_candidate", "notify_proctor") or self.over:
            return
        text = self._notice_text(notice.type)
        if notice.action == "notify_proctor":
            text = self.tr("%1 The proctor has been notified.").replace("%1", text)
        self.monitor_notice = notice.type
        self.monitor_banner.show_message(text, "alert" if notice.action == "notify_proctor" else "warn")

    def _notice_text(self, kind: str) -> str:
        texts = {
            "camera.face_absent": self.tr("We cannot see your face. Please sit in front of the camera."),
            "camera.multiple_faces": self.tr("More than one person is in the camera picture. Only you may be in the room."),
            "camera.face_turned": self.tr("Please face the screen."),
            "camera.face_covered": self.tr("Your face is covered. Please keep your hands away from your face."),
            "camera.out_of_frame": self.tr("Please move so that your whole face is in the camera picture."),
            "camera.blocked": self.tr("The camera picture is black or covered. Please uncover the camera."),
            "camera.frozen": self.tr("The camera picture is not changing. Please check the camera."),
            "camera.dark": self.tr("Your room is too dark for the camera. Please turn on a light."),
            "camera.lost": self.tr("The camera stopped working. Please check that it is connected."),
            "camera.taken": self.tr("Another program is using the camera. Please close that program."),
            "audio.talking": self.tr("Talking was heard. The exam must be taken alone and in silence."),
            "audio.loud_noise": self.tr("A loud noise was heard."),
            "audio.muted": self.tr("The microphone is muted. Please switch it on."),
            "audio.lost": self.tr("The microphone stopped working. Please check that it is connected."),
        }
        return texts.get(kind) or self.tr("The exam monitor noticed something (%1).").replace("%1", kind)

    def end(self, reason: str) -> None:
        """Time is up (or the proctor ended it): save what is typed, stop answering."""
        if self.over:
            return
        self.flush()
        self.over = True
        self.ticker.stop()
        self.setEnabled(False)
        self.ended.emit(reason)

    # -- keyboard --------------------------------------------------------------------------
    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress or not self.isVisible() or self.over:
            return False
        if QApplication.activeModalWidget() is not None:
            return False
        focus = QApplication.focusWidget()
        if focus is None or obj is not focus:
            return False  # the same key event visits several objects (window, widget): handle it once
        if isinstance(focus, (QLineEdit, QPlainTextEdit, QTextEdit)):
            return False  # never steal keys while the candidate types
        if not self.isAncestorOf(focus) and focus is not self:
            return False
        return self.handle_key(event.key(), event.modifiers())

    def handle_key(self, key: Any, modifiers: Any = None) -> bool:
        key = enum_int(key)
        mods = enum_int(modifiers) if modifiers is not None else 0
        if mods & enum_int(Qt.KeyboardModifier.ControlModifier):
            if key in (K["Key_Plus"], K["Key_Equal"]):
                self.set_font_step(self.font_step + 1)
                return True
            if key == K["Key_Minus"]:
                self.set_font_step(self.font_step - 1)
                return True
            return False
        if mods & (enum_int(Qt.KeyboardModifier.AltModifier) | enum_int(Qt.KeyboardModifier.MetaModifier)):
            return False
        if key in (K["Key_Left"], K["Key_PageUp"]):
            self.go(self.index - 1)
            return True
        if key in (K["Key_Right"], K["Key_PageDown"]):
            self.go(self.index + 1)
            return True
        if key == K["Key_F"]:
            self.toggle_flag()
            return True
        if key in CHOICE_KEYS:
            return self.view.choose(CHOICE_KEYS[key])
        return False
