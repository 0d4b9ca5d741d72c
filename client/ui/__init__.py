"""Qt widgets of the candidate's journey: login, rules and consent, self-check, waiting room, exam,
submission and receipt, documents. Qt only through client.qt; the engine only through client.exam.api."""
from __future__ import annotations
