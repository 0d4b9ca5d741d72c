"""The one bilingual error: a stable code plus a message for people in Chinese and English.

The client shows it (as `EngineError`), the server maps it to its error body; formats raise
subclasses so a caller can catch one family or all of them.
"""
from __future__ import annotations

from typing import Any, Dict, Optional


class ExamError(Exception):
    """A failure to explain to a person: stable `code` plus messages in both languages."""

    def __init__(self, code: str, message_zh: str, message_en: str, details: Optional[Dict[str, Any]] = None):
        super().__init__("%s: %s" % (code, message_en))
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.details = details or {}
