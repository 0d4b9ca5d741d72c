"""Translations: every message in both .ts files is translated, the committed .qm files load and are current,
and the window speaks Chinese by default and switches to English live from the login screen."""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest

from client.qt import QCoreApplication, QPushButton, Qt, QTranslator
from client.ui import language
from client.ui.main_window import ExamDeskWindow
from tests.helpers.fake_engine import FakeEngine

LANGS = ("zh_CN", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated(lang):
    tree = ET.parse(os.path.join(language.I18N_DIR, "examdesk_%s.ts" % lang))
    messages = list(tree.getroot().iter("message"))
    assert len(messages) > 100
    untranslated = []
    for m in messages:
        tr = m.find("translation")
        text = (tr.text or "") + "".join(f.text or "" for f in tr.iter("numerusform"))
        if tr.get("type") in ("unfinished", "obsolete", "vanished") or not text.strip():
            untranslated.append(m.find("source").text)
        if "%1" in (m.find("source").text or ""):
            assert "%1" in text, "placeholder lost in %r" % m.find("source").text
    assert untranslated == []


@pytest.mark.parametrize("lang", LANGS)
def test_qm_loads_and_translates(qapp, lang):
    t = QTranslator()
    assert t.load(language.qm_path(lang))
    got = t.translate("LoginPage", "Log in")
    assert got == ("登录" if lang == "zh_CN" else "Log in")
    assert os.path.getmtime(language.qm_path(lang)) >= os.path.getmtime(
        os.path.join(language.I18N_DIR, "examdesk_%s.ts" % lang)) - 2  # compiled from the current .ts


def test_chinese_by_default_then_english_live(qtbot):
    assert language.install("zh_CN")
    try:
        window = ExamDeskWindow(FakeEngine())
        qtbot.addWidget(window)
        window.show()
        window.start()
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login)
        login = window.login
        assert login.findChild(QPushButton, "loginButton").text() == "登录"
        assert QCoreApplication.translate("ExamPage", "Next →") == "下一题 →"
        qtbot.mouseClick(login.findChild(QPushButton, "languageButton"), Qt.LeftButton)
        assert language.current() == "en"
        assert window.login is not login  # rebuilt in the new language
        assert window.login.findChild(QPushButton, "loginButton").text() == "Log in"
        assert window.login.findChild(QPushButton, "languageButton").text() == "中文"
    finally:
        language.install("zh_CN")


def test_engine_messages_follow_the_language():
    from client.exam.api import EngineError

    e = EngineError("auth.invalid_credentials", "准考证号或密码错误", "wrong ticket or password")
    language.install("zh_CN")
    assert language.error_text(e) == "准考证号或密码错误"
    language.install("en")
    assert language.error_text(e) == "wrong ticket or password"
    language.install("zh_CN")
