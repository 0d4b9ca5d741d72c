"""ExamDesk candidate client. `client.exam`, `client.sync` and the analysis half of
`client.monitor` import no Qt; everything Qt goes through `client.qt`."""
from __future__ import annotations

__version__ = "0.1.0"
