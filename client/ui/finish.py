"""The end of the exam: the submit confirmation, the receipt, and the mock exam's marked result."""
from __future__ import annotations

import os
import time
from typing import Any, Dict, Optional

from client.exam.api import ExamEngine
from client.qt import (
    QFileDialog,
    QHBoxLayout,
    QProgressBar,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    Signal,
)
from client.ui import language, theme
from client.ui.common import Card, button, centered, label, primary_button
from client.ui.dialogs import FramedDialog, NumberList
from examcore.paper import Paper, is_answered, score_paper


class SubmitDialog(FramedDialog):
    """Asks once, with what matters: which questions are unanswered or flagged, each a link back to it.
    After a link: rejected, with `jump_to` the question's index."""

    def __init__(self, counts: Dict[str, Any], parent: Optional[QWidget] = None) -> None:
        super().__init__("submitDialog", parent)
        self.setWindowTitle(self.tr("Submit the paper"))
        self.setMinimumWidth(520)
        self.jump_to: Optional[int] = None
        total = int(counts.get("total", 0))
        unanswered = list(counts.get("unanswered_numbers", []))
        flagged = list(counts.get("flagged_numbers", []))
        n_unanswered = int(counts.get("unanswered", len(unanswered)))
        n_flagged = int(counts.get("flagged", len(flagged)))
        box = self.body
        box.addWidget(label(self.tr("Submit the paper now?"), "submitDialogTitle", 1.3, bold=True))
        self.summary = label(self.tr("Answered %1 of %2 · Unanswered: %3 · Flagged for review: %4")
                             .replace("%1", str(total - n_unanswered)).replace("%2", str(total))
                             .replace("%3", str(n_unanswered)).replace("%4", str(n_flagged)), "submitSummary")
        box.addWidget(self.summary)
        self.lists: Dict[str, NumberList] = {}
        for key, numbers, heading in (
                ("submitUnanswered", unanswered, self.tr("Not answered (click a number to go back to it):")),
                ("submitFlagged", flagged, self.tr("Flagged for review:"))):
            if not numbers:
                continue
            box.addWidget(label(heading, key + "Title", bold=True))
            numbers_list = NumberList(key, numbers, self.tr("Go to question %1"))
            numbers_list.picked.connect(self._go_to)
            box.addWidget(numbers_list)
            self.lists[key] = numbers_list
        if total and not n_unanswered:
            box.addWidget(label(self.tr("Every question has an answer."), "submitAllAnswered"))
        box.addWidget(label(self.tr("After submitting you cannot change any answer."), "muted"))
        row = QHBoxLayout()
        row.addStretch(1)
        self.back_button = button(self.tr("Back to the paper"), "submitCancel")
        self.confirm_button = primary_button(self.tr("Submit"), "submitConfirm")
        self.back_button.clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self.accept)
        row.addWidget(self.back_button)
        row.addWidget(self.confirm_button)
        box.addLayout(row)
        self.back_button.setDefault(True)  # Enter alone never submits by accident
        self.back_button.setFocus()

    def _go_to(self, number: int) -> None:
        self.jump_to = number - 1
        self.reject()


class ReceiptPage(QWidget):
    """What happened to the paper: sealed, uploaded, acknowledged — and when it is safe to close."""

    closeRequested = Signal()
    documentsRequested = Signal()

    def __init__(self, engine: ExamEngine, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptPage")
        self.engine = engine
        self.receipt: Optional[Any] = None
        self.reason = "candidate"
        self.max_pending = 0
        card = Card()
        self.title = label(self.tr("Your paper is sealed"), "receiptTitle", 1.6, bold=True)
        card.layout_.addWidget(self.title)
        self.reason_label = label("", "sealReason")
        card.layout_.addWidget(self.reason_label)
        self.details = label("", "receiptDetails")
        card.layout_.addWidget(self.details)
        self.progress = QProgressBar()
        self.progress.setObjectName("uploadProgress")
        self.progress.setAccessibleName(self.tr("Upload progress"))
        card.layout_.addWidget(self.progress)
        self.status = label("", "uploadStatus")
        card.layout_.addWidget(self.status)
        row = QHBoxLayout()
        self.export_button = button(self.tr("Export sealed file…"), "exportButton")
        self.export_button.clicked.connect(self.export)
        self.documents_button = button(self.tr("Documents…"), "receiptDocumentsButton")
        self.documents_button.clicked.connect(self.documentsRequested.emit)
        self.documents_button.hide()
        row.addWidget(self.export_button)
        row.addWidget(self.documents_button)
        row.addStretch(1)
        self.close_button = primary_button(self.tr("Close ExamDesk"), "closeButton")
        self.close_button.clicked.connect(self.closeRequested.emit)
        row.addWidget(self.close_button)
        card.layout_.addLayout(row)
        layout = QVBoxLayout(self)
        layout.addWidget(centered(card, 760))

    def set_sealed(self, reason: str) -> None:
        self.reason = reason
        text = {"time_up": self.tr("The time is up. Your answers were saved and the paper was sealed "
                                   "automatically."),
                "proctor": self.tr("The proctor ended your exam. Your answers were saved and sealed."),
                }.get(reason, self.tr("You submitted the paper. Your answers are sealed."))
        self.reason_label.setText(text)
        self.refresh()

    def set_receipt(self, receipt: Any) -> None:
        self.receipt = receipt
        self.refresh()

    def on_sync(self, status: Any) -> None:
        self.refresh(status)

    def refresh(self, status: Any = None) -> None:
        if status is None:
            try:
                status = self.engine.sync_status()
            except Exception:  # noqa: BLE001
                status = None
        pending = int(status.pending_ops + status.pending_uploads) if status is not None else 0
        online = bool(status.online) if status is not None else False
        self.max_pending = max(self.max_pending, pending)
        self.progress.setRange(0, max(1, self.max_pending))
        self.progress.setValue(max(1, self.max_pending) - pending if self.max_pending else 1)
        r = self.receipt
        if r is not None:
            self.title.setText(self.tr("Your paper was received"))
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.submitted_at_ms / 1000.0))
            self.details.setText("\n".join([
                self.tr("Submission number: %1").replace("%1", r.submission_id),
                self.tr("Received at: %1 (server time)").replace("%1", when),
                self.tr("Answer chain hash: %1").replace("%1", r.chain_head),
                self.tr("Signature: %1").replace("%1", self.tr("verified") if r.verified else self.tr("NOT verified")),
            ]))
        else:
            self.details.setText(self.tr("Waiting for the exam server to confirm…"))
        if r is not None and pending == 0:
            self.status.setText(self.tr("Everything has been received by the exam centre. You may now close "
                                        "ExamDesk."))
            self.status.setStyleSheet("color: %s; font-weight: bold;" % theme.GOOD)
        elif online:
            self.status.setText(self.tr("Uploading: %n item(s) left. Please keep ExamDesk open until this "
                                        "reaches zero.", "", pending))
            self.status.setStyleSheet("")
        else:
            self.status.setText(self.tr("Offline. Your answers are sealed on this computer and will upload "
                                        "automatically when the network returns (%n item(s) waiting). Keep "
                                        "ExamDesk open, or export the sealed file and hand it to the exam "
                                        "centre.", "", pending))
            self.status.setStyleSheet("color: %s;" % theme.AMBER)

    def export(self, path: str = "") -> str:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export sealed file"),
                                                  os.path.expanduser("~/examdesk-sealed.json"),
                                                  self.tr("Sealed exam file (*.json)"))
        if not path:
            return ""
        try:
            out = self.engine.export_sealed(path)
        except Exception as e:  # noqa: BLE001
            self.status.setText(language.error_text(e))
            return ""
        self.status.setText(self.tr("Sealed file saved to %1. Hand it to the exam centre.").replace("%1", out))
        return out


class MockResultPage(QWidget):
    """The practice paper marked on this computer, with the right answers and explanations."""

    backRequested = Signal()

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("mockResultPage")
        card = Card()
        card.layout_.addWidget(label(self.tr("Mock exam result"), "mockResultTitle", 1.6, bold=True))
        self.score = label("", "mockScore", 1.3, bold=True)
        card.layout_.addWidget(self.score)
        self.review = QTextBrowser()
        self.review.setObjectName("mockReview")
        self.review.setAccessibleName(self.tr("Answers and explanations"))
        self.review.setMinimumHeight(460)
        card.layout_.addWidget(self.review, 1)
        row = QHBoxLayout()
        self.pending = label("", "mockPending")
        row.addWidget(self.pending, 1)
        self.back_button = primary_button(self.tr("Back to the waiting room"), "mockBackButton")
        self.back_button.clicked.connect(self.backRequested.emit)
        row.addWidget(self.back_button)
        card.layout_.addLayout(row)
        layout = QVBoxLayout(self)
        layout.addWidget(centered(card, 900))

    def set_waiting(self, waiting: bool) -> None:
        """The practice paper is still being submitted: the formal sitting can be opened only after that."""
        self.back_button.setEnabled(not waiting)
        self.pending.setText(self.tr("Submitting the practice paper… (it needs the network)") if waiting else "")

    def show_result(self, paper: Paper, answers: Dict[str, Any]) -> Any:
        sheet = score_paper(paper, answers)
        text = self.tr("Objective questions: %1 of %2 points.").replace("%1", "%g" % sheet.objective_score) \
            .replace("%2", "%g" % sheet.objective_max)
        if sheet.essay_max:
            text += " " + self.tr("Essays (%1 points) are not marked in the mock exam.") \
                .replace("%1", "%g" % sheet.essay_max)
        self.score.setText(text)
        parts = []
        for i, q in enumerate(paper.questions):
            given = answers.get(q.id)
            got = sheet.per_question.get(q.id)
            mark = "—" if got is None else ("✓" if got == q.points else ("✗" if not got else "½"))
            parts.append("<p><b>%d. %s</b> %s<br>%s: %s<br>%s: %s%s</p>" % (
                i + 1, _esc(q.text), mark, self.tr("Your answer"),
                _esc(_show(given, q) if is_answered(q, given) else self.tr("(none)")),
                self.tr("Right answer"),
                _esc(_show(q.answer, q) if q.answer is not None else self.tr("(marked by hand)")),
                ("<br><i>%s</i>" % _esc(q.explanation)) if q.explanation else ""))
        self.review.setHtml("".join(parts))
        return sheet


def _show(value: Any, q: Any = None) -> str:
    """An answer as a person reads it: option keys with their text, √/× for true/false."""
    if value is True:
        return "√"
    if value is False:
        return "×"
    if isinstance(value, (list, tuple)):
        return "、".join(_show(v, q) for v in value)
    texts = {o.key: o.text for o in getattr(q, "options", ())}
    if q is not None and q.kind in ("single", "multiple") and value in texts:
        return "%s（%s）" % (value, texts[value])
    return str(value)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
