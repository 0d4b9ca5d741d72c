"""Contrast (WCAG AA: 4.5:1 for text, 3:1 for states and control edges), measured twice: over the theme's
declared colour pairs, and on the rendered screens (the text colour found in the pixels against the
background it sits on). Also: a flag stays visible on the current question, and nothing moves when a
question is answered, flagged or left."""
from __future__ import annotations

from collections import Counter
from typing import Any, List, Tuple

import pytest

from client.exam import api
from client.qt import QAbstractButton, QApplication, QLabel, QPoint, QRect, QWidget
from client.ui import language, theme
from client.ui.exam_page import ExamPage
from client.ui.finish import ReceiptPage
from client.ui.main_window import ExamDeskWindow
from client.ui.navigator import NavCell
from tests.helpers.fake_engine import FakeEngine

TEXT_AA = 4.5
STATE_AA = 3.0


@pytest.fixture(autouse=True)
def styled(qapp):
    theme.apply(qapp)
    language.install("zh_CN")
    yield
    qapp.setStyleSheet("")


def colours(widget: QWidget, rect: QRect = None) -> Counter:  # type: ignore[assignment]
    img = (widget.grab(rect) if rect is not None else widget.grab()).toImage()
    out: Counter = Counter()
    for y in range(img.height()):
        for x in range(img.width()):
            out[img.pixelColor(x, y).name()] += 1
    return out


def rendered_contrast(widget: QWidget, rect: QRect = None) -> Tuple[float, str, str]:  # type: ignore[assignment]
    """(ratio, text colour, background): the background is the commonest colour, the text what stands out
    most from it, taken as the third most distant pixel (a glyph's core reaches its full colour; one or two
    stray pixels do not count)."""
    found = colours(widget, rect)
    bg = found.most_common(1)[0][0]
    ranked = sorted(((theme.contrast(c, bg), c) for c, n in found.items() for _ in range(min(n, 3))), reverse=True)
    ratio, fg = ranked[2] if len(ranked) > 2 else (1.0, bg)
    return ratio, fg, bg


def test_every_declared_text_pair_meets_aa():
    low = [(what, fg, bg, round(theme.contrast(fg, bg), 2)) for what, fg, bg in theme.TEXT_PAIRS
           if theme.contrast(fg, bg) < TEXT_AA]
    assert low == []
    low = [(what, fg, bg, round(theme.contrast(fg, bg), 2)) for what, fg, bg in theme.STATE_PAIRS
           if theme.contrast(fg, bg) < STATE_AA]
    assert low == []
    assert theme.contrast("#ffffff", "#000000") == pytest.approx(21.0)     # the formula itself
    assert theme.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def exam_window(qtbot) -> Tuple[ExamDeskWindow, FakeEngine]:
    engine = FakeEngine()
    window = ExamDeskWindow(engine)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    engine.set_state(api.IN_EXAM)
    window.on_paper(engine.start_exam())
    return window, engine


def labelled(root: QWidget) -> List[QWidget]:
    """Every visible label and button with text under `root` (not the camera picture)."""
    out = []
    for w in root.findChildren(QWidget):
        if isinstance(w, (QLabel, QAbstractButton)) and w.isVisible() and w.text().strip() and \
                w.objectName() != "cameraThumb" and w.width() > 4 and w.height() > 4:
            out.append(w)
    return out


def low_contrast(window: QWidget, root: QWidget) -> List[Tuple[str, str, float]]:
    problems = []
    for w in labelled(root):
        if w.visibleRegion().boundingRect() != w.rect():
            continue   # scrolled out of view, partly or wholly: what is on screen there is something else
        rect = QRect(w.mapTo(window, QPoint(0, 0)), w.size())
        ratio, fg, bg = rendered_contrast(window, rect)
        if ratio < TEXT_AA:
            problems.append((w.objectName() or w.text()[:20], "%s on %s" % (fg, bg), round(ratio, 2)))
    return problems


def test_the_exam_screen_as_rendered_meets_aa(qtbot):
    window, engine = exam_window(qtbot)
    exam = window.exam
    exam.go(0)
    exam.view.choose(1)
    exam.go(2)
    exam.toggle_flag()
    exam.go(1)                          # answered, flagged, current and plain cells all on screen
    for status in (api.SyncStatus(True, "", 0, 0, 9), api.SyncStatus(True, "", 5, 0, 9, None, 2),
                   api.SyncStatus(False, "refused", 5, 0, 9, None, 2)):
        exam.header.set_sync(status)
        for remaining in (3600, 600, 120):         # normal, amber, red countdown
            exam.header.set_remaining(remaining)
            QApplication.processEvents()
            assert low_contrast(window, exam) == [], (status, remaining)
    exam.stop()


def test_screens_around_the_exam_as_rendered_meet_aa(qtbot):
    window, engine = exam_window(qtbot)
    window.exam.stop()
    page = window.receipt_page
    window.show_page(page)
    page.set_sealed("candidate")
    page.set_receipt(api.Receipt("sub-1", "s-1", 9, "ab" * 32, 1764350000000, True))
    page.on_sync(api.SyncStatus(True, "", 0, 0, 9))
    QApplication.processEvents()
    assert page.progress.value() == page.progress.maximum()
    ratio, fg, bg = rendered_contrast(page.progress)   # "100%" over the full bar: was dark on dark blue
    assert ratio >= TEXT_AA, (fg, bg)
    assert low_contrast(window, page) == []
    window.waiting.set_sittings(engine.sittings())
    window.show_page(window.waiting)
    QApplication.processEvents()
    assert low_contrast(window, window.waiting) == []        # the disabled Start button included
    window.show_page(window.login)
    QApplication.processEvents()
    assert low_contrast(window, window.login) == []


def test_the_self_check_as_rendered_meets_aa(qtbot, tmp_path):
    from client.ui.selfcheck import SelfCheckWizard

    w = SelfCheckWizard(None, None, {"forbidden_processes": []}, camera=str(tmp_path / "unplugged.mp4"),
                        server_url="http://127.0.0.1:9", display_count=lambda: 1, data_dir=tmp_path)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitUntil(lambda: "camera" in w.results, timeout=30000)   # failed: red verdict, fixes
    QApplication.processEvents()
    assert low_contrast(w, w.camera_page) == []
    w.go("summary")
    QApplication.processEvents()
    qtbot.waitUntil(lambda: w.summary_page.rerun.get("camera") is not None and
                    w.summary_page.rerun["camera"].isVisible(), timeout=10000)
    assert low_contrast(w, w.summary_page) == []


def amber_pixels(widget: QWidget) -> int:
    amber = theme.AMBER.lower()
    return sum(n for c, n in colours(widget).items() if c == amber)


@pytest.mark.parametrize("answered", [False, True])
def test_a_flag_shows_on_the_current_question(qtbot, answered):
    cell = NavCell(3)
    qtbot.addWidget(cell)
    cell.show()
    cell.set_look(answered=answered, current=True, flagged=False)
    assert amber_pixels(cell) == 0
    cell.set_look(answered=answered, current=True, flagged=True)
    assert amber_pixels(cell) >= 20                      # the corner mark, over the blue frame
    cell.set_look(answered=answered, current=False, flagged=True)
    assert amber_pixels(cell) >= 20


def geometry(page: ExamPage, widgets: List[QWidget]) -> List[Any]:
    return [(w.objectName(), w.mapTo(page, QPoint(0, 0)), w.size()) for w in widgets]


def test_nothing_moves_when_a_question_is_answered_flagged_or_left(qtbot):
    window, engine = exam_window(qtbot)
    exam = window.exam
    watched = exam.navigator.cells + [exam.prev_button, exam.flag_button, exam.next_button, exam.font_smaller,
                                      exam.font_larger, exam.submit_button, exam.navigator.summary]
    QApplication.processEvents()
    before = geometry(exam, watched)
    exam.toggle_flag()                    # flag the current question
    QApplication.processEvents()
    assert geometry(exam, watched) == before
    exam.view.choose(0)                   # answer it
    QApplication.processEvents()
    assert geometry(exam, watched) == before
    exam.go(2)                            # another one becomes current
    exam.toggle_flag()
    QApplication.processEvents()
    assert geometry(exam, watched) == before
    exam.flag_button.setFocus()           # the focus ring does not push its neighbours either
    QApplication.processEvents()
    assert geometry(exam, watched) == before
    exam.stop()


def test_scrollbars_have_a_dark_thumb_on_a_light_track(qtbot):
    page = ReceiptPage(FakeEngine())
    qtbot.addWidget(page)
    from client.qt import QTextBrowser

    box = QTextBrowser()
    qtbot.addWidget(box)
    box.setPlainText("\n".join("第 %d 行" % i for i in range(200)))
    box.resize(300, 200)
    box.show()
    QApplication.processEvents()
    bar = box.verticalScrollBar()
    found = colours(bar)
    assert found[theme.THUMB.lower()] > 50 and found[theme.TRACK.lower()] > 50
    assert theme.contrast(theme.THUMB, theme.TRACK) >= STATE_AA
