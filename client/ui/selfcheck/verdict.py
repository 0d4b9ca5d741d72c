"""How a step shows its result: a large verdict (pass / attention / failed / not measured / checking), the
few items that matter in plain words with their fixes, and every item on demand. No check ids on screen:
items carry them in Qt.UserRole for tests and support tools."""
from __future__ import annotations

from typing import List, Optional, Sequence

from client.monitor.results import CheckResult
from client.qt import (
    QColor,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    Qt,
    QVBoxLayout,
    QWidget,
)
from client.ui import theme
from client.ui.common import button, set_role
from client.ui.selfcheck.names import ICON, check_name

USER_ROLE = 256   # Qt.UserRole
ORDER = {"fail": 0, "warn": 1, "skip": 2, "pass": 3}
LOOK = {  # status -> (text colour, background)
    "pass": (theme.GOOD, theme.GOOD_BG), "warn": (theme.AMBER, theme.WARN_BG), "fail": (theme.DANGER, theme.ALERT_BG),
    "skip": (theme.SKIP, theme.PAPER), "busy": (theme.ACCENT_DARK, theme.INFO_BG),
}
COLOUR = {k: v[0] for k, v in LOOK.items()}


def text_of(zh: str, en: str) -> str:
    try:
        from client.ui.language import bilingual

        return bilingual(zh, en)
    except Exception:  # noqa: BLE001 - the language module is optional for the wizard
        return zh or en


def name_of(r: CheckResult) -> str:
    return text_of(*check_name(r.id))


def problems(results: Sequence[CheckResult]) -> List[CheckResult]:
    """What is not a pass, the most serious first (stable within a status)."""
    return sorted((r for r in results if r.status != "pass"), key=lambda r: ORDER[r.status])


class VerdictPanel(QFrame):
    """The step's verdict in large type on a tinted panel."""

    def __init__(self, name: str, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 12, 16, 12)
        row.setSpacing(14)
        self.icon = QLabel("")
        self.icon.setObjectName(name + "Icon")
        self.icon.setFixedWidth(44)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        theme.scaled(self.icon, 2.2, bold=True)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(2)
        self.headline = QLabel("")
        self.headline.setObjectName(name + "Headline")
        self.headline.setWordWrap(True)
        theme.scaled(self.headline, 1.3, bold=True)
        self.detail = QLabel("")
        self.detail.setObjectName(name + "Detail")
        self.detail.setWordWrap(True)
        column.addWidget(self.headline)
        column.addWidget(self.detail)
        row.addLayout(column, 1)
        self.status = ""
        self.set_state("busy", "", "")

    def set_state(self, status: str, headline: str, detail: str = "") -> None:
        self.status = status
        fg, bg = LOOK[status]
        self.setProperty("status", status)
        self.setStyleSheet("QFrame#%s { background: %s; border: 1px solid %s; border-radius: 8px; }"
                           " QFrame#%s QLabel { color: %s; background: transparent; border: none; }"
                           % (self.objectName(), bg, fg, self.objectName(), theme.INK))
        self.icon.setText({"busy": "…"}.get(status, ICON.get(status, "")))
        self.icon.setStyleSheet("color: %s;" % fg)
        self.headline.setStyleSheet("color: %s;" % fg)
        self.headline.setText(headline)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.setAccessibleName(headline + ("  " + detail if detail else ""))


class IssueList(QWidget):
    """The few items that matter (not passed), each: its name and what was found, then what to do."""

    LIMIT = 3

    def __init__(self, name: str, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(10)
        self.rows: List[QLabel] = []

    def show_items(self, results: Sequence[CheckResult], keys: Sequence[str] = ()) -> List[CheckResult]:
        """The problems (at most LIMIT); with none, what the `keys` checks found (a pass in plain words)."""
        shown_now = [(r.id, r.status, r.message_zh, r.message_en) for r in results]
        if shown_now == getattr(self, "_last", None) and tuple(keys) == getattr(self, "_keys", None):
            return problems(results)[:self.LIMIT]   # a live verdict repeats itself: nothing to redraw
        self._last, self._keys = shown_now, tuple(keys)
        for w in self.rows:
            w.setParent(None)
            w.deleteLater()
        self.rows = []
        if not problems(results) and keys:
            by_id = {r.id: r for r in results}
            for key in keys:
                r = by_id.get(key)
                if r is None:
                    continue
                row = QLabel("<span style='color:%s; font-weight:bold'>%s %s</span> &nbsp;%s" % (
                    COLOUR["pass"], ICON["pass"], _esc(name_of(r)), _esc(text_of(r.message_zh, r.message_en))))
                row.setObjectName(self.objectName() + "Good")
                row.setTextFormat(Qt.TextFormat.RichText)
                row.setWordWrap(True)
                self._add(row)
            return []
        shown = problems(results)[:self.LIMIT]
        for r in shown:
            fix = text_of(r.fix_zh, r.fix_en)
            html = "<span style='color:%s; font-weight:bold'>%s %s</span> &nbsp;%s" % (
                COLOUR[r.status], ICON[r.status], _esc(name_of(r)), _esc(text_of(r.message_zh, r.message_en)))
            if fix:
                html += "<br><b>%s</b> %s" % (_esc(self.tr("What to do:")), _esc(fix))
            row = QLabel(html)
            row.setObjectName(self.objectName() + "Item")
            row.setTextFormat(Qt.TextFormat.RichText)
            row.setWordWrap(True)
            row.setProperty("check", r.id)
            row.setAccessibleName("%s: %s %s" % (name_of(r), text_of(r.message_zh, r.message_en), fix))
            self._add(row)
        more = len(problems(results)) - len(shown)
        if more > 0:
            extra = QLabel(self.tr("%n more item(s) in the details below.", "", more))
            extra.setObjectName(self.objectName() + "More")
            extra.setStyleSheet("color: %s;" % theme.MUTED)
            self._add(extra)
        return shown

    def _add(self, row: QLabel) -> None:
        self.box.addWidget(row)
        self.rows.append(row)
        row.setVisible(True)   # at once, not at the layout's next pass: the verdict and its items show together


class Details(QWidget):
    """Every item, on demand: a link that opens the full list (name, status, what was found, fix)."""

    def __init__(self, name: str, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName(name + "Details")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.toggle = button("", name + "DetailsToggle")
        set_role(self.toggle, "link")
        self.toggle.setAutoDefault(False)
        self.toggle.clicked.connect(self.flip)
        box.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.list = QListWidget()
        self.list.setObjectName(name + "Results")
        self.list.setAccessibleName(self.tr("All check results"))
        self.list.setWordWrap(True)
        self.list.setVisible(False)
        box.addWidget(self.list, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.count = 0
        self._label()

    def flip(self) -> None:
        self.list.setVisible(not self.list.isVisible())
        # closed, it takes no more room than its link; open, the room under it
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding if self.list.isVisible()
                           else QSizePolicy.Policy.Maximum)
        self._label()

    def _label(self) -> None:
        text = self.tr("Hide the details") if self.list.isVisible() else \
            self.tr("Show all %n result(s)", "", self.count)
        self.toggle.setText(text)
        self.toggle.setAccessibleName(text)
        self.toggle.setVisible(self.count > 0)

    def fill(self, results: Sequence[CheckResult]) -> None:
        self.list.clear()
        for r in results:
            line = "%s  %s：%s" % (ICON[r.status], name_of(r), text_of(r.message_zh, r.message_en)) if \
                _chinese() else "%s  %s: %s" % (ICON[r.status], name_of(r), text_of(r.message_zh, r.message_en))
            fix = text_of(r.fix_zh, r.fix_en)
            if r.status != "pass" and fix:
                line += "\n     → " + fix
            item = QListWidgetItem(line)
            item.setForeground(QColor(COLOUR[r.status]))
            item.setData(USER_ROLE, r.id)   # the check id, for tests and support tools; never shown
            self.list.addItem(item)
        self.count = len(results)
        self._label()


def _chinese() -> bool:
    try:
        from client.ui.language import is_chinese

        return is_chinese()
    except Exception:  # noqa: BLE001
        return True


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
