"""The wizard speaks the UI's language: its own translator follows client.ui.language."""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET

from client.ui import language
from client.ui.selfcheck import SelfCheckWizard
from client.ui.selfcheck.translation import QM, sync_translator


def test_every_wizard_message_is_translated_and_the_qm_is_current():
    ts = QM[:-3] + ".ts"
    messages = list(ET.parse(ts).getroot().iter("message"))
    assert len(messages) >= 50
    untranslated = [m.find("source").text for m in messages
                    if m.find("translation").get("type") == "unfinished" or not (m.find("translation").text or "").strip()]
    assert untranslated == []
    assert os.path.getmtime(QM) >= os.path.getmtime(ts)


def test_wizard_follows_the_ui_language(qtbot):
    try:
        language.install("zh_CN")
        zh = SelfCheckWizard(None, None, {}, camera="none.mp4", server_url="")
        qtbot.addWidget(zh)
        assert zh.next_button.text() == "下一步" and zh.summary_page.finish_button.text() == "完成"
        assert "第 1 步" in zh.step.text()
        language.install("en")
        en = SelfCheckWizard(None, None, {}, camera="none.mp4", server_url="")
        qtbot.addWidget(en)
        assert en.next_button.text() == "Next" and en.step.text() == "Step 1 of 5"
    finally:
        language.install(language.DEFAULT_LANGUAGE)
        sync_translator()
