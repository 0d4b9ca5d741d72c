"""The equipment self-check wizard (Qt). Analysis lives in client.monitor (no Qt)."""
from __future__ import annotations

from client.ui.selfcheck.wizard import SelfCheckWizard

__all__ = ["SelfCheckWizard"]
