"""Documents for 中级 (work-improvement plan) and 高级 (application materials): choose PDF/DOCX files within
the size limit, upload them with progress (tus resumes an interrupted upload), see the deadline."""
from __future__ import annotations

import os
import time
from typing import Any, Dict, List, Optional

from client.exam.api import ExamEngine
from client.qt import QFileDialog, QHBoxLayout, QListWidget, QProgressBar, QVBoxLayout, QWidget, Signal
from client.ui import language
from client.ui.bridge import run_in_background
from client.ui.common import Card, button, centered, label, primary_button

EXTENSIONS = {".pdf": "application/pdf",
              ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class DocumentsPage(QWidget):
    backRequested = Signal()
    uploaded = Signal(str)

    def __init__(self, engine: ExamEngine, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsPage")
        self.engine = engine
        # the open submission window; it shadows QWidget.window() (a name the tests and automation read),
        # so the override of the method's type is deliberate
        self.window: Optional[Dict[str, Any]] = None  # type: ignore[assignment]
        card = Card()
        card.layout_.addWidget(label(self.tr("Documents"), "documentsTitle", 1.6, bold=True))
        self.what = label("", "documentsWhat")
        card.layout_.addWidget(self.what)
        self.deadline = label("", "documentsDeadline", 1.1, bold=True)
        card.layout_.addWidget(self.deadline)
        self.limits = label("", "documentsLimits")
        card.layout_.addWidget(self.limits)
        self.files = QListWidget()
        self.files.setObjectName("documentsList")
        self.files.setAccessibleName(self.tr("Uploaded documents"))
        card.layout_.addWidget(self.files, 1)
        self.progress = QProgressBar()
        self.progress.setObjectName("documentProgress")
        self.progress.setAccessibleName(self.tr("Upload progress"))
        self.progress.hide()
        card.layout_.addWidget(self.progress)
        self.message = label("", "documentsMessage")
        card.layout_.addWidget(self.message)
        row = QHBoxLayout()
        self.back_button = button(self.tr("Back"), "documentsBack")
        self.back_button.clicked.connect(self.backRequested.emit)
        row.addWidget(self.back_button)
        row.addStretch(1)
        self.choose_button = primary_button(self.tr("Choose a file and upload…"), "chooseDocument")
        self.choose_button.clicked.connect(lambda: self.choose())
        row.addWidget(self.choose_button)
        card.layout_.addLayout(row)
        layout = QVBoxLayout(self)
        layout.addWidget(centered(card, 760))

    def load(self) -> None:
        run_in_background(self.engine.document_windows, self.set_windows, self._failed)

    def set_windows(self, windows: List[Dict[str, Any]]) -> None:
        self.window = windows[0] if windows else None
        w = self.window
        self.choose_button.setEnabled(w is not None)
        if w is None:
            self.what.setText(self.tr("No document submission is open for you."))
            self.deadline.setText("")
            self.limits.setText("")
            return
        self.what.setText(self.tr("Work-improvement plan (practical assessment)") if w.get("part") == "practical"
                          else self.tr("Application materials (comprehensive review)"))
        deadline = time.strftime("%Y-%m-%d %H:%M", time.localtime(int(w.get("deadline_ms", 0)) / 1000.0))
        self.deadline.setText(self.tr("Deadline: %1 (%2 working days after the theory exam)")
                              .replace("%1", deadline).replace("%2", str(w.get("working_days", ""))))
        self.limits.setText(self.tr("PDF or DOCX, at most %1 MB per file.")
                            .replace("%1", "%g" % (self.max_bytes() / 1048576.0)))
        self.files.clear()
        if not w.get("documents"):
            self.files.addItem(self.tr("No document uploaded yet."))
        for d in w.get("documents", []) or []:
            name = d.get("filename", "?") if isinstance(d, dict) else str(d)
            ok = isinstance(d, dict) and d.get("verified")
            self.files.addItem("%s  %s" % ("✓" if ok else "…", name))

    def max_bytes(self) -> int:
        return int((self.window or {}).get("max_bytes") or DEFAULT_MAX_BYTES)

    def check(self, path: str) -> str:
        """'' when `path` may be uploaded, else the reason."""
        ext = os.path.splitext(path)[1].lower()
        if ext not in EXTENSIONS:
            return self.tr("Only PDF or DOCX files can be submitted.")
        try:
            size = os.path.getsize(path)
        except OSError:
            return self.tr("The file cannot be read.")
        if size == 0:
            return self.tr("The file is empty.")
        if size > self.max_bytes():
            return self.tr("The file is %1 MB; the limit is %2 MB.").replace("%1", "%.1f" % (size / 1048576.0)) \
                .replace("%2", "%g" % (self.max_bytes() / 1048576.0))
        return ""

    def choose(self, path: str = "") -> bool:
        if self.window is None:
            return False
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a document"), os.path.expanduser("~"),
                                                  self.tr("Documents (*.pdf *.docx)"))
        if not path:
            return False
        problem = self.check(path)
        if problem:
            self.message.setText(problem)
            self.message.setStyleSheet("color: #b42318;")
            return False
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Uploading %1…").replace("%1", os.path.basename(path)))
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.show()
        self.choose_button.setEnabled(False)
        sid = str(self.window.get("sitting_id"))
        run_in_background(lambda: self.engine.upload_document(sid, path), self._done, self._failed)
        return True

    def on_upload(self, progress: Any) -> None:
        if getattr(progress, "purpose", "") != "document" or not progress.size:
            return
        self.progress.show()
        self.progress.setValue(int(100 * progress.sent / progress.size))
        if progress.verified:
            self.message.setStyleSheet("color: #1b7f4b;")
            self.message.setText(self.tr("%1 was received intact by the exam centre.")
                                 .replace("%1", progress.filename))
            self.load()

    def _done(self, upload_id: Any) -> None:
        # queued in the journal: the sync worker uploads it, resuming after any network break
        self.choose_button.setEnabled(True)
        self.message.setText(self.tr("Uploading in the background; it resumes by itself after a network break."))
        self.uploaded.emit(str(upload_id))

    def _failed(self, error: BaseException) -> None:
        self.choose_button.setEnabled(self.window is not None)
        self.message.setStyleSheet("color: #b42318;")
        self.message.setText(language.error_text(error) + "\n" +
                             self.tr("You can try again: the upload continues where it stopped."))
