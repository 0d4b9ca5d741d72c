"""The only module that imports a Qt binding (through qtpy), so one source runs on
PySide6 (Windows 10/11) and PySide2 (Windows 7). Everything else does `from client.qt import ...`."""
from __future__ import annotations

import os
from typing import Any

# qtpy picks the binding from QT_API; prefer PySide6 and fall back to PySide2 (the Windows 7 build)
if "QT_API" not in os.environ:
    try:
        import PySide6  # noqa: F401

        os.environ["QT_API"] = "pyside6"
    except ImportError:  # pragma: no cover - legacy lane
        os.environ["QT_API"] = "pyside2"

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
