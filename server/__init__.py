"""ExamDesk reference central server (FastAPI). Contract: docs/protocol.md."""

VERSION = "0.1.0"
