"""The server installs without the client's stack: `pip install .[server]` brings no Qt, OpenCV, numpy or
PortAudio (the import rules in pyproject.toml keep the code apart; this keeps the dependencies apart)."""
from __future__ import annotations

import re
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ONLY = re.compile(r"^(pyside|qtpy|opencv|numpy|sounddevice|yuface|webrtcvad|psutil|tuspy)", re.I)


def test_the_server_extra_and_the_base_bring_nothing_of_the_clients_stack():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    server_side = list(project["dependencies"]) + list(project["optional-dependencies"]["server"])
    assert server_side
    assert [d for d in server_side if CLIENT_ONLY.match(d)] == []
    assert any(CLIENT_ONLY.match(d) for d in project["optional-dependencies"]["client"])
