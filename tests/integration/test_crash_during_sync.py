"""SIGKILL the whole client (ExamService with its sync worker talking to the real server) at
random moments, mid-request included. After every restart the journal opens clean with every
reported answer; at the end the server holds exactly the journal's chain, once, and the
submission is accepted.

Run directly with `--child DATA_DIR SERVER_URL` it is the child.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

KILLS = int(os.environ.get("EXAMDESK_SERVICE_KILLS", "20"))


def child(data_dir: str, server_url: str) -> None:
    from client.exam.service import ExamService
    from tests.helpers.exam_client import client_config

    svc = ExamService(client_config(server_url, data_dir, ops_batch_size=5))
    assert svc.resume()
    rng = random.Random(os.getpid())
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        value = rng.choice("ABCD")
        saved = svc.answer("q1", value)
        sys.stdout.write("saved %d %s\n" % (saved.seq, json.dumps(value)))
        sys.stdout.flush()
        time.sleep(rng.uniform(0, 0.01))


def test_kills_while_syncing_never_fork_or_duplicate(sitting, tmp_path):
    from client.exam.service import ExamService
    from client.sync.journal import AnswerJournal
    from tests.helpers.exam_client import client_config, started_service, timeline_ops, wait_for

    data = tmp_path / "client"
    started_service(sitting, data).close()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, PYTHONPATH=root)
    rng = random.Random(99)
    reported = {}
    for kill in range(KILLS):
        proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--child", str(data), sitting.server.url],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=root)
        assert proc.stdout.readline() == b"ready\n", proc.stderr.read().decode()[-3000:]
        time.sleep(rng.uniform(0.01, 0.3))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        for line in out.decode("utf-8", "replace").splitlines():
            parts = line.split(" ", 2)
            if len(parts) == 3 and parts[0] == "saved":
                try:
                    reported[int(parts[1])] = json.loads(parts[2])
                except ValueError:
                    pass
        j = AnswerJournal(os.path.join(str(data), "journal.sqlite3"))
        held = {op.seq: op.payload.get("value") for op in j.ops(sitting.sitting_id)}
        j.close()
        assert all(held.get(s) == v for s, v in reported.items()), "kill %d lost an answer" % kill
    svc = ExamService(client_config(sitting.server.url, data))
    try:
        assert svc.resume()
        receipt = svc.submit() or wait_for(svc.receipt, timeout=60, what="receipt")
        local = [(op.seq, op.hash) for op in svc.journal.ops(sitting.sitting_id)]
        on_server = timeline_ops(sitting)
        assert [o["seq"] for o in on_server] == [s for s, _ in local] == list(range(1, receipt.final_seq + 1))
        values = {o["seq"]: o["payload"].get("value") for o in on_server}
        assert all(values[s] == v for s, v in reported.items())
        print("\ncrash during sync: %d kills, %d answers reported and verified on the server" % (KILLS, len(reported)))
    finally:
        svc.close()


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "--child":
    child(sys.argv[2], sys.argv[3])
