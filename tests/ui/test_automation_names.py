"""Automation and accessibility: every objectName in the live widget tree of every screen is documented in
docs/ui-automation.md, every interactive widget is named for automation and for screen readers, and the login
and exam can be driven from the keyboard alone."""
from __future__ import annotations

import os
import re

from client.qt import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    Qt,
    QTextBrowser,
    QWidget,
)
from client.ui.main_window import ExamDeskWindow
from tests.helpers.fake_engine import FakeEngine
from tests.ui.screens import all_names, build_screens

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "ui-automation.md")
INTERACTIVE = (QAbstractButton, QLineEdit, QPlainTextEdit, QTextBrowser, QListWidget, QProgressBar)


def documented() -> set:
    with open(DOC, encoding="utf-8") as f:
        return set(re.findall(r"`([A-Za-z][A-Za-z0-9_]*\*?)`", f.read()))


def test_every_live_object_name_is_documented(qtbot):
    names = all_names(qtbot)
    assert {"login", "consent", "waiting", "exam", "submit", "receipt", "mock_result", "documents"} <= set(names)
    doc = documented()
    missing = {screen: [n for n in found if n not in doc] for screen, found in names.items()}
    assert {k: v for k, v in missing.items() if v} == {}


def test_interactive_widgets_have_object_and_accessible_names(qtbot):
    problems = []
    for screen, root in build_screens(qtbot):
        for w in root.findChildren(QWidget):
            if not isinstance(w, INTERACTIVE) or w.objectName().startswith("qt_") or not w.isVisibleTo(root):
                continue
            spoken = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
            if not w.objectName() or not spoken.strip():
                problems.append((screen, type(w).__name__, w.objectName(), spoken))
    assert problems == []


def test_login_by_keyboard_alone(qtbot):
    engine = FakeEngine()
    window = ExamDeskWindow(engine)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.login.ticket)
    qtbot.keyClicks(QApplication.focusWidget(), "T0001")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "110101199001010011")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "secret")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.consent)
    assert engine.candidate().ticket == "T0001"


def test_missing_fields_are_named_not_sent(qtbot):
    engine = FakeEngine()
    window = ExamDeskWindow(engine)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login)
    qtbot.mouseClick(window.login.login_button, Qt.LeftButton)
    assert window.login.error.isVisible() and window.login.error.text()
    assert engine.state() == "logged_out"
