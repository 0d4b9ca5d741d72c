"""The exam window's header: who, which exam, the countdown, the network/sync badge, the recording
indicator and the camera."""
from __future__ import annotations

from typing import Any, Optional

from client.exam.api import SyncStatus
from client.qt import (
    QColor,
    QFont,
    QFrame,
    QHBoxLayout,
    QImage,
    QLabel,
    QPainter,
    QPixmap,
    Qt,
    QVBoxLayout,
    QWidget,
)
from client.ui import language, theme
from client.ui.common import fmt_duration
from client.ui.phone.status import PhoneLight

AMBER_AT_S = 15 * 60
RED_AT_S = 5 * 60


class ExamHeader(QFrame):
    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self.setStyleSheet("QFrame#header { background: %s; } QFrame#header QLabel { color: white; }"
                           % theme.HEADER_BG)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 16, 8)
        who = QVBoxLayout()
        self.name = QLabel("")
        self.name.setObjectName("candidateName")
        theme.scaled(self.name, 1.2, bold=True)
        self.details = QLabel("")
        self.details.setObjectName("candidateDetails")
        who.addWidget(self.name)
        who.addWidget(self.details)
        row.addLayout(who, 1)
        self.sync = QLabel("")
        self.sync.setObjectName("syncBadge")
        row.addWidget(self.sync, 0, Qt.AlignmentFlag.AlignVCenter)
        self.phone = PhoneLight()     # the second camera; pressing it opens the re-pair dialog
        row.addWidget(self.phone, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addSpacing(12)
        clock = QVBoxLayout()
        caption = QLabel(self.tr("Time left"))
        caption.setObjectName("countdownCaption")
        caption.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.countdown = QLabel("--:--:--")
        self.countdown.setObjectName("countdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        theme.scaled(self.countdown, 1.9, bold=True)
        self.extension = QLabel("")
        self.extension.setObjectName("extensionNote")
        self.extension.setAlignment(Qt.AlignmentFlag.AlignRight)
        clock.addWidget(caption)
        clock.addWidget(self.countdown)
        clock.addWidget(self.extension)
        row.addLayout(clock)
        # the candidate always sees when camera and microphone are being watched (promise 5)
        self.recording = QLabel("")
        self.recording.setObjectName("recordingIndicator")
        self.recording.setToolTip(self.tr("The camera and microphone are analysed on this computer. Only short clips "
                                          "around what is noticed and a snapshot every minute go to the exam server, "
                                          "encrypted."))
        self.recording.hide()
        row.addWidget(self.recording, 0, Qt.AlignmentFlag.AlignVCenter)
        self.camera = QLabel(self.tr("Camera"))
        self.camera.setObjectName("cameraThumb")
        self.camera.setAccessibleName(self.tr("Your camera picture"))
        self.camera.setFixedSize(128, 96)
        self.camera.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.camera.setStyleSheet("background: %s; color: %s; border-radius: 4px;" % (theme.CAMERA_BG, theme.CAMERA_FG))
        row.addWidget(self.camera)
        self.level = ""
        self.sync.setAlignment(Qt.AlignmentFlag.AlignCenter)
        widest = 0
        for status in (SyncStatus(True, "", 0, 0, 0), SyncStatus(True, "", 999, 0, 0, None, 999),
                       SyncStatus(True, "", 9, 0, 0, None, 0), SyncStatus(False, "", 999, 0, 0, None, 999),
                       SyncStatus(False, "", 9, 0, 0, None, 0)):
            self.set_sync(status)
            widest = max(widest, self.sync.sizeHint().width())
        self.sync.setMinimumWidth(widest)   # as wide as its longest text: a new status never moves the header
        self.set_sync(SyncStatus(False, "not yet connected", 0, 0, 0))

    def set_candidate(self, name: str, ticket: str, level: str, title: str) -> None:
        self.name.setText(name or ticket)
        self.details.setText(self.tr("Ticket %1 · %2 · %3").replace("%1", ticket).replace("%2", level)
                             .replace("%3", title))

    def set_remaining(self, remaining_s: float, extension_s: int = 0) -> None:
        self.countdown.setText(fmt_duration(remaining_s))
        level = "red" if remaining_s <= RED_AT_S else "amber" if remaining_s <= AMBER_AT_S else "normal"
        if level != self.level:
            self.level = level
            colour = {"red": theme.DANGER, "amber": theme.AMBER}.get(level, "transparent")
            self.countdown.setStyleSheet("color: white; background: %s; border-radius: 6px; padding: 2px 10px;"
                                         % colour)
            self.countdown.setProperty("level", level)
        self.countdown.setAccessibleName(self.tr("Time left: %1").replace("%1", fmt_duration(remaining_s)))
        if extension_s > 0:
            self.extension.setText(self.tr("includes %1 min extra time").replace("%1", str(int(extension_s // 60))))
        else:
            self.extension.setText("")

    def set_sync(self, status: SyncStatus) -> None:
        """Honest about the server: "all saved" only when it acknowledged every op in the journal; the
        number shown is answers (what the candidate did), not navigation or monitoring records."""
        answers = int(status.pending_answers)
        if status.online and status.all_saved:
            text, colour = self.tr("Online · all saved to the server"), theme.BADGE_ONLINE
        elif status.online and answers:
            text, colour = self.tr("Online · sending %n answer(s)", "", answers), theme.ACCENT
        elif status.online:
            text, colour = self.tr("Online · answers on the server · syncing"), theme.ACCENT
        elif answers:
            text, colour = self.tr("Offline · %n answer(s) waiting · safe on this PC", "", answers), theme.AMBER
        else:
            text, colour = self.tr("Offline · no answer waiting · safe on this PC"), theme.AMBER
        self.sync.setText(text)
        self.sync.setProperty("online", "true" if status.online else "false")
        self.sync.setProperty("saved", "true" if status.all_saved else "false")
        others = int(status.pending_ops) - answers
        detail = self.tr("%1 answer(s) and %2 other record(s) not yet on the server").replace(
            "%1", str(answers)).replace("%2", str(others)) if status.pending_ops else ""
        self.sync.setToolTip("\n".join(t for t in (detail, status.reason) if t))
        self.sync.setAccessibleName(text)
        self.sync.setStyleSheet("color: white; background: %s; border-radius: 10px; padding: 4px 12px;" % colour)

    def set_recording(self, on: bool) -> None:
        """The indicator: red while the exam's camera and microphone watch runs, grey when it is off."""
        text = self.tr("● Monitoring on") if on else self.tr("○ Monitoring off")
        self.recording.setText(text)
        self.recording.setAccessibleName(text)
        self.recording.setProperty("recording", "true" if on else "false")
        self.recording.setStyleSheet("color: white; background: %s; border-radius: 10px; padding: 4px 10px;"
                                     % (theme.DANGER if on else "#52606d"))
        self.recording.show()

    def set_camera_frame(self, image: Any, label: str = "") -> None:
        """Show a camera frame (QImage); `label` e.g. 演示摄像头 when the demo video stands in."""
        if not isinstance(image, QImage) or image.isNull():
            return
        pixmap = QPixmap.fromImage(image).scaled(self.camera.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation)
        if " / " in label:  # "演示摄像头 / demo camera": the part in the UI's language fits the thumbnail
            zh, en = label.split(" / ", 1)
            label = zh if language.is_chinese() else en
        if label:
            # the stand-in camera says so on the picture itself, never only in a tooltip
            painter = QPainter(pixmap)
            painter.fillRect(0, pixmap.height() - 18, pixmap.width(), 18, QColor(0, 0, 0, 150))
            painter.setPen(QColor("white"))
            font = QFont(self.camera.font())
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
            painter.setFont(font)
            painter.drawText(0, pixmap.height() - 18, pixmap.width(), 18, int(Qt.AlignmentFlag.AlignCenter), label)
            painter.end()
            self.camera.setToolTip(label)
        self.camera.setPixmap(pixmap)
