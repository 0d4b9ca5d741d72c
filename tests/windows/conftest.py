"""Tests that run Windows code for real: under tools/wine-lane.sh (wine64) or on Windows."""
from __future__ import annotations

import os
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_collection_modifyitems(config, items):
    if sys.platform != "win32":
        skip = pytest.mark.skip(reason="Windows-only: run with tools/wine-lane.sh -m pytest tests/windows")
        for item in items:
            item.add_marker(skip)
