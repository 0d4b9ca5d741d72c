"""Schemathesis (v4) against the live server's /openapi.json: zero 5xx, bounded in size.

Every operation gets schema-valid (positive) and schema-breaking (negative) cases, with a real
candidate token, the admin token and real sitting / upload / room ids, so the requests reach the
code behind validation and not just the 404 for an unknown id.
"""
from __future__ import annotations

import base64
import hashlib
import json

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st_
from hypothesis.errors import Unsatisfiable

from tests.helpers.fixtures import make_sitting
from tests.helpers.server import ADMIN_TOKEN
from tests.server.kit import OpChain, auth, post_ops

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.generation import GenerationMode  # noqa: E402

EXAMPLES_PER_MODE = 30


def test_fuzz_finds_no_server_errors(live_server):
    srv = live_server
    sitting = make_sitting(srv)
    spare = make_sitting(srv)  # its token is the one logout may end
    chain = OpChain(sitting.sitting_id)
    chain.answer("q1", "B")
    assert post_ops(sitting, chain.ops).status_code == 200
    meta = {"filename": "e.mp4", "filetype": "video/mp4", "sitting_id": sitting.sitting_id, "purpose": "evidence",
            "sha256": hashlib.sha256(b"x" * 100).hexdigest()}
    created = requests.post(srv.api + "/files/", timeout=5, headers=dict(auth(sitting.token), **{
        "Tus-Resumable": "1.0.0", "Upload-Length": "100",
        "Upload-Metadata": ",".join("%s %s" % (k, base64.b64encode(v.encode()).decode()) for k, v in meta.items())}))
    upload_id = created.headers["Location"].rsplit("/", 1)[1]
    empty = dict(meta, sha256=hashlib.sha256(b"").hexdigest())  # 0 bytes: complete (verified) at creation
    done = requests.post(srv.api + "/files/", timeout=5, headers=dict(auth(sitting.token), **{
        "Tus-Resumable": "1.0.0", "Upload-Length": "0",
        "Upload-Metadata": ",".join("%s %s" % (k, base64.b64encode(v.encode()).decode()) for k, v in empty.items())}))
    finished_id = done.headers["Location"].rsplit("/", 1)[1]
    ids = {"sid": sitting.sitting_id, "upload_id": upload_id, "room_id": sitting.room["room_id"]}

    schema = schemathesis.openapi.from_url(srv.url + "/openapi.json")
    counts = {"requests": 0, "4xx": 0, "2xx": 0, "unsatisfiable": 0}
    failures: list = []
    session = requests.Session()
    for result in schema.get_all_operations():
        op = result.ok()
        path = op.path
        token = ADMIN_TOKEN if "/admin/" in path else spare.token if path.endswith("/logout") else sitting.token
        real = {k: v for k, v in ids.items() if "{%s}" % k in path}
        runs = [(GenerationMode.POSITIVE, real), (GenerationMode.NEGATIVE, real)]
        if "upload_id" in real:  # a partial upload and a finished one take different paths
            runs.append((GenerationMode.POSITIVE, dict(real, upload_id=finished_id)))
        for mode, path_ids in runs:
            try:
                _fuzz(op, mode, token, path_ids, srv.url, session, counts, failures)
            except Unsatisfiable:  # e.g. no way to break the schema of an operation without inputs
                counts["unsatisfiable"] += 1
    print("\nfuzz: %d requests (%d 2xx/3xx, %d 4xx), %d failures" % (counts["requests"], counts["2xx"],
                                                                   counts["4xx"], len(failures)))
    assert counts["requests"] > 200
    assert failures == []
    assert requests.get(srv.api + "/healthz", timeout=5).status_code == 200
    assert "Traceback" not in srv.log_tail(200_000)


def _fuzz(op, mode, token: str, real: dict, base_url: str, session, counts: dict, failures: list) -> None:
    positive = mode == GenerationMode.POSITIVE
    # positive cases aim at the real objects; negative ones may break the path too
    strategy = op.as_strategy(generation_mode=mode, path_parameters=real or None) if positive \
        else op.as_strategy(generation_mode=mode)

    @settings(max_examples=EXAMPLES_PER_MODE, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy, use_token=st_.booleans())
    def run(case, use_token):
        headers = {"Authorization": "Bearer " + token} if use_token or positive else {}
        try:
            r = case.call(base_url=base_url, session=session, headers=headers, timeout=20)
        except requests.RequestException as e:  # a refused or reset connection is a failure too
            failures.append((op.label, mode.value, repr(e)))
            return
        counts["requests"] += 1
        counts["2xx" if r.status_code < 400 else "4xx"] += 1
        if r.status_code >= 500 or "x-server-time-ms" not in {k.lower() for k in r.headers}:
            failures.append((op.label, mode.value, r.status_code, r.text[:300]))
        elif r.status_code >= 400 and case.method != "HEAD":
            body = json.loads(r.content)
            if set(body.get("error", {})) != {"code", "message_zh", "message_en", "details"}:
                failures.append((op.label, mode.value, "undocumented error body", r.text[:300]))

    run()
