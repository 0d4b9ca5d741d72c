"""The only module that imports a Qt binding (through qtpy), so one source runs on
PySide6 (Windows 10/11) and PySide2 (Windows 7). Everything else does `from client.qt import ...`.

The binding: QT_API if set, else PySide6, else PySide2 (the Windows 7 build ships only PySide2). The
fallback happens only when PySide6 is not installed at all: a PySide6 that is there but broken (a
missing DLL on Windows 10) must fail with its own error, not as "No module named PySide2"."""
from __future__ import annotations

import logging
import os
from typing import Any

log = logging.getLogger(__name__)


def choose_binding() -> str:
    """The QT_API value to use, and logs why."""
    if os.environ.get("QT_API"):
        log.info("Qt binding %s (QT_API)", os.environ["QT_API"])
        return os.environ["QT_API"]
    try:
        import PySide6  # noqa: F401
    except ModuleNotFoundError as e:
        if e.name != "PySide6":
            raise   # PySide6 is there but a module it needs is not: show that, do not hide it
        log.info("Qt binding pyside2 (PySide6 is not installed: the Windows 7 build)")
        return "pyside2"
    log.info("Qt binding pyside6")
    return "pyside6"


os.environ["QT_API"] = choose_binding()

from qtpy import API_NAME, QT_VERSION  # noqa: E402
from qtpy.QtCore import (  # noqa: E402,F401
    QByteArray,
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QMetaObject,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSettings,
    QSize,
    Qt,
    QThread,
    QTimer,
    QTranslator,
    QUrl,
    Signal,
    Slot,
)
from qtpy.QtGui import (  # noqa: E402,F401
    QAction,
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QShortcut,
)
from qtpy.QtWidgets import (  # noqa: E402,F401
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

QT_BINDING = API_NAME
QT_MAJOR = int(str(QT_VERSION).split(".")[0]) if QT_VERSION else 0


def exec_dialog(dialog: QDialog) -> int:
    """QDialog.exec() is missing in PySide2 (exec_ only)."""
    runner = getattr(dialog, "exec", None) or dialog.exec_
    return int(runner())


def enum_int(value: Any) -> int:
    """Enum -> int across bindings (PySide6 enums have .value, PySide2 ints)."""
    try:
        return int(value)
    except TypeError:
        return int(value.value)
