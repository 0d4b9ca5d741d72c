"""`examdesk --self-test`: proves an installed or frozen build has every working part, without a server.

Used by the installer builds and their smoke test, and by support staff on a candidate's PC
(`ExamDesk-console.exe --self-test` prints in cmd/PowerShell). It prints one JSON object, exits 0 only
when every part works, and leaves nothing behind."""
from __future__ import annotations

import json
import os
import shutil
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

    from client.monitor.detectors import default_detector
    from client.monitor.frame_analysis import HaarFaceDetector

    black = np.zeros((240, 320, 3), dtype=np.uint8)
    if HaarFaceDetector().detect(black[:, :, 0]):
        raise RuntimeError("the Haar cascade found a face in a black picture")
    detector = default_detector()          # the one the exam uses: yuface where its wheel is, else Haar
    if detector.faces(black):
        raise RuntimeError("%s found a face in a black picture" % detector.name)
    return "%s, opencv %s" % (detector.name, cv2.__version__)


def _voice_detector() -> str:
    import numpy as np

    from client.monitor.voice import FRAME, default_vad

    vad = default_vad()
    if any(vad.voiced(np.zeros((4, FRAME), dtype=np.int16))):
        raise RuntimeError("%s heard a voice in silence" % vad.name)
    return vad.name


def _journal() -> str:
    from client.sync.journal import AnswerJournal

    folder = tempfile.mkdtemp(prefix="examdesk-selftest-")
    try:
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
    finally:
        shutil.rmtree(folder, ignore_errors=True)   # nothing of the self-test stays in %TEMP%
    return "durable write %.1f ms" % ms


def _crypto() -> str:
    import cryptography
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    key.public_key().verify(key.sign(b"examdesk"), b"examdesk")
    return "cryptography %s" % cryptography.__version__


def _config() -> str:
    """Which server this build talks to (build defaults < config file < environment), for support staff."""
    from client.config import load_config

    config = load_config([], environ=dict(os.environ))
    if config.ca_cert and not os.path.isfile(config.ca_cert):
        raise RuntimeError("the server's CA certificate is missing: %s" % config.ca_cert)
    return "server %s%s" % (config.server_url, ", CA %s" % os.path.basename(config.ca_cert) if config.ca_cert else "")


CHECKS: List[Tuple[str, Callable[[], str]]] = [("qt", _qt), ("face_detector", _face_detector),
                                               ("voice_detector", _voice_detector), ("journal", _journal),
                                               ("crypto", _crypto), ("config", _config)]


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
