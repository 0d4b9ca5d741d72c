"""Every screen of the journey built on the fake engine, for the automation-names and accessibility tests."""
from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Set, Tuple

from client.exam import api
from client.qt import QWidget
from client.ui.finish import SubmitDialog
from client.ui.lockdown_dialog import PreflightDialog
from client.ui.main_window import ExamDeskWindow
from tests.helpers.fake_engine import FakeEngine
from tests.helpers.fake_lockdown import FakeLockdown, blocked_by_program

DYNAMIC = re.compile(r"^(option|blank|navCell|waiting|submitUnanswered|submitFlagged|selfcheck_step|"
                     r"selfcheck_areaStatus|selfcheck_fix|selfcheck_fixArea|selfcheck_fixItems|selfcheck_rerun)_.+$")
# the parts every self-check step has, named after its area: documented once as selfcheck_AREA...
PER_AREA = re.compile(r"^selfcheck_(camera|phone|microphone|network|system|summary|overall|fixItems_[a-z]+)"
                      r"(Verdict\w*|Issues\w*|Details\w*|Results|Page|Title|Intro)$")


def normalise(name: str) -> str:
    """Names made per question or per row are documented as patterns: option_A -> option_*."""
    m = PER_AREA.match(name)
    if m:
        return "selfcheck_AREA" + m.group(2)
    m = DYNAMIC.match(name)
    return m.group(1) + "_*" if m else name


def names_in(root: QWidget) -> Set[str]:
    out = {root.objectName()}
    for w in root.findChildren(QWidget):
        out.add(w.objectName())
    return {normalise(n) for n in out if n and not n.startswith("qt_")}


def build_screens(qtbot: Any) -> Iterator[Tuple[str, QWidget]]:
    """(screen name, root widget) for every screen, each in a state that shows all its widgets."""
    engine = FakeEngine(level="中级")
    engine.windows = [{"part": "practical", "sitting_id": "s-1", "deadline_ms": 1767225600000, "working_days": 10,
                       "max_bytes": 20 * 1024 * 1024, "documents": [{"filename": "plan.pdf", "verified": True}]}]
    window = ExamDeskWindow(engine)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login)
    yield "login", window.login
    window.banner.show_message("…")
    yield "window", window
    yield "consent", window.consent
    window.install_selfcheck()
    wizard = window.selfcheck
    for area in ("camera", "microphone", "network", "system", "summary"):   # every step's page, shown
        wizard.go(area)
    yield "selfcheck", wizard
    mock = api.SittingInfo("s-2", "r-2", "theory", "mock", "模拟考试", "中级", 0, 7200, 0, 1, False, "scheduled")
    window.waiting.set_sittings([engine.sitting, mock], has_documents=True)
    yield "waiting", window.waiting
    preflight = PreflightDialog(FakeLockdown(), blocked_by_program(), window)
    qtbot.addWidget(preflight)
    preflight.show()
    yield "preflight", preflight
    preflight.close()
    engine.set_state(api.IN_EXAM)
    window.on_paper(engine.start_exam())
    window.exam.proctor_banner.show_message("…")
    window.exam.warning_banner.show_message("…")
    for i in range(len(engine.paper.questions)):  # every question kind builds its own widgets
        window.exam.go(i)
        yield "exam", window.exam
    dialog = SubmitDialog({"unanswered": 2, "flagged": 1, "total": 5, "unanswered_numbers": [2, 4],
                           "flagged_numbers": [3]}, window)
    qtbot.addWidget(dialog)
    yield "submit", dialog
    window.receipt_page.set_sealed("candidate")
    window.receipt_page.documents_button.show()
    yield "receipt", window.receipt_page
    window.mock_result.show_result(FakeEngine(kind="mock").paper, {"q1": "B"})
    yield "mock_result", window.mock_result
    window.documents.set_windows(engine.windows)
    window.documents.progress.show()
    yield "documents", window.documents
    window.pair_phone_again()                      # the exam's re-pair dialog (the header's phone light)
    assert window.phone_dialog is not None
    yield "phone_dialog", window.phone_dialog
    window.phone_dialog.close()
    from client.ui.selfcheck.phone_page import PhonePage

    step = PhonePage(engine)                       # the self-check's second-camera step
    qtbot.addWidget(step)
    step.show()
    yield "phone_step", step
    window.exam.stop()


def all_names(qtbot: Any) -> Dict[str, List[str]]:
    seen: Dict[str, Set[str]] = {}
    for screen, root in build_screens(qtbot):
        seen.setdefault(screen, set()).update(names_in(root))
    return {k: sorted(v) for k, v in seen.items()}
