"""One question on screen, for every kind: single, multiple, true/false, fill-in-the-blank, essay."""
from __future__ import annotations

from typing import Any, List, Optional

from client.qt import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from client.ui import theme
from examcore.paper import MAX_FILL_CHARS, Question


class OptionRadio(QRadioButton):
    """The whole row is the click target, not only the small circle and its text."""

    def hitButton(self, pos: Any) -> bool:  # noqa: N802 - Qt naming
        return self.rect().contains(pos)


class OptionCheck(QCheckBox):
    def hitButton(self, pos: Any) -> bool:  # noqa: N802
        return self.rect().contains(pos)


class QuestionView(QWidget):
    """Emits `edited(value, debounced)`: choices save at once, typed text after a pause."""

    edited = Signal(object, bool)

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionView")
        self.question: Optional[Question] = None
        self.scale = 1.0
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 8, 8, 0)
        self._layout.setSpacing(14)
        self.text = QLabel("")
        self.text.setObjectName("questionText")
        self.text.setWordWrap(True)
        self._layout.addWidget(self.text)
        self.body = QWidget()
        self.body.setObjectName("answerArea")
        self._layout.addWidget(self.body)
        self._layout.addStretch(1)
        self.buttons: List[Any] = []
        self.group: Optional[QButtonGroup] = None
        self.blanks: List[QLineEdit] = []
        self.essay: Optional[QPlainTextEdit] = None
        self.count: Optional[QLabel] = None
        self._loading = False

    def kind_name(self, kind: str) -> str:
        return {"single": self.tr("Single choice"), "multiple": self.tr("Multiple choice"),
                "true_false": self.tr("True or false"), "fill_blank": self.tr("Fill in the blanks"),
                "essay": self.tr("Essay")}.get(kind, kind)

    # -- building ------------------------------------------------------------------------
    def show_question(self, q: Question, value: Any) -> None:
        self._loading = True
        self.question = q
        self.text.setText(q.text)
        self.text.setAccessibleName(q.text)
        old = self.body
        self.body = QWidget()
        self.body.setObjectName("answerArea")
        self._layout.replaceWidget(old, self.body)
        old.hide()
        old.setParent(None)  # out of the widget tree at once (automation must never find a stale option)
        old.deleteLater()
        self.buttons, self.blanks, self.essay, self.count, self.group = [], [], None, None, None
        box = QVBoxLayout(self.body)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(4)
        if q.kind in ("single", "multiple"):
            self.group = QButtonGroup(self.body)
            self.group.setExclusive(q.kind == "single")
            for i, opt in enumerate(q.options):
                cls = OptionRadio if q.kind == "single" else OptionCheck
                b = cls("%s.  %s" % (opt.key, opt.text))
                b.setObjectName("option_" + opt.key)
                b.setAccessibleName(self.tr("Option %1: %2").replace("%1", opt.key).replace("%2", opt.text))
                self.group.addButton(b, i)
                box.addWidget(b)
                self.buttons.append(b)
            chosen = [value] if q.kind == "single" and value else list(value or [])
            for b, opt in zip(self.buttons, q.options):
                b.setChecked(opt.key in chosen)
            self.group.buttonClicked.connect(lambda _b: self._emit(False))
        elif q.kind == "true_false":
            self.group = QButtonGroup(self.body)
            for i, (name, text) in enumerate((("option_true", self.tr("A.  True")),
                                              ("option_false", self.tr("B.  False")))):
                b = OptionRadio(text)
                b.setObjectName(name)
                b.setAccessibleName(text)
                self.group.addButton(b, i)
                box.addWidget(b)
                self.buttons.append(b)
            if value is True:
                self.buttons[0].setChecked(True)
            elif value is False:
                self.buttons[1].setChecked(True)
            self.group.buttonClicked.connect(lambda _b: self._emit(False))
        elif q.kind == "fill_blank":
            values = list(value or [""] * q.blanks)
            for i in range(q.blanks):
                row = QHBoxLayout()
                row.addWidget(QLabel(self.tr("Blank %1").replace("%1", str(i + 1))))
                edit = QLineEdit(values[i] if i < len(values) else "")
                edit.setObjectName("blank_%d" % (i + 1))
                edit.setAccessibleName(self.tr("Blank %1").replace("%1", str(i + 1)))
                edit.setMaxLength(MAX_FILL_CHARS)
                edit.textEdited.connect(lambda _t: self._emit(True))
                row.addWidget(edit, 1)
                box.addLayout(row)
                self.blanks.append(edit)
        elif q.kind == "essay":
            self.essay = QPlainTextEdit(value or "")
            self.essay.setObjectName("essayInput")
            self.essay.setAccessibleName(self.tr("Your answer"))
            self.essay.setTabChangesFocus(True)  # keyboard users can leave the box with Tab
            self.essay.setMinimumHeight(260)
            self.essay.textChanged.connect(self._essay_changed)
            box.addWidget(self.essay)
            self.count = QLabel("")
            self.count.setObjectName("essayCount")
            box.addWidget(self.count)
            self._update_count()
        self.apply_scale(self.scale)
        self.body.show()  # a widget added to a visible layout is otherwise shown only on the next event loop pass
        self._loading = False

    def apply_scale(self, factor: float) -> None:
        self.scale = factor
        theme.scaled(self.text, 1.2 * factor, bold=False)
        for w in self.buttons + self.blanks:
            theme.scaled(w, 1.1 * factor)
        if self.essay is not None:
            theme.scaled(self.essay, 1.1 * factor)

    # -- values ---------------------------------------------------------------------------
    def value(self) -> Any:
        q = self.question
        if q is None:
            return None
        if q.kind == "single":
            keys = [o.key for b, o in zip(self.buttons, q.options) if b.isChecked()]
            return keys[0] if keys else None
        if q.kind == "multiple":
            return [o.key for b, o in zip(self.buttons, q.options) if b.isChecked()]
        if q.kind == "true_false":
            if self.buttons[0].isChecked():
                return True
            return False if self.buttons[1].isChecked() else None
        if q.kind == "fill_blank":
            return [e.text() for e in self.blanks]
        if q.kind == "essay" and self.essay is not None:
            return self.essay.toPlainText()
        return None

    def choose(self, index: int) -> bool:
        """Keyboard choice (A-D / 1-4): select or toggle option `index`. False if there is none."""
        if self.question is None or self.question.kind not in ("single", "multiple", "true_false"):
            return False
        if not 0 <= index < len(self.buttons):
            return False
        b = self.buttons[index]
        if self.question.kind == "multiple":
            b.setChecked(not b.isChecked())
        else:
            b.setChecked(True)
        b.setFocus()
        self._emit(False)
        return True

    def _emit(self, debounced: bool) -> None:
        if not self._loading:
            self.edited.emit(self.value(), debounced)

    def _essay_changed(self) -> None:
        if self._loading or self.essay is None or self.question is None:
            return
        text = self.essay.toPlainText()
        if len(text) > self.question.max_chars:
            # keep what fits: the server would reject an over-long answer as a whole
            cursor = self.essay.textCursor()
            pos = cursor.position()
            self._loading = True
            self.essay.setPlainText(text[: self.question.max_chars])
            cursor = self.essay.textCursor()
            cursor.setPosition(min(pos, self.question.max_chars))
            self.essay.setTextCursor(cursor)
            self._loading = False
        self._update_count()
        self._emit(True)

    def _update_count(self) -> None:
        if self.essay is None or self.count is None or self.question is None:
            return
        n = len(self.essay.toPlainText())
        limit = self.question.max_chars
        self.count.setText(self.tr("%1 / %2 characters").replace("%1", str(n)).replace("%2", str(limit)))
        self.count.setStyleSheet("color: %s;" % (theme.DANGER if n >= limit else theme.MUTED))
