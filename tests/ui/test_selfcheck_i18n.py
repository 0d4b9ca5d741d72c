"""The wizard speaks the UI's language: its own translator follows client.ui.language."""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest

from client.ui import language
from client.ui.selfcheck import SelfCheckWizard
from client.ui.selfcheck.translation import qm_path, sync_translator


@pytest.mark.parametrize("lang", ("zh_CN", "en"))
def test_every_wizard_message_is_translated_and_the_qm_is_current(lang):
    qm = qm_path(lang)
    ts = qm[:-3] + ".ts"
    messages = list(ET.parse(ts).getroot().iter("message"))
    assert len(messages) >= 50
    untranslated = []
    for m in messages:
        tr = m.find("translation")
        text = (tr.text or "") + "".join(f.text or "" for f in tr.iter("numerusform"))
        if tr.get("type") in ("unfinished", "obsolete", "vanished") or not text.strip():
            untranslated.append(m.find("source").text)
        if "%1" in (m.find("source").text or ""):
            assert "%1" in text, "placeholder lost in %r" % m.find("source").text
    assert untranslated == []
    assert os.path.getmtime(qm) >= os.path.getmtime(ts) - 2


def test_wizard_follows_the_ui_language(qtbot):
    try:
        language.install("zh_CN")
        zh = SelfCheckWizard(None, None, {}, camera="none.mp4", server_url="")
        qtbot.addWidget(zh)
        assert zh.title.text() == "设备自检" and zh.stepper.labels["microphone"].text() == "2  麦克风"
        assert zh.step.accessibleName() == "第 1 步，共 5 步：摄像头"
        zh.go("summary")
        assert zh.next_button.text() == "完成" and zh.summary_page.title.text() == "自检结果"
        language.install("en")
        en = SelfCheckWizard(None, None, {}, camera="none.mp4", server_url="")
        qtbot.addWidget(en)
        assert en.step.accessibleName() == "Step 1 of 5: Camera" and en.title.text() == "Equipment self-check"
        en.go("microphone")
        assert en.next_button.text() == "Start" and en.mic_page.sentence.text().startswith("I have read")
        en.mic_page.details.fill(en.all_results())
        assert en.mic_page.details.toggle.text() == "Show all 4 results"   # English plurals from its catalogue
    finally:
        language.install(language.DEFAULT_LANGUAGE)
        sync_translator()
