"""The console is the server's (Python >= 3.10): the Windows 7 lane (3.8, the client's) does not collect it."""
from __future__ import annotations

import sys

if sys.version_info < (3, 10):
    collect_ignore_glob = ["test_*.py"]
