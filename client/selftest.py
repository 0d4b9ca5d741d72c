"""`examdesk --self-test`: proves an installed or frozen build has every working part, without a server.

Used by installer/build-windows.ps1 after PyInstaller and by support staff on a candidate's PC. It
prints one JSON object and exits 0 only when every part works."""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import traceback
from typing import Any, Callable, Dict, List, Tuple


def _qt() -> str:
    from client.qt import QT_BINDING, QApplication, QLabel, QTranslator

    app = QApplication.instance() or QApplication(["examdesk-self-test"])
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ui", "i18n")
    tr = QTranslator()
    if not tr.load(os.path.join(here, "examdesk_zh_CN.qm")):
        raise RuntimeError("zh_CN translation missing in " + here)
    label = QLabel("ExamDesk")
    label.deleteLater()
    app.processEvents()
    return QT_BINDING


def _face_detector() -> str:
    import cv2
    import numpy as np

    from client.monitor.frame_analysis import HaarFaceDetector

    detector = HaarFaceDetector()
    found = detector.detect(np.zeros((240, 320), dtype=np.uint8))
    if found:
        raise RuntimeError("a face found in a black picture")
    return "opencv %s" % cv2.__version__


def _journal() -> str:
    from client.sync.journal import AnswerJournal

    folder = tempfile.mkdtemp(prefix="examdesk-selftest-")
    path = os.path.join(folder, "journal.sqlite3")
    journal = AnswerJournal(path)
    try:
        t0 = time.perf_counter()
        op = journal.append("self-test", "answer", {"question_id": "q1", "value": "A"}, 0, int(time.time() * 1000))
        ms = (time.perf_counter() - t0) * 1000
    finally:
        journal.close()
    reopened = AnswerJournal(path)
    try:
        if reopened.head("self-test")[0] != op.seq:
            raise RuntimeError("the journal lost its write")
    finally:
        reopened.close()
    return "durable write %.1f ms" % ms


def _crypto() -> str:
    import cryptography
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    key.public_key().verify(key.sign(b"examdesk"), b"examdesk")
    return "cryptography %s" % cryptography.__version__


CHECKS: List[Tuple[str, Callable[[], str]]] = [("qt", _qt), ("face_detector", _face_detector), ("journal", _journal), ("crypto", _crypto)]


def run_self_test() -> Dict[str, Any]:
    results: Dict[str, Any] = {}
    for name, check in CHECKS:
        try:
            results[name] = {"ok": True, "detail": check()}
        except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the others
            results[name] = {"ok": False, "detail": "%s: %s" % (type(e).__name__, e),
                             "trace": traceback.format_exc(limit=3)}
    return {"ok": all(r["ok"] for r in results.values()), "python": sys.version.split()[0],
            "platform": sys.platform, "checks": results}


def main() -> int:
    report = run_self_test()
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if report["ok"] else 1
