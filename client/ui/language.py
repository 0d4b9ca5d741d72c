"""UI language: Qt Linguist translators (zh_CN default, en) and the engine's bilingual messages.

Source strings in the code are English; `i18n/examdesk_zh_CN.qm` turns them into Chinese."""
from __future__ import annotations

import logging
import os
from typing import Any, Optional

from client.qt import QApplication, QCoreApplication, QTranslator

log = logging.getLogger(__name__)

I18N_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "i18n")
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"

_current_lang = DEFAULT_LANGUAGE
_translator: Optional[QTranslator] = None  # the installed one, removed on the next switch


def qm_path(lang: str) -> str:
    return os.path.join(I18N_DIR, "examdesk_%s.qm" % lang)


def normalise(lang: Optional[str]) -> str:
    text = (lang or "").replace("-", "_").lower()
    return "en" if text.startswith("en") else DEFAULT_LANGUAGE


def install(lang: Optional[str], app: Optional[QCoreApplication] = None) -> bool:
    """Switch the application's translator; False (and English strings) if the .qm cannot load."""
    global _current_lang, _translator
    app = app or QApplication.instance()
    lang = normalise(lang)
    old = _translator
    if old is not None and app is not None:
        app.removeTranslator(old)
    _translator = None
    _current_lang = lang
    translator = QTranslator(app)
    if not translator.load(qm_path(lang)):
        log.error("translation %s could not be loaded from %s", lang, qm_path(lang))
        return False
    if app is not None:
        app.installTranslator(translator)
    _translator = translator
    return True


def current() -> str:
    return _current_lang


def is_chinese() -> bool:
    return current() == "zh_CN"


def bilingual(zh: str, en: str) -> str:
    """A message from the engine or a check: the current language first, the other one after it."""
    return zh if is_chinese() else en


def error_text(error: Any) -> str:
    """Readable text of an EngineError (or any exception) in the current language."""
    zh = getattr(error, "message_zh", None)
    en = getattr(error, "message_en", None)
    if zh or en:
        return bilingual(zh or en or "", en or zh or "")
    return bilingual("发生错误：%s" % error, "Something went wrong: %s" % error)
