"""What the candidate reads about the phone: its state in a few words (the header light), and what to do
when it is in trouble (told at once in the exam). English sources, Chinese through the examdesk catalogue."""
from __future__ import annotations

from typing import Tuple

from client.exam.api import PhoneStatus
from client.qt import QCoreApplication
from client.ui import language


def short_state(status: PhoneStatus) -> Tuple[str, str]:
    """(a few words, level) for the status light: level good | warn | bad | off."""
    s = status.state
    if s == "live":
        if status.battery_low:
            return QCoreApplication.translate("PhoneTexts", "Phone: battery low"), "warn"
        return QCoreApplication.translate("PhoneTexts", "Phone: live"), "good"
    if s == "hidden":
        return QCoreApplication.translate("PhoneTexts", "Phone: page hidden"), "bad"
    if s == "stopped":
        return QCoreApplication.translate("PhoneTexts", "Phone: feed stopped"), "bad"
    if s == "frozen":
        return QCoreApplication.translate("PhoneTexts", "Phone: picture frozen"), "bad"
    if s == "connecting":
        return QCoreApplication.translate("PhoneTexts", "Phone: connecting"), "warn"
    if s in ("unpaired", "pairing"):
        return QCoreApplication.translate("PhoneTexts", "Phone: not paired"), "bad" if status.required else "off"
    return QCoreApplication.translate("PhoneTexts", "Phone: unknown"), "off"


def trouble_message(status: PhoneStatus) -> str:
    """The message shown at once in the exam, with the fix; "" when nothing is wrong."""
    s = status.state
    gap = "" if language.is_chinese() else " "   # Chinese sentences follow each other without a space
    fix = QCoreApplication.translate("PhoneTexts", "Check the phone behind you; if its page is closed or shows an error, press the Phone button "
              "at the top and scan the new code with it.")
    if s == "stopped":
        return QCoreApplication.translate("PhoneTexts", "The second camera (your phone) stopped sending pictures.") + gap + fix
    if s == "hidden":
        return QCoreApplication.translate("PhoneTexts", "The exam page on your phone is no longer in front (another app, a locked screen or a call). "
                   "Bring it back to the front on the phone.")
    if s == "frozen":
        return QCoreApplication.translate("PhoneTexts", "The second camera's picture is frozen.") + gap + fix
    if status.battery_low and s == "live":
        return QCoreApplication.translate("PhoneTexts", "Your phone's battery is low: plug in its charger without moving it.")
    if status.required and s in ("unpaired", "pairing", "connecting"):
        return QCoreApplication.translate("PhoneTexts", "This exam needs the second camera (your phone). Press the Phone button at the top and "
                   "scan the code with your phone.")
    return ""
