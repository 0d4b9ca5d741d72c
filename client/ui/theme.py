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
QFrame#card { background: %(CARD)s; border: 1px solid %(LINE)s; border-radius: 8px; }
QLabel#muted { color: %(MUTED)s; }
QPushButton { background: %(CARD)s; border: 1px solid %(LINE)s; border-radius: 6px; padding: 7px 16px; }
QPushButton:hover { border-color: %(ACCENT)s; }
QPushButton:focus { border: 2px solid %(ACCENT)s; }
QPushButton:disabled { color: #9aa5b1; background: #eef1f5; }
QLineEdit, QPlainTextEdit, QTextBrowser, QListWidget { background: white; border: 1px solid %(LINE)s;
    border-radius: 6px; padding: 6px; selection-background-color: %(ACCENT)s; }
QLineEdit:focus, QPlainTextEdit:focus { border: 2px solid %(ACCENT)s; }
QRadioButton, QCheckBox { spacing: 10px; padding: 8px; border-radius: 6px; }
QRadioButton:hover, QCheckBox:hover { background: #eef3fb; }
QRadioButton:focus, QCheckBox:focus { background: %(INFO_BG)s; }
QRadioButton:checked, QCheckBox:checked { background: %(INFO_BG)s; }
QProgressBar { border: 1px solid %(LINE)s; border-radius: 5px; background: white; text-align: center; }
QProgressBar::chunk { background: %(ACCENT)s; border-radius: 4px; }
""" % dict(INK=INK, MUTED=MUTED, CARD=CARD, LINE=LINE, ACCENT=ACCENT, INFO_BG=INFO_BG)


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
