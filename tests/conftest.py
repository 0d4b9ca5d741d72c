"""Shared test set-up. Qt must run offscreen, decided before any Qt import."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("EXAMDESK_LOG_LEVEL", "DEBUG")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

pytest_plugins = ["tests.helpers.fixtures", "tests.helpers.logfail"]
