"""ExamService against the real server on loopback: the whole happy path and its side roads."""
from __future__ import annotations

import json
import os

import pytest
import requests

from client.exam import api as A
from client.exam.service import ExamService
from tests.helpers.documents import minimal_pdf
from tests.helpers.exam_client import client_config, started_service, timeline_ops, wait_for
from tests.helpers.fixtures import make_sitting
from tests.helpers.papers import FULL_MARKS


class Recorder(A.EngineListener):
    def __init__(self) -> None:
        self.events: list = []

    def on_state(self, state): self.events.append(("state", state))
    def on_sync(self, status): self.events.append(("sync", status))
    def on_sealed(self, reason): self.events.append(("sealed", reason))
    def on_receipt(self, receipt): self.events.append(("receipt", receipt))
    def on_command(self, command): self.events.append(("command", command))
    def on_upload(self, progress): self.events.append(("upload", progress))
    def on_error(self, error): self.events.append(("error", error))

    def of(self, kind):
        return [e[1] for e in self.events if e[0] == kind]


def test_login_to_receipt(sitting, tmp_path):
    svc = started_service(sitting, tmp_path / "c")
    rec = Recorder()
    svc.add_listener(rec)
    try:
        assert svc.state() == A.IN_EXAM
        seqs = [svc.answer(q, v).seq for q, v in FULL_MARKS.items()]
        assert seqs == sorted(seqs) and svc.answers() == FULL_MARKS
        svc.flag("q2", True)
        svc.visit("q4")
        receipt = svc.submit()
        assert receipt is not None and receipt.verified
        assert svc.state() == A.SUBMITTED and svc.receipt() == receipt
        ops = timeline_ops(sitting)
        assert [o["seq"] for o in ops] == list(range(1, receipt.final_seq + 1))   # once each, in order
        answered = {o["payload"]["question_id"]: o["payload"]["value"] for o in ops if o["kind"] == "answer"}
        assert answered == FULL_MARKS
        assert rec.of("sealed") == ["candidate"] and rec.of("receipt")[0].submission_id == receipt.submission_id
        assert any(s.online for s in rec.of("sync"))
        with pytest.raises(A.EngineError) as e:
            svc.answer("q1", "A")
        assert e.value.code == "exam.not_in_exam"
    finally:
        svc.close()


def test_invalid_answers_are_refused_before_the_journal(sitting, tmp_path):
    svc = started_service(sitting, tmp_path / "c")
    try:
        for qid, bad in (("q1", "Z"), ("q2", "A"), ("q3", "yes"), ("q4", ["only one"]), ("q9", "A")):
            with pytest.raises(A.EngineError) as e:
                svc.answer(qid, bad)
            assert e.value.message_zh and e.value.message_en
        assert svc.journal.head(sitting.sitting_id)[0] == 2          # consent + check report only
    finally:
        svc.close()


def test_proctor_extend_message_and_end(sitting, tmp_path):
    svc = started_service(sitting, tmp_path / "c", heartbeat_interval_s=0.1)
    rec = Recorder()
    svc.add_listener(rec)
    try:
        before = svc.clock().deadline_ms
        sitting.server.command(sitting.sitting_id, type="extend", seconds=600)
        sitting.server.command(sitting.sitting_id, type="message", text="请调整摄像头")
        wait_for(lambda: svc.clock().deadline_ms == before + 600_000, what="extension")
        wait_for(lambda: any(c.type == "message" for c in rec.of("command")), what="message")
        svc.answer("q1", "B")
        sitting.server.command(sitting.sitting_id, type="end", reason="违规")
        wait_for(lambda: "proctor" in rec.of("sealed"), what="proctor end")
        assert svc.state() in (A.SEALED, A.SUBMITTED)
        ids = [c.id for c in rec.of("command")]
        assert len(ids) == len(set(ids))                                  # each command once
        wait_for(lambda: svc.receipt() is not None, what="receipt")
    finally:
        svc.close()


def test_evidence_upload_is_deleted_only_after_the_server_verified_it(sitting, tmp_path):
    svc = started_service(sitting, tmp_path / "c", upload_chunk_bytes=64 * 1024)
    rec = Recorder()
    svc.add_listener(rec)
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(os.urandom(300 * 1024))
    try:
        seq = svc.report_event("face_missing", "alert", {"seconds": 4}, evidence_path=str(clip))
        wait_for(lambda: any(p.verified for p in rec.of("upload")), what="verified upload")
        assert not clip.exists()
        r = requests.get(sitting.server.api + "/sittings/%s/uploads" % sitting.sitting_id,
                         headers=sitting.headers(), timeout=10).json()
        (up,) = r["uploads"]
        assert up["verified"] and up["size"] == 300 * 1024 and str(up.get("event_seq")) == str(seq)
        assert svc.journal.uploads("verified")[0]["sha256"] == up["sha256"]
    finally:
        svc.close()


def test_sealed_export_is_accepted_by_the_server(sitting, tmp_path):
    svc = started_service(sitting, tmp_path / "c")
    try:
        svc.worker.stop()                      # as if the network never came back
        svc.answer("q1", "B")
        svc.answer("q5", "先倾听")
        path = svc.export_sealed(str(tmp_path / "sealed.json"))
        sealed = json.loads(open(path, encoding="utf-8").read())
        assert sealed["format"] == "examdesk-sealed/1" and "先倾听" not in open(path, encoding="utf-8").read()
        r = requests.post(sitting.server.api + "/sittings/%s/sealed" % sitting.sitting_id, json=sealed,
                          headers=sitting.headers(), timeout=10)
        assert r.status_code == 200, r.text
        assert r.json()["receipt"]["final_seq"] == svc.journal.seal(sitting.sitting_id)["final_seq"] == 4
    finally:
        svc.close()


def test_a_changed_server_key_is_refused(sitting, tmp_path):
    svc = ExamService(client_config(sitting.server.url, tmp_path / "c", server_signing_key="A" * 43 + "="))
    try:
        with pytest.raises(A.EngineError) as e:
            svc.login(sitting.ticket, sitting.id_number, sitting.password)
        assert e.value.code == "server.key_mismatch" and "密钥" in e.value.message_zh
    finally:
        svc.close()


def test_key_before_the_start_is_refused_then_released(live_server, tmp_path):
    st = make_sitting(live_server, start_in_s=3600)
    svc = ExamService(client_config(live_server.url, tmp_path / "c"))
    try:
        svc.login(st.ticket, st.id_number, st.password)
        svc.select_sitting(st.sitting_id)              # the paper comes early, still locked
        assert os.path.exists(svc._bundle_path(st.sitting_id))
        with pytest.raises(A.EngineError) as e:
            svc.start_exam()
        assert e.value.code == "paper.key_not_yet" and svc.state() == A.WAITING
        assert svc.clock().state == "not_started" and 3500 < svc.clock().until_start_s <= 3600
        live_server.set_clock_offset(3600 * 1000 + 1000)
        paper = svc.start_exam()
        assert paper.questions and svc.state() == A.IN_EXAM
    finally:
        svc.close()


@pytest.mark.expected_log(r"upload refused: .*documents\.closed", r"材料提交已截止")
def test_document_upload_in_its_window_and_refused_after(sitting, tmp_path):
    svc = started_service(sitting, tmp_path / "c")
    rec = Recorder()
    svc.add_listener(rec)
    plan = tmp_path / "工作改进方案.pdf"
    plan.write_bytes(minimal_pdf("plan", extra_bytes=100 * 1024))   # the server checks a document's bytes
    try:
        (window,) = [w for w in svc.document_windows() if w["sitting_id"] == sitting.sitting_id]
        assert window["part"] == "practical"
        svc.upload_document(sitting.sitting_id, str(plan))
        wait_for(lambda: svc.journal.uploads("verified"), what="document verified")
        assert plan.exists()                                   # the candidate's own file is kept
        (w,) = [w for w in svc.document_windows() if w["sitting_id"] == sitting.sitting_id]
        assert [d["filename"] for d in w["documents"]] == ["工作改进方案.pdf"]
        with pytest.raises(A.EngineError) as e:
            notes = tmp_path / "notes.txt"
            notes.write_text("x")
            svc.upload_document(sitting.sitting_id, str(notes))
        assert e.value.code == "upload.type"
        sitting.server.set_clock_offset(40 * 86400 * 1000)   # long after the working-day deadline
        late = tmp_path / "补充材料.pdf"
        late.write_bytes(b"%PDF-1.4\nlate")
        svc.upload_document(sitting.sitting_id, str(late))
        wait_for(lambda: [u for u in svc.journal.uploads("refused")], what="refused")
        assert any(e.code == "documents.closed" for e in rec.of("error"))
    finally:
        svc.close()


def test_mock_then_formal_in_one_data_folder(live_server, tmp_path):
    from tests.helpers.papers import sample_paper

    mock = make_sitting(live_server, kind="mock", paper=sample_paper("mock-paper", kind="mock"))
    svc = started_service(mock, tmp_path / "c")
    try:
        for q, v in FULL_MARKS.items():
            svc.answer(q, v)
        sheet = svc.practice_score()
        assert sheet is not None and sheet.objective_score == sheet.objective_max == 80
        assert svc.submit() is not None
        svc.select_sitting(mock.sitting_id)                  # selecting again is harmless
    finally:
        svc.close()


def test_answers_are_not_held_behind_a_capped_upload(sitting, tmp_path):
    svc = started_service(sitting, tmp_path / "c", upload_chunk_bytes=16 * 1024, upload_bandwidth_bps=64 * 1024)
    clip = tmp_path / "long.mp4"
    clip.write_bytes(os.urandom(1024 * 1024))                # 16 s of upload at the cap
    try:
        svc.report_event("voice", "warn", {"db": -20}, evidence_path=str(clip))
        wait_for(lambda: svc.worker._jobs, what="upload under way")
        seq = svc.answer("q1", "B").seq
        wait_for(lambda: svc.sync_status().acked_seq >= seq, what="answer acknowledged")
        ups = requests.get(sitting.server.api + "/sittings/%s/uploads" % sitting.sitting_id,
                           headers=sitting.headers(), timeout=10).json()["uploads"]
        assert clip.exists() and all(u["offset"] < u["size"] for u in ups)   # the answer overtook the upload
    finally:
        svc.close()


def test_an_expired_token_is_renewed_from_memory(live_server, tmp_path):
    st = make_sitting(live_server, start_in_s=13 * 3600)     # tokens last 12 hours on the server
    svc = ExamService(client_config(live_server.url, tmp_path / "c"))
    try:
        svc.login(st.ticket, st.id_number, st.password)
        svc.select_sitting(st.sitting_id)
        old_token = svc.api.token
        live_server.set_clock_offset((13 * 3600 + 60) * 1000)
        assert svc.start_exam().questions                     # 401 -> login again -> the key
        assert svc.api.token != old_token
        seq = svc.answer("q1", "B").seq
        wait_for(lambda: svc.sync_status().acked_seq == seq, what="delivered with the new token")
    finally:
        svc.close()
