"""One calm look for every screen: colours, the stylesheet, and font scaling.

Font sizes are never fixed in the stylesheet: they derive from the system font (the candidate's
accessibility setting) times the exam's font-size control."""
from __future__ import annotations

from client.qt import QApplication, QFont, QWidget

INK = "#1f2933"
MUTED = "#52606d"
PAPER = "#f5f7fa"
CARD = "#ffffff"
LINE = "#d9e2ec"
ACCENT = "#1d5fbf"
ACCENT_DARK = "#174ea6"
GOOD = "#1b7f4b"
AMBER = "#b25e09"
DANGER = "#b42318"
INFO_BG = "#e8f1fd"
WARN_BG = "#fff4e0"
ALERT_BG = "#fdecea"

CJK_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
                "WenQuanYi Micro Hei", "Source Han Sans SC", "SimHei"]

STYLESHEET = """
QWidget { color: %(INK)s; }
QMainWindow, QStackedWidget > QWidget#page { background: %(PAPER)s; }
QFrame#card { background: %(CARD)s; border: 1px solid %(LINE)s; border-radius: 8px; }
QLabel#title { color: %(INK)s; }
QLabel#muted, QLabel#hint { color: %(MUTED)s; }
QLabel#error { color: %(DANGER)s; background: %(ALERT_BG)s; border-radius: 6px; padding: 8px; }
QLabel#notice { color: %(AMBER)s; background: %(WARN_BG)s; border-radius: 6px; padding: 8px; }
QPushButton { background: %(CARD)s; border: 1px solid %(LINE)s; border-radius: 6px; padding: 7px 16px; }
QPushButton:hover { border-color: %(ACCENT)s; }
QPushButton:focus { border: 2px solid %(ACCENT)s; }
QPushButton:disabled { color: #9aa5b1; background: #eef1f5; }
QPushButton#primary { background: %(ACCENT)s; color: white; border: 1px solid %(ACCENT_DARK)s; }
QPushButton#primary:hover { background: %(ACCENT_DARK)s; }
QPushButton#primary:disabled { background: #9fb8e0; color: #eef3fb; }
QPushButton#danger { background: %(DANGER)s; color: white; border: 1px solid #8f1c13; }
QLineEdit, QPlainTextEdit, QTextBrowser, QComboBox { background: white; border: 1px solid %(LINE)s;
    border-radius: 6px; padding: 6px; selection-background-color: %(ACCENT)s; }
QLineEdit:focus, QPlainTextEdit:focus { border: 2px solid %(ACCENT)s; }
QRadioButton, QCheckBox { spacing: 10px; padding: 8px; border-radius: 6px; }
QRadioButton:focus, QCheckBox:focus { background: %(INFO_BG)s; }
QProgressBar { border: 1px solid %(LINE)s; border-radius: 5px; background: white; text-align: center; }
QProgressBar::chunk { background: %(ACCENT)s; border-radius: 4px; }
QFrame#header { background: #14365f; }
QFrame#header QLabel { color: white; }
QLabel#countdown { color: white; padding: 2px 10px; border-radius: 6px; }
QLabel#countdown[level="amber"] { background: %(AMBER)s; }
QLabel#countdown[level="red"] { background: %(DANGER)s; }
QLabel#syncBadge { padding: 3px 10px; border-radius: 10px; background: #2f6b3f; color: white; }
QLabel#syncBadge[online="false"] { background: %(AMBER)s; }
QLabel#savedMark { color: %(GOOD)s; }
QFrame#banner { border-radius: 6px; background: %(INFO_BG)s; border: 1px solid #b6d0f5; }
QFrame#banner[level="warn"] { background: %(WARN_BG)s; border-color: #f0c98a; }
QFrame#banner[level="alert"] { background: %(ALERT_BG)s; border-color: #f1aaa4; }
QPushButton#navCell { min-width: 34px; max-width: 34px; min-height: 30px; padding: 0; }
QPushButton#navCell[answered="true"] { background: #d7ecdf; border-color: #7cc09a; }
QPushButton#navCell[flagged="true"] { border: 2px solid %(AMBER)s; }
QPushButton#navCell[current="true"] { background: %(ACCENT)s; color: white; }
""" % dict(INK=INK, MUTED=MUTED, PAPER=PAPER, CARD=CARD, LINE=LINE, ACCENT=ACCENT,
           ACCENT_DARK=ACCENT_DARK, GOOD=GOOD, AMBER=AMBER, DANGER=DANGER, INFO_BG=INFO_BG,
           WARN_BG=WARN_BG, ALERT_BG=ALERT_BG)


def apply(app: QApplication) -> None:
    """Stylesheet plus a CJK-capable font at the system's point size (never smaller than 10 pt)."""
    font = QFont(app.font())
    try:
        font.setFamilies(CJK_FAMILIES + [font.family()])
    except AttributeError:  # Qt 5.12 and older: one family only
        font.setFamily(CJK_FAMILIES[1])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)


def scaled(widget: QWidget, factor: float, bold: bool = False) -> None:
    """Set `widget`'s font to the application font times `factor`."""
    base = QApplication.font()
    font = QFont(widget.font())
    font.setPointSizeF(max(6.0, base.pointSizeF() * factor))
    font.setBold(bold)
    widget.setFont(font)


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
