"""Crash harness (promise 1): a child process answers as fast as it can and prints every answer
the journal has called saved; the parent SIGKILLs it at random moments, at least 200 times.
After every kill each reported answer must be in the journal (which must open cleanly); at the
end the service resumes, syncs, and the server holds every one of them in order.

Run directly with `--child DATA_DIR SITTING_ID PAPER_JSON` it is the child.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

KILLS = int(os.environ.get("EXAMDESK_CRASH_KILLS", "200"))


def child(data_dir: str, sitting_id: str, paper_json: str) -> None:
    from client.sync.journal import AnswerJournal
    from examcore.paper import normalise_answer, paper_from_json

    paper = paper_from_json(paper_json)
    journal = AnswerJournal(os.path.join(data_dir, "journal.sqlite3"))
    rng = random.Random(os.getpid())
    choices = {"single": lambda q: rng.choice(q.option_keys),
               "multiple": lambda q: rng.sample(list(q.option_keys), rng.randint(1, len(q.option_keys))),
               "true_false": lambda q: rng.random() < 0.5,
               "fill_blank": lambda q: ["答%d" % rng.randint(0, 999) for _ in range(q.blanks)],
               "essay": lambda q: "作答" * rng.randint(1, 40)}
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        q = rng.choice(paper.questions)
        value = normalise_answer(q, choices[q.kind](q))
        op = journal.append(sitting_id, "answer", {"question_id": q.id, "value": value}, 1000, int(time.time() * 1000))
        # only now, after the commit returned, may the candidate be told "saved"
        sys.stdout.write("saved %d %s\n" % (op.seq, json.dumps({"question_id": q.id, "value": value},
                                                              ensure_ascii=False, sort_keys=True)))
        sys.stdout.flush()
        time.sleep(0.003)   # far faster than any candidate, and keeps the chain short enough to re-check often


def test_answers_survive_200_random_kills(sitting, tmp_path):
    from client.exam import api as A
    from client.exam.service import ExamService
    from client.sync.journal import AnswerJournal
    from tests.helpers.exam_client import client_config, started_service, timeline_ops, wait_for

    data = tmp_path / "client"
    svc = started_service(sitting, data)
    paper_json = svc.paper.to_json()
    svc.close()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, PYTHONPATH=root)
    reported = {}          # seq -> payload the child was told is saved
    rng = random.Random(1234)
    kills = 0
    while kills < KILLS:
        proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--child", str(data), sitting.sitting_id,
                                 paper_json], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=root)
        assert proc.stdout.readline() == b"ready\n", proc.stderr.read().decode()
        time.sleep(rng.uniform(0.005, 0.080))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, err.decode()
        kills += 1
        for line in out.decode("utf-8", "replace").splitlines():
            parts = line.split(" ", 2)
            if len(parts) == 3 and parts[0] == "saved":
                try:
                    reported[int(parts[1])] = json.loads(parts[2])
                except ValueError:
                    pass          # the kill cut this line short: the parent never saw it whole
        journal = AnswerJournal(os.path.join(str(data), "journal.sqlite3"))   # integrity + chain check
        held = {op.seq: op.payload for op in journal.ops(sitting.sitting_id)}
        journal.close()
        missing = [s for s, p in reported.items() if held.get(s) != p]
        assert not missing, "after kill %d, saved answers missing: %s" % (kills, missing[:5])

    resumed = ExamService(client_config(sitting.server.url, data))
    try:
        assert resumed.resume() and resumed.state() == A.IN_EXAM
        head = resumed.journal.head(sitting.sitting_id)[0]
        wait_for(lambda: resumed.sync_status().acked_seq == head, timeout=120, what="final sync")
        on_server = {o["seq"]: o["payload"] for o in timeline_ops(sitting)}
        assert sorted(on_server) == list(range(1, head + 1))
        assert all(on_server[s] == p for s, p in reported.items())
        print("\ncrash harness: %d kills, %d saved answers verified in the journal after every restart and on "
              "the server (%d ops in all)" % (kills, len(reported), head))
    finally:
        resumed.close()
    assert len(reported) > kills          # the harness really answered between kills


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "--child":
    child(sys.argv[2], sys.argv[3], sys.argv[4])
