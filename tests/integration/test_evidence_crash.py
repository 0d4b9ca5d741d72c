"""A SIGKILL while evidence is being written leaves either whole sealed files or a `.part` that the next
start discards; what is offered for upload always opens with the server's key and decodes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from client.monitor.evidence import EvidenceRecorder
from examcore.evidence import open_package
from examcore.keys import b64e, raw_public
from examcore.monitor_policy import monitor_policy
from tests.helpers import media, scenes

ROOT = Path(__file__).resolve().parents[2]
# evidence as often as the pipeline can make it: a snapshot every 0.2 s of media, short holds
BUSY = {"evidence": {"snapshot_interval_s": 0.2, "snapshot_width": 1280, "snapshot_quality": 95},
        "camera": {"rules": {"camera.face_absent": {"hold_s": 0.5, "clear_s": 0.3},
                             "camera.multiple_faces": {"hold_s": 0.5, "clear_s": 0.3}}}}


@pytest.fixture(scope="module")
def busy_video(tmp_path_factory):
    folder = tmp_path_factory.mktemp("busy")
    segments = [("good", 2), ("empty", 2), ("good", 2), ("two", 2)] * 8
    media.scenario_video(str(folder / "busy.avi"), segments, scenes.candidate_scenes(), fps=15.0)
    (folder / "policy.json").write_text(json.dumps({"monitor": BUSY}))
    return folder


def start_writer(folder: Path, out: Path, key) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), EXAMDESK_LOG_LEVEL="ERROR")
    return subprocess.Popen([sys.executable, "-m", "client", "monitor", "--camera", str(folder / "busy.avi"),
                             "--evidence-dir", str(out), "--policy", str(folder / "policy.json"),
                             "--sealing-key", b64e(raw_public(key.public_key()))],
                            cwd=str(ROOT), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_mid_write(proc: subprocess.Popen, out: Path, after: int, wait_s: float) -> bool:
    """SIGKILL the writer the moment a .part file exists once `after` whole files were written (else
    after wait_s); True if a .part existed."""
    deadline = time.monotonic() + wait_s
    caught = False
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            names = os.listdir(out)
        except FileNotFoundError:
            names = []
        if any(n.endswith(".part") for n in names) and sum(n.endswith(".evd") for n in names) >= after:
            caught = True
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    return caught or any(n.endswith(".part") for n in os.listdir(out))


@pytest.mark.expected_log(r"discarding evidence interrupted")
def test_a_kill_mid_write_leaves_whole_files_or_a_part_that_is_discarded(busy_video, tmp_path):
    key = X25519PrivateKey.generate()
    caught = 0
    offered_total = 0
    for round_ in range(6):
        out = tmp_path / ("ev%d" % round_)
        proc = start_writer(busy_video, out, key)
        caught += kill_mid_write(proc, out, after=round_ * 2, wait_s=60.0)
        offered: list = []
        rec = EvidenceRecorder(str(out), b64e(raw_public(key.public_key())), "recorded",
                               monitor_policy()["evidence"], lambda p, h, got=offered: got.append((p, h)),
                               threaded=False)
        whole = rec.recover()
        left = sorted(os.listdir(out))
        assert not [n for n in left if n.endswith(".part")], left           # half-written files are gone
        assert os.listdir(out / ".work") == []                               # and no plaintext work files
        assert sorted(p for p, _ in offered) == sorted(whole) == sorted(str(out / n) for n in left if n.endswith(".evd"))
        for path, header in offered:                                          # what would be uploaded opens whole
            h, meta, members = open_package(Path(path).read_bytes(), key)
            assert h == header and meta["kind"] == h["kind"]
            if "snapshot.jpg" in members:
                assert cv2.imdecode(np.frombuffer(members["snapshot.jpg"], np.uint8), cv2.IMREAD_COLOR) is not None
            if "video.mp4" in members:
                clip = tmp_path / "clip.mp4"
                clip.write_bytes(members["video.mp4"])
                assert cv2.VideoCapture(str(clip)).read()[0]
        offered_total += len(offered)
    assert caught >= 1, "never caught the writer mid-write"
    assert offered_total >= 6
