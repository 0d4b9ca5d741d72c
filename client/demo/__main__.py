"""`python -m client.demo`: see client/demo/launcher.py."""
from __future__ import annotations

import sys

from client.demo.launcher import main

if __name__ == "__main__":
    sys.exit(main())
