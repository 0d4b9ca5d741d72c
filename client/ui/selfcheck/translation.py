"""The wizard's own Qt translator (client/ui/i18n/selfcheck_zh_CN.qm), kept in step with the UI language:
installed while the UI speaks Chinese, removed for English. Called whenever a wizard is built (the main
window rebuilds its pages on a language switch)."""
from __future__ import annotations

import logging
import os
from typing import Any, Dict, Optional

from client.qt import QCoreApplication, QTranslator

log = logging.getLogger(__name__)
QM = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n", "selfcheck_zh_CN.qm")
_state: Dict[str, Any] = {"translator": None}


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
    want = (lang or ui_language()) == "zh_CN"
    current = _state["translator"]
    if current is not None and not want:
        app.removeTranslator(current)
        _state["translator"] = None
    elif current is None and want:
        t = QTranslator(app)
        if not t.load(QM):
            log.error("self-check translation could not be loaded from %s", QM)
            return False
        app.installTranslator(t)
        _state["translator"] = t
    return _state["translator"] is not None
