"""Bad input never crashes the client or loses a saved answer: a damaged journal, a tampered
paper, a wrong key, a server answering 500 or garbage, a full disk. Each gives a clear error
(Chinese and English) and everything saved survives."""
from __future__ import annotations

import base64
import json
import os
import re
import sqlite3
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Optional

import pytest
import requests

from client.exam import api as A
from client.exam.service import ExamService
from client.sync.repair import journal_path
from tests.helpers.exam_client import client_config, started_service, timeline_ops, wait_for


class StubGate:
    """A tiny HTTP server in front of the real one: passes requests through, or for paths that
    match a rule answers 500 / garbage / a tampered paper / a wrong key instead."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.rules: Dict[str, str] = {}
        gate = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # keep the test output quiet
                pass

            def _any(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                action = next((a for pat, a in gate.rules.items() if re.search(pat, self.path)), None)
                if action == "500":
                    return self._send(500, b"Internal Server Error", "text/plain")
                if action == "garbage":
                    return self._send(200, b"{\"acked_seq\": oops not json", "application/json")
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                r = requests.request(self.command, gate.upstream + self.path, data=body, headers=headers, timeout=10)
                content = r.content
                if action == "tamper_paper" and r.status_code == 200:
                    bundle = r.json()
                    raw = bytearray(base64.b64decode(bundle["ciphertext"]))
                    raw[len(raw) // 2] ^= 0x01
                    bundle["ciphertext"] = base64.b64encode(bytes(raw)).decode()
                    content = json.dumps(bundle).encode()
                if action == "forge_receipt" and r.status_code == 200:
                    forged = r.json()
                    forged["receipt"]["final_seq"] += 1
                    content = json.dumps(forged).encode()
                if action == "wrong_key" and r.status_code == 200:
                    content = json.dumps({"key": base64.b64encode(os.urandom(32)).decode(),
                                          "key_id": r.json()["key_id"]}).encode()
                self._send(r.status_code, content, r.headers.get("Content-Type", "application/json"),
                           r.headers.get("X-Server-Time-Ms"))

            def _send(self, status: int, content: bytes, ctype: str, server_time: Optional[str] = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(content)))
                if server_time:
                    self.send_header("X-Server-Time-Ms", server_time)
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_HEAD = do_PATCH = _any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def gate(sitting):
    g = StubGate(sitting.server.url)
    yield g
    g.close()


def test_tampered_paper_is_refused_and_not_stored(sitting, gate, tmp_path):
    gate.rules["/paper$"] = "tamper_paper"
    svc = ExamService(client_config(gate.url, tmp_path / "c"))
    try:
        svc.login(sitting.ticket, sitting.id_number, sitting.password)
        with pytest.raises(A.EngineError) as e:
            svc.select_sitting(sitting.sitting_id)
        assert e.value.code == "paper.tampered" and "篡改" in e.value.message_zh and "tampered" in e.value.message_en
        assert not os.path.exists(svc._bundle_path(sitting.sitting_id))
        del gate.rules["/paper$"]
        svc.select_sitting(sitting.sitting_id)           # the genuine paper is accepted
        # tampering with the stored (encrypted) copy is caught at the start
        path = svc._bundle_path(sitting.sitting_id)
        bundle = json.load(open(path, encoding="utf-8"))
        bundle["paper_id"] = "another-paper"
        json.dump(bundle, open(path, "w", encoding="utf-8"))
        with pytest.raises(A.EngineError) as e:
            svc.start_exam()
        assert e.value.code == "paper.tampered"
    finally:
        svc.close()


def test_wrong_key_is_refused_then_the_right_one_works(sitting, gate, tmp_path):
    gate.rules["/paper-key$"] = "wrong_key"
    svc = ExamService(client_config(gate.url, tmp_path / "c"))
    try:
        svc.login(sitting.ticket, sitting.id_number, sitting.password)
        svc.select_sitting(sitting.sitting_id)
        with pytest.raises(A.EngineError) as e:
            svc.start_exam()
        assert e.value.code == "paper.wrong_key" and "密钥" in e.value.message_zh
        assert svc.state() != A.IN_EXAM and svc.journal.get_meta("paper_key:" + sitting.sitting_id) is None
        del gate.rules["/paper-key$"]
        assert svc.start_exam().questions and svc.state() == A.IN_EXAM
    finally:
        svc.close()


@pytest.mark.parametrize("failure, reason", [("500", "HTTP 500"), ("garbage", "invalid response")])
def test_server_errors_and_garbage_keep_answers_and_recover(sitting, gate, tmp_path, failure, reason):
    svc = started_service(sitting, tmp_path / "c", server_url=gate.url)
    try:
        gate.rules["/ops$"] = failure
        for v in ("A", "B", "C"):
            assert svc.answer("q1", v).durable
        wait_for(lambda: not svc.sync_status().online and reason in svc.sync_status().reason, what="offline")
        assert svc.sync_status().pending_ops >= 3
        del gate.rules["/ops$"]
        wait_for(lambda: svc.sync_status().online and svc.sync_status().pending_ops == 0, what="recovered")
        assert [o["payload"]["value"] for o in timeline_ops(sitting) if o["kind"] == "answer"] == ["A", "B", "C"]
    finally:
        svc.close()
    assert "Traceback" not in sitting.server.log_tail(20000)


def test_garbage_at_login_is_a_clear_error(sitting, gate, tmp_path):
    gate.rules["/auth/login$"] = "garbage"
    svc = ExamService(client_config(gate.url, tmp_path / "c"))
    try:
        with pytest.raises(A.EngineError) as e:
            svc.login(sitting.ticket, sitting.id_number, sitting.password)
        assert e.value.code == "network.offline" and "invalid response" in e.value.message_en
        assert e.value.message_zh.startswith("无法连接")
    finally:
        svc.close()


@pytest.mark.expected_log(r"journal damaged, rebuilding", r"答题记录文件损坏")
def test_damaged_journal_is_rebuilt_and_the_server_gets_the_rest(sitting, tmp_path):
    data = tmp_path / "c"
    svc = started_service(sitting, data)
    svc.answer("q1", "B")
    wait_for(lambda: svc.sync_status().acked_seq == 3, what="ack")
    svc.worker.stop()                                     # the rest is never sent before the damage
    for v in ("A", "C", "D"):
        svc.answer("q1", v)
    svc.answer("q3", True)
    svc.close()
    db = sqlite3.connect(journal_path(str(data)))         # a bit flips in an answer already on disk
    db.execute("UPDATE ops SET hash = (CASE WHEN substr(hash, 1, 1) = '0' THEN '1' ELSE '0' END) || substr(hash, 2) "
               "WHERE seq = 5")
    db.commit()
    db.close()
    errors = []

    class L(A.EngineListener):
        def on_error(self, error): errors.append(error)

    again = ExamService(client_config(sitting.server.url, data))
    again.add_listener(L())
    try:
        assert errors and errors[0].code == "journal.repaired" and "重建" in errors[0].message_zh
        assert os.path.exists(errors[0].details["damaged_path"])
        assert again.resume()
        assert again.answers() == {"q1": "D", "q3": True}
        head = again.journal.head(sitting.sitting_id)[0]
        wait_for(lambda: again.sync_status().acked_seq == head, timeout=60, what="sync after repair")
        answers = [o["payload"]["value"] for o in timeline_ops(sitting) if o["kind"] == "answer"]
        assert answers[-1] is True and answers[-2] == "D" and answers[0] == "B"
    finally:
        again.close()


@pytest.fixture
def tiny_disk(tmp_path):
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (%s): full-disk test skipped" % r.stderr.decode().strip())
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_full_disk_refuses_the_answer_clearly_and_keeps_the_rest(sitting, tiny_disk):
    svc = started_service(sitting, tiny_disk / "c")
    try:
        svc.worker.stop()
        saved = [svc.answer("q5", "第%d稿" % i).seq for i in range(5)]
        filler = tiny_disk / "filler"
        fd = os.open(str(filler), os.O_WRONLY | os.O_CREAT)   # another program eats the last byte
        try:
            while True:
                os.write(fd, b"x" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        big = "满" * 400
        with pytest.raises(A.EngineError) as e:
            for _ in range(200):                          # until SQLite needs a page it cannot get
                svc.answer("q5", big)
        assert e.value.code == "journal.disk_full"
        assert "磁盘空间已满" in e.value.message_zh and "disk is full" in e.value.message_en
        filler.unlink()
        after = svc.answer("q5", "最终稿")
        assert after.seq > saved[-1]
        assert svc.journal.verify() == ""
        held = {op.seq: op.payload["value"] for op in svc.journal.ops(sitting.sitting_id) if op.kind == "answer"}
        assert all(held[s] == "第%d稿" % i for i, s in enumerate(saved)) and held[after.seq] == "最终稿"
    finally:
        svc.close()


@pytest.mark.expected_log(r"回执签名校验失败")
def test_forged_receipt_is_kept_but_flagged(sitting, gate, tmp_path):
    gate.rules["/submit$"] = "forge_receipt"
    svc = started_service(sitting, tmp_path / "c", server_url=gate.url)
    errors = []

    class L(A.EngineListener):
        def on_error(self, error): errors.append(error)

    svc.add_listener(L())
    try:
        svc.answer("q1", "B")
        receipt = svc.submit()
        assert receipt is not None and receipt.verified is False
        assert [e.code for e in errors] == ["receipt.unverified"] and "回执" in errors[0].message_zh
        assert svc.journal.receipt(sitting.sitting_id)["verified"] is False
    finally:
        svc.close()


@pytest.mark.expected_log(r"evidence file changed", r"server did not verify", r"证据文件")
def test_evidence_changed_on_disk_is_flagged_and_still_delivered(sitting, tmp_path):
    svc = started_service(sitting, tmp_path / "c", upload_chunk_bytes=64 * 1024)
    clip = tmp_path / "snippet.mp4"
    clip.write_bytes(os.urandom(100 * 1024))
    try:
        svc.worker.stop()
        svc.report_event("second_person", "alert", {"faces": 2}, evidence_path=str(clip))
        clip.write_bytes(os.urandom(100 * 1024))           # the file changes before it is sent
        svc.worker = None
        svc._start_worker(sitting.sitting_id)
        wait_for(lambda: not clip.exists(), timeout=60, what="re-upload verified")
        ups = requests.get(sitting.server.api + "/sittings/%s/uploads" % sitting.sitting_id,
                           headers=sitting.headers(), timeout=10).json()["uploads"]
        assert sorted(u["status"] for u in ups) == ["rejected", "verified"]
        head = svc.journal.head(sitting.sitting_id)[0]
        wait_for(lambda: svc.sync_status().acked_seq == head, what="audit event delivered")
        events = [o["payload"] for o in timeline_ops(sitting) if o["kind"] == "event"]
        assert [e["type"] for e in events] == ["second_person", "evidence_changed"]
    finally:
        svc.close()
