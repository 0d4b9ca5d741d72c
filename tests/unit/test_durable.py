"""write_json_atomic: the old file or the new one, never a torn one, and no temp files left behind."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from client.durable import write_json_atomic
from tests.conftest import ROOT


def test_replaces_the_file_whole_and_leaves_no_temp(tmp_path):
    target = tmp_path / "bundle.json"
    write_json_atomic(str(target), {"v": 1})
    write_json_atomic(str(target), {"v": 2, "text": "考试"}, indent=1)
    assert json.loads(target.read_text(encoding="utf-8")) == {"v": 2, "text": "考试"}
    assert os.listdir(str(tmp_path)) == ["bundle.json"]


def test_a_failed_write_keeps_the_old_file_and_cleans_up(tmp_path):
    target = tmp_path / "receipt.json"
    write_json_atomic(str(target), {"v": 1})
    with pytest.raises(TypeError):
        write_json_atomic(str(target), {"v": object()})  # not serialisable: fails mid-write
    assert json.loads(target.read_text()) == {"v": 1}
    assert os.listdir(str(tmp_path)) == ["receipt.json"]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_writers_never_leave_a_torn_file(tmp_path):
    target = str(tmp_path / "state.json")
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from client.durable import write_json_atomic\n"
            "i = 0\n"
            "while True:\n"
            "    i += 1\n"
            "    write_json_atomic(%r, {'i': i, 'pad': 'x' * 200000})\n"
            "    if i == 1:\n"
            "        print('first write done', flush=True)\n") % (str(ROOT), target)
    seen = []
    for n in range(15):
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline().strip() == "first write done"
        time.sleep((n % 5) * 0.01)      # kill at a different point of a later write each time
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        with open(target, encoding="utf-8") as f:     # a whole file is always there: never torn, never missing
            body = json.load(f)
        assert len(body["pad"]) == 200000
        seen.append(body["i"])
    assert max(seen) > 1        # some kills did land in the middle of later writes
