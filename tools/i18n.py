#!/usr/bin/env python3
"""Refresh the UI translations: pyside6-lupdate (sources -> .ts), fill new messages, pyside6-lrelease.

Two catalogues: `examdesk` (client/ui/*.py and client/ui/phone/*.py; zh_CN and en) and `selfcheck` (client/ui/selfcheck/*.py; zh_CN,
loaded by the wizard's own translator). Source strings are English. zh_CN messages are seeded from
tools/i18n_zh_CN.py; en translates each string to itself (with singular/plural forms for %n). Existing translations are never overwritten, so a
translator's edits in Qt Linguist survive. Exit 1 if any message is left untranslated.

    .venv/bin/python tools/i18n.py
"""
from __future__ import annotations

import glob
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
I18N = os.path.join(ROOT, "client", "ui", "i18n")
BIN = os.path.dirname(sys.executable)
sys.path.insert(0, os.path.join(ROOT, "tools"))
from i18n_zh_CN import ZH, ZH_SELFCHECK  # noqa: E402

# catalogue name -> (source files glob, languages, zh_CN seed table)
CATALOGUES = {
    "examdesk": ([os.path.join(ROOT, "client", "ui", "*.py"), os.path.join(ROOT, "client", "ui", "phone", "*.py")],
                 ("zh_CN", "en"), ZH),
    "selfcheck": ([os.path.join(ROOT, "client", "ui", "selfcheck", "*.py")], ("zh_CN", "en"), ZH_SELFCHECK),
}


def tool(name: str) -> str:
    path = os.path.join(BIN, name)
    return path if os.path.exists(path) else name


def english(source: str, numerus: bool) -> list:
    if numerus:
        return [source.replace("(s)", ""), source.replace("(s)", "s")]
    return [source]


def fill(ts_path: str, lang: str, zh: dict) -> list:
    tree = ET.parse(ts_path)
    missing = []
    for msg in tree.getroot().iter("message"):
        source = msg.find("source").text or ""
        numerus = msg.get("numerus") == "yes"
        tr = msg.find("translation")
        if tr is None:
            tr = ET.SubElement(msg, "translation")
        done = tr.get("type") not in ("unfinished",) and (tr.text or list(tr))
        if done:
            continue
        if lang == "en":
            forms = english(source, numerus)
        elif source in zh:
            forms = [zh[source]]
        else:
            missing.append(source)
            continue
        for child in list(tr):
            tr.remove(child)
        tr.attrib.pop("type", None)
        if numerus:
            tr.text = None
            for form in forms:
                ET.SubElement(tr, "numerusform").text = form
        else:
            tr.text = forms[0]
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    return missing


def main() -> int:
    bad = 0
    for name, (patterns, langs, zh) in CATALOGUES.items():
        sources = sorted(f for pattern in patterns for f in glob.glob(pattern))
        for lang in langs:
            ts = os.path.join(I18N, "%s_%s.ts" % (name, lang))
            subprocess.run([tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources, "-ts", ts,
                            "-target-language", lang], check=True, cwd=ROOT)
            missing = fill(ts, lang, zh)
            for m in missing:
                print("untranslated (%s, %s): %r" % (name, lang, m))
            bad += len(missing)
            subprocess.run([tool("pyside6-lrelease"), ts, "-qm", ts[:-3] + ".qm"], check=True, cwd=ROOT)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
