"""One calm look for every screen: colours, the stylesheet, and font scaling.

Every colour a screen uses is named here, and every pair of them that carries text is listed in
TEXT_PAIRS (WCAG AA: 4.5:1), every pair that marks a state or a control's edge in STATE_PAIRS (3:1);
tests/ui/test_contrast.py measures both lists and the rendered widgets. Font sizes are never fixed in
the stylesheet: they derive from the system font (the candidate's accessibility setting) times the
exam's font-size control. Borders keep their width in every state (focus, checked): a state change
never moves anything on screen."""
from __future__ import annotations

from typing import List, Tuple

from client.qt import QApplication, QFont, QWidget

INK = "#1f2933"          # body text
MUTED = "#52606d"        # secondary text
PAPER = "#f5f7fa"        # page background
CARD = "#ffffff"         # panels
LINE = "#d9e2ec"         # panel edges (decoration only)
EDGE = "#7b8794"         # edges that identify a control: fields, unanswered cells, scrollbar thumbs
ACCENT = "#1d5fbf"       # primary actions, the current question
ACCENT_DARK = "#174ea6"
FOCUS = "#0b2e5c"        # the keyboard focus ring on blue
GOOD = "#17703f"         # saved, answered, pass
GOOD_BG = "#e3f3ea"
AMBER = "#a15500"        # attention, flagged, 15 minutes left
WARN_BG = "#fff4e0"
DANGER = "#b42318"       # failed, not saved, 5 minutes left
ALERT_BG = "#fdecea"
INFO_BG = "#e8f1fd"
DISABLED_FG = "#556270"
DISABLED_BG = "#e4e8ee"
HEADER_BG = "#14365f"
HEADER_MUTED = "#c9d6e3"
CAMERA_BG = "#0b1f38"
CAMERA_FG = "#9fb3c8"
BADGE_ONLINE = "#2f6b3f"
SKIP = "#52606d"         # a check that was not measured
TRACK = "#e4e8ee"        # scrollbar groove
THUMB = "#667382"
THUMB_HOVER = MUTED
PROGRESS = "#b9d3f5"     # progress chunk: the percentage over it stays dark-on-light at any fill
BACKDROP = (15, 30, 50, 120)   # RGBA behind a dialog

# (what, text colour, background): every combination a screen draws text in
TEXT_PAIRS: List[Tuple[str, str, str]] = [
    ("body text on the page", INK, PAPER), ("body text on a panel", INK, CARD),
    ("secondary text on a panel", MUTED, CARD), ("secondary text on the page", MUTED, PAPER),
    ("primary button", CARD, ACCENT), ("primary button, hovered", CARD, ACCENT_DARK),
    ("disabled button", DISABLED_FG, DISABLED_BG), ("link-blue text", ACCENT_DARK, CARD),
    ("saved / pass", GOOD, CARD), ("pass on its panel", GOOD, GOOD_BG),
    ("attention", AMBER, CARD), ("attention on its panel", AMBER, WARN_BG), ("flag button, on", AMBER, WARN_BG),
    ("failed / not saved", DANGER, CARD), ("failed on its panel", DANGER, ALERT_BG),
    ("not measured", SKIP, CARD), ("info banner", INK, INFO_BG), ("warning banner", INK, WARN_BG),
    ("alert banner", INK, ALERT_BG), ("answered cell", CARD, GOOD), ("current cell", CARD, ACCENT),
    ("unanswered cell", INK, CARD), ("header text", CARD, HEADER_BG), ("header details", HEADER_MUTED, HEADER_BG),
    ("sync badge online", CARD, BADGE_ONLINE), ("sync badge sending", CARD, ACCENT),
    ("sync badge offline", CARD, AMBER), ("countdown amber", CARD, AMBER), ("countdown red", CARD, DANGER),
    ("camera placeholder", CAMERA_FG, CAMERA_BG), ("progress text over the chunk", INK, PROGRESS),
    ("progress text over the groove", INK, CARD), ("selected list row", CARD, ACCENT),
]
# (what, colour, what it sits on): non-text states and edges (WCAG 1.4.11: 3:1)
STATE_PAIRS: List[Tuple[str, str, str]] = [
    ("field edge", EDGE, CARD), ("unanswered cell edge", EDGE, CARD), ("answered cell", GOOD, CARD),
    ("current cell frame", ACCENT_DARK, CARD), ("flag mark", AMBER, CARD), ("focus ring", ACCENT, CARD),
    ("focus ring of a primary button", FOCUS, CARD), ("scrollbar thumb", THUMB, TRACK), ("scrollbar thumb on a panel", THUMB, CARD),
    ("level meter", GOOD, TRACK),
]

CJK_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
                "WenQuanYi Micro Hei", "Source Han Sans SC", "SimHei"]

STYLESHEET = """
QWidget { color: %(INK)s; }
QFrame#card { background: %(CARD)s; border: 1px solid %(LINE)s; border-radius: 8px; }
QLabel#muted { color: %(MUTED)s; }
QToolTip { color: %(INK)s; background: %(CARD)s; border: 1px solid %(EDGE)s; padding: 4px; }
QPushButton { background: %(CARD)s; color: %(INK)s; border: 1px solid %(EDGE)s; border-radius: 6px;
    padding: 7px 16px; }
QPushButton:hover { border-color: %(ACCENT)s; background: #f4f8fe; }
QPushButton:focus { border: 2px solid %(ACCENT)s; padding: 6px 15px; }
QPushButton:disabled { color: %(DISABLED_FG)s; background: %(DISABLED_BG)s; border-color: %(DISABLED_BG)s; }
QPushButton[role="primary"] { background: %(ACCENT)s; color: white; border: 1px solid %(ACCENT_DARK)s;
    padding: 8px 22px; }
QPushButton[role="primary"]:hover { background: %(ACCENT_DARK)s; }
QPushButton[role="primary"]:focus { border: 2px solid %(FOCUS)s; padding: 7px 21px; }
QPushButton[role="primary"]:disabled { background: %(DISABLED_BG)s; color: %(DISABLED_FG)s;
    border: 1px solid %(DISABLED_BG)s; }
QPushButton[role="link"] { background: transparent; border: 1px solid transparent; color: %(ACCENT_DARK)s;
    padding: 2px 4px; text-decoration: underline; }
QPushButton[role="link"]:focus { border: 1px solid %(ACCENT)s; }
QLineEdit, QPlainTextEdit, QTextBrowser, QListWidget, QComboBox { background: white; border: 1px solid %(EDGE)s;
    border-radius: 6px; padding: 6px; selection-background-color: %(ACCENT)s; selection-color: white; }
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus { border: 2px solid %(ACCENT)s; padding: 5px; }
QComboBox QAbstractItemView { background: white; selection-background-color: %(ACCENT)s; selection-color: white; }
QRadioButton, QCheckBox { spacing: 10px; padding: 8px; border-radius: 6px; }
QRadioButton:hover, QCheckBox:hover { background: #eef3fb; }
QRadioButton:focus, QCheckBox:focus { background: %(INFO_BG)s; }
QRadioButton:checked, QCheckBox:checked { background: %(INFO_BG)s; }
QProgressBar { border: 1px solid %(EDGE)s; border-radius: 5px; background: white; text-align: center;
    color: %(INK)s; }
QProgressBar::chunk { background: %(PROGRESS)s; border-radius: 4px; }
QScrollBar:vertical { background: %(TRACK)s; width: 12px; margin: 0; border: none; border-radius: 6px; }
QScrollBar:horizontal { background: %(TRACK)s; height: 12px; margin: 0; border: none; border-radius: 6px; }
QScrollBar::handle:vertical { background: %(THUMB)s; min-height: 36px; margin: 2px; border-radius: 4px; }
QScrollBar::handle:horizontal { background: %(THUMB)s; min-width: 36px; margin: 2px; border-radius: 4px; }
QScrollBar::handle:hover { background: %(THUMB_HOVER)s; }
QScrollBar::add-line, QScrollBar::sub-line { width: 0; height: 0; border: none; background: none; }
QScrollBar::add-page, QScrollBar::sub-page { background: none; }
""" % dict(INK=INK, MUTED=MUTED, CARD=CARD, LINE=LINE, EDGE=EDGE, ACCENT=ACCENT, ACCENT_DARK=ACCENT_DARK,
           FOCUS=FOCUS, INFO_BG=INFO_BG, DISABLED_FG=DISABLED_FG, DISABLED_BG=DISABLED_BG, PROGRESS=PROGRESS,
           TRACK=TRACK, THUMB=THUMB, THUMB_HOVER=THUMB_HOVER)


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


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours (1..21)."""
    def luminance(colour: str) -> float:
        c = colour.lstrip("#")
        channels = [int(c[i:i + 2], 16) / 255.0 for i in (0, 2, 4)]
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
