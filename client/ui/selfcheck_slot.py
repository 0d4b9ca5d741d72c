"""Where the equipment self-check sits in the journey: the self-check engineer's SelfCheckWizard when it is
installed, else an honest placeholder page that records that the check was not run."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Dict, Optional, Union

from client.qt import QHBoxLayout, QVBoxLayout, QWidget, Signal
from client.ui.common import Card, centered, label, primary_button

if TYPE_CHECKING:
    from client.ui.selfcheck import SelfCheckWizard

log = logging.getLogger(__name__)


class SelfCheckPlaceholder(QWidget):
    finished = Signal(dict)

    def __init__(self, parent: Optional[QWidget] = None, config: Any = None, policy: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("selfCheckPlaceholder")
        card = Card()
        card.layout_.addWidget(label(self.tr("Equipment self-check"), "selfCheckTitle", 1.5, bold=True))
        card.layout_.addWidget(label(self.tr("The equipment self-check is not available in this build. "
                                             "Make sure your camera, microphone and network work before the exam."),
                                     "selfCheckText"))
        row = QHBoxLayout()
        row.addStretch(1)
        self.continue_button = primary_button(self.tr("Continue"), "selfCheckContinue")
        self.continue_button.clicked.connect(
            lambda: self.finished.emit({"status": "skipped", "reason": "self-check not installed"}))
        row.addWidget(self.continue_button)
        card.layout_.addLayout(row)
        QVBoxLayout(self).addWidget(centered(card, 640))


def make_self_check(parent: Optional[QWidget], config: Any, policy: Any,
                    camera_label: str = "", phone: Any = None) -> Union[SelfCheckWizard, SelfCheckPlaceholder]:
    """The real wizard if it imports and builds; the placeholder otherwise (logged). `phone`: a PhoneLink
    (the logged-in engine) adds the second-camera step."""
    try:
        from client.ui.selfcheck import SelfCheckWizard

        return SelfCheckWizard(parent=parent, config=config, policy=policy, camera_label=camera_label,
                               for_exam=True, phone=phone)
    except Exception as e:  # noqa: BLE001 - the exam must not depend on the wizard's health
        log.warning("self-check wizard unavailable, using the placeholder: %r", e)
        return SelfCheckPlaceholder(parent, config, policy)


def report_of(result: Any) -> Dict[str, Any]:
    return dict(result) if isinstance(result, dict) else {"result": repr(result)}
