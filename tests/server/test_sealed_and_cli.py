"""Sealed exports (candidate, admin, CLI) and the admin command line on a data folder."""
from __future__ import annotations

import csv
import json
import subprocess
import sys

import requests

from examcore.sealed import seal
from tests.helpers.fixtures import make_sitting
from tests.helpers.papers import FULL_MARKS, sample_paper
from tests.helpers.server import ROOT
from tests.server.kit import OpChain, assert_error, auth, post_ops, verify_signature


def _sealed(srv, chain: OpChain, reason: str = "time_up") -> dict:
    pub = requests.get(srv.api + "/server-info", timeout=5).json()["sealing_public_key"]
    return seal({"sitting_id": chain.sitting_id, "ops": chain.ops, "final_seq": chain.seq,
                 "chain_head": chain.head, "sealed_at_ms": 1, "reason": reason}, pub)


def _cli(srv, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server", *args, "--data-dir", str(srv.data_dir),
                           *(srv.backend_args or [])], cwd=str(ROOT),
                          capture_output=True, text=True, timeout=120)


def test_sealed_export_completes_an_offline_sitting(live_server):
    st = make_sitting(live_server)
    chain = OpChain(st.sitting_id)
    for qid, value in FULL_MARKS.items():
        chain.answer(qid, value)
    assert post_ops(st, chain.ops[:2]).status_code == 200  # two went out before the network died
    chain.add("event", {"type": "network", "severity": "warn", "detail": {"state": "offline"}})
    box = _sealed(live_server, chain)
    url = live_server.api + "/sittings/%s/sealed" % st.sitting_id
    r = requests.post(url, json=box, headers=auth(st.token), timeout=10)
    assert r.status_code == 200, r.text
    receipt = r.json()
    info = requests.get(live_server.api + "/server-info", timeout=5).json()
    verify_signature(info["signing_public_key"], receipt["receipt"], receipt["signature"])
    assert receipt["receipt"]["final_seq"] == chain.seq and receipt["receipt"]["reason"] == "time_up"
    assert requests.post(url, json=box, headers=auth(st.token), timeout=10).json() == receipt  # idempotent
    entries = live_server.admin_json("GET", "/admin/sittings/%s/timeline" % st.sitting_id)["entries"]
    assert [e["source"] for e in entries if e["type"] == "op"] == ["online"] * 2 + ["sealed"] * 4
    res = requests.get(live_server.api + "/sittings/%s/result" % st.sitting_id, headers=auth(st.token), timeout=5)
    assert res.json()["objective_score"] == 80


def test_sealed_export_checks(live_server):
    st, other = make_sitting(live_server), make_sitting(live_server)
    chain = OpChain(st.sitting_id)
    chain.answer("q1", "B")
    chain.answer("q3", True)
    url = live_server.api + "/sittings/%s/sealed" % st.sitting_id
    # a broken chain inside perfectly valid encryption
    tampered = OpChain(st.sitting_id)
    tampered.ops = [dict(chain.ops[0]), dict(chain.ops[1], payload={"question_id": "q3", "value": False})]
    tampered.seq, tampered.head = 2, chain.head
    err = assert_error(requests.post(url, json=_sealed(live_server, tampered), headers=auth(st.token), timeout=10),
                       422, "sealed.invalid")
    assert err["details"]["seq"] == 2
    # another sitting's export posted here
    oc = OpChain(other.sitting_id)
    oc.answer("q1", "A")
    assert_error(requests.post(url, json=_sealed(live_server, oc), headers=auth(st.token), timeout=10),
                 422, "sealed.invalid")
    # the server already holds a different op 1: a fork, refused
    diverged = OpChain(st.sitting_id)
    diverged.answer("q1", "C")
    assert post_ops(st, diverged.ops).status_code == 200
    assert_error(requests.post(url, json=_sealed(live_server, chain), headers=auth(st.token), timeout=10),
                 409, "ops.fork")
    # staff can import through the admin API
    oc.answer("q3", True)
    r = live_server.admin("POST", "/admin/sealed", json=_sealed(live_server, oc))
    assert r.status_code == 200 and r.json()["receipt"]["sitting_id"] == other.sitting_id


def test_admin_cli_on_the_data_folder(live_server, tmp_path):
    srv = live_server
    st = make_sitting(srv)
    chain = OpChain(st.sitting_id)
    chain.answer("q1", "B")
    chain.answer("q5", "先倾听")
    box = _sealed(srv, chain, reason="candidate")
    (tmp_path / "s.json").write_text(json.dumps(box))
    paper = sample_paper("cli-paper")
    (tmp_path / "p.json").write_text(json.dumps(paper, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"format": "examdesk-paper/1", "paper_id": ')
    (tmp_path / "c.csv").write_text("ticket,id_number,name,level,password\nCLI-1,ID1,王五,中级,secret-1\n"
                                    "CLI-2,ID2,赵六,中级,secret-2\n", encoding="utf-8")
    srv.stop()  # the CLI works on the folder itself
    assert _cli(srv, "import-paper", str(tmp_path / "p.json")).returncode == 0
    bad = _cli(srv, "import-paper", str(tmp_path / "bad.json"))
    assert bad.returncode == 2 and "paper.invalid" in bad.stderr and "JSON" in bad.stderr and "Traceback" not in bad.stderr
    assert json.loads(_cli(srv, "import-candidates", str(tmp_path / "c.csv")).stdout) == {"imported": 2}
    (tmp_path / "r.csv").write_text("room_id,paper_id,part,kind,start_at_ms,duration_s,candidates,proctors\n"
                                    "room-cli,cli-paper,theory,formal,0,7200,CLI-1|CLI-2,甲|乙\n", encoding="utf-8")
    rooms = json.loads(_cli(srv, "import-rooms", str(tmp_path / "r.csv")).stdout)
    assert rooms[0]["room_id"] == "room-cli" and len(rooms[0]["sittings"]) == 2
    ratio = _cli(srv, "create-room", "--paper", "cli-paper", "--start-at-ms", "2026-12-01T09:00", "--candidates",
                 "CLI-1", "--proctors", "甲")
    assert ratio.returncode == 2 and "room.ratio" in ratio.stderr and "监考" in ratio.stderr
    assert json.loads(_cli(srv, "command", st.sitting_id, "--extend", "300").stdout)["extension_s"] == 300
    practical = json.loads(_cli(srv, "create-room", "--paper", "cli-paper", "--part", "practical", "--start-at-ms",
                                "2026-12-01T09:00", "--candidates", "CLI-2", "--proctors", "甲,乙").stdout)
    assert practical["start_at_ms"] == 1796086800000 and practical["sittings"][0]["ticket"] == "CLI-2"
    receipt = json.loads(_cli(srv, "import-sealed", str(tmp_path / "s.json")).stdout)
    assert receipt["receipt"]["final_seq"] == 2
    late = _cli(srv, "command", st.sitting_id, "--extend", "60")
    assert late.returncode == 2 and "sitting.sealed" in late.stderr  # no extension after submission
    marked = json.loads(_cli(srv, "mark", st.sitting_id, "q5", "12").stdout)
    assert marked["status"] == "final" and marked["total"] == 32
    panel = _cli(srv, "panel-score", st.sitting_id, "--part", "practical", "--member", "甲:90", "--member", "乙:80")
    assert panel.returncode == 2 and "panel.size" in panel.stderr
    panel = _cli(srv, "panel-score", st.sitting_id, "--part", "practical", "--member", "甲:90", "--member", "乙:80",
                 "--member", "丙:70")
    assert json.loads(panel.stdout)["total"] == 80.0
    timeline = json.loads(_cli(srv, "timeline", st.sitting_id).stdout)
    assert [e["type"] for e in timeline["entries"]].count("op") == 2
    out = tmp_path / "results.csv"
    assert _cli(srv, "export-results", st.room["room_id"], "--csv", str(out)).returncode == 0
    with open(out, encoding="utf-8-sig") as f:
        [row] = list(csv.DictReader(f))
    assert (row["ticket"], row["total"], row["passed"]) == (st.ticket, "32.0", "False")
    srv.start()  # and the server sees what the CLI did
    r = requests.post(srv.api + "/auth/login", json={"ticket": "CLI-1", "id_number": "ID1", "password": "secret-1"},
                      timeout=10)
    assert r.json()["sittings"][0]["room_id"] == "room-cli"
