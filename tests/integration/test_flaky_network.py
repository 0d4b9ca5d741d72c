"""A network that cuts connections mid-request, mid-response and mid-upload: nothing is lost,
nothing is applied twice, uploads resume from the server's offset, the submission goes through."""
from __future__ import annotations

import os

import pytest
import requests

from tests.helpers.exam_client import started_service, timeline_ops, wait_for
from tests.helpers.flaky_proxy import FlakyProxy

# a creation reply cut inside its Location header leaves a URL the server never issued: the client is told
# 404 and starts that upload again (and says so)
pytestmark = pytest.mark.expected_log(r"stale upload URL .* \(404\): starting again")


def test_flaky_network_loses_and_duplicates_nothing(sitting, tmp_path):
    proxy = FlakyProxy(sitting.server.port, cut_probability=0.0, max_cut_bytes=16 * 1024)
    svc = started_service(sitting, tmp_path / "c", server_url=proxy.url, upload_chunk_bytes=32 * 1024,
                          ops_batch_size=20, heartbeat_interval_s=0.3)
    clips = []
    try:
        proxy.cut_probability = 0.2
        values = ["A", "B", "C", "D"]
        for i in range(120):
            svc.answer("q1", values[i % 4])
            svc.answer("q5", "第%d稿" % i)
            if i % 40 == 0:
                clip = tmp_path / ("clip%d.mp4" % i)
                clip.write_bytes(os.urandom(200 * 1024 + i))
                clips.append(clip)
                svc.report_event("gaze_away", "warn", {"i": i}, evidence_path=str(clip))
        head = svc.journal.head(sitting.sitting_id)[0]
        wait_for(lambda: svc.sync_status().acked_seq == head, timeout=120, what="all ops acknowledged")
        wait_for(lambda: not any(c.exists() for c in clips), timeout=120, what="all clips verified")
        receipt = svc.submit() or wait_for(svc.receipt, timeout=120, what="receipt")
        assert receipt.verified and receipt.final_seq == head
    finally:
        svc.close()
        proxy.close()
    ops = timeline_ops(sitting)
    assert [o["seq"] for o in ops] == list(range(1, head + 1))          # exactly once, in order
    local = {op.seq: op.payload for op in svc.journal.__class__(svc.journal.path).ops(sitting.sitting_id)}
    assert {o["seq"]: o["payload"] for o in ops} == local
    ups = requests.get(sitting.server.api + "/sittings/%s/uploads" % sitting.sitting_id,
                       headers=sitting.headers(), timeout=10).json()["uploads"]
    verified = [u for u in ups if u["verified"]]
    assert len(verified) == len(clips) and len({u["sha256"] for u in verified}) == len(clips)
    assert proxy.cuts_up > 0 and proxy.cuts_down > 0, (proxy.cuts_up, proxy.cuts_down)
    print("\nflaky network: %d connections, %d cut mid-request, %d cut mid-response; uploads resumed at "
          "server offsets %s" % (proxy.connections, proxy.cuts_up, proxy.cuts_down, svc.worker.upload_resumes))
    assert svc.worker.upload_resumes, "no upload ever resumed from a server offset"


def test_cuts_and_dropouts_together_keep_every_answer_once(sitting, tmp_path):
    import random

    proxy = FlakyProxy(sitting.server.port, cut_probability=0.0, seed=11, max_cut_bytes=4096)
    svc = started_service(sitting, tmp_path / "c", server_url=proxy.url, ops_batch_size=7)
    proxy.cut_probability = 0.15
    rng = random.Random(3)
    expected = []
    try:
        for i in range(150):
            if i % 25 == 0:                              # the line drops for a while, then comes back
                proxy.refuse = not proxy.refuse
                proxy.drop_all()
            value = rng.choice(["A", "B", "C", "D"])
            svc.answer("q1", value)
            expected.append(value)
            if i % 10 == 0:
                svc.flag("q2", i % 20 == 0)
        proxy.refuse = False
        head = svc.journal.head(sitting.sitting_id)[0]
        wait_for(lambda: svc.sync_status().acked_seq == head, timeout=120, what="everything acknowledged")
    finally:
        svc.close()
        proxy.close()
    ops = timeline_ops(sitting)
    assert [o["seq"] for o in ops] == list(range(1, head + 1))
    assert [o["payload"]["value"] for o in ops if o["kind"] == "answer"] == expected
