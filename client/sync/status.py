"""What the sync worker reports: the delivery status and upload progress (shown by the UI)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class SyncStatus:
    online: bool
    reason: str                 # "" when online; else e.g. "connection refused", "HTTP 500"
    pending_ops: int
    pending_uploads: int
    acked_seq: int
    last_contact_ms: Optional[int] = None


@dataclass(frozen=True)
class UploadProgress:
    upload_id: str
    filename: str
    purpose: str                # evidence | snapshot | document
    sent: int
    size: int
    verified: bool
