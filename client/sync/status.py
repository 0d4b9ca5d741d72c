"""What the sync worker reports: the delivery status and upload progress (shown by the UI)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class SyncStatus:
    online: bool
    reason: str                 # "" when online; else e.g. "connection refused", "HTTP 500"
    pending_ops: int            # every op in the journal the server has not acknowledged
    pending_uploads: int
    acked_seq: int
    last_contact_ms: Optional[int] = None
    pending_answers: int = 0    # of pending_ops, the candidate's answers (not flags, navigation or events)

    @property
    def all_saved(self) -> bool:
        """True only when the server has acknowledged every op in the journal: the one condition
        under which the UI may say "all saved to the server"."""
        return self.pending_ops == 0


@dataclass(frozen=True)
class UploadProgress:
    upload_id: str
    filename: str
    purpose: str                # evidence | snapshot | document
    sent: int
    size: int
    verified: bool
