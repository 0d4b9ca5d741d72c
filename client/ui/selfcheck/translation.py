"""The wizard's own Qt translator (client/ui/i18n/selfcheck_<lang>.qm), kept in step with the UI language.
Called whenever a wizard is built (the main window rebuilds its pages on a language switch). The English
catalogue only gives the plural forms of the English source strings."""
from __future__ import annotations

import logging
import os
from typing import Any, Dict, Optional

from client.qt import QCoreApplication, QTranslator

log = logging.getLogger(__name__)
I18N = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n")
QM = os.path.join(I18N, "selfcheck_zh_CN.qm")
_state: Dict[str, Any] = {"translator": None, "lang": None}


def qm_path(lang: str) -> str:
    return os.path.join(I18N, "selfcheck_%s.qm" % lang)


def ui_language() -> str:
    try:
        from client.ui import language

        return language.current()
    except Exception:  # noqa: BLE001 - no language module: the product default
        return "zh_CN"


def sync_translator(lang: Optional[str] = None) -> bool:
    """True when the Chinese translator is installed after the call."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    want = "zh_CN" if (lang or ui_language()) == "zh_CN" else "en"
    if _state["lang"] == want and _state["translator"] is not None:
        return want == "zh_CN"
    if _state["translator"] is not None:
        app.removeTranslator(_state["translator"])
        _state["translator"], _state["lang"] = None, None
    t = QTranslator(app)
    if not t.load(qm_path(want)):
        log.error("self-check translation could not be loaded from %s", qm_path(want))
        return False
    app.installTranslator(t)
    _state["translator"], _state["lang"] = t, want
    return want == "zh_CN"
