"""Candidate B can touch nothing of candidate A's; tokens expire; admin and candidate roles stay apart."""
from __future__ import annotations

import base64
import hashlib

import pytest
import requests
from tusclient import client as tus_client

from examcore.sealed import seal
from tests.helpers.fixtures import make_sitting
from tests.helpers.server import ADMIN_TOKEN
from tests.server.kit import OpChain, assert_error, auth


@pytest.fixture
def two(live_server):
    return make_sitting(live_server), make_sitting(live_server)


def test_b_cannot_read_or_write_a_sitting(live_server, two, tmp_path):
    a, b = two
    chain = OpChain(a.sitting_id)
    chain.answer("q1", "B")
    api = live_server.api + "/sittings/" + a.sitting_id
    hb = {"state": "in_exam", "acked_commands": []}
    sealed = seal({"sitting_id": a.sitting_id, "ops": chain.ops, "final_seq": 1, "chain_head": chain.head,
                   "sealed_at_ms": 0, "reason": "time_up"},
                  requests.get(live_server.api + "/server-info", timeout=5).json()["sealing_public_key"])
    calls = [("GET", "", None), ("GET", "/paper", None), ("GET", "/paper-key", None), ("GET", "/uploads", None),
             ("GET", "/result", None), ("POST", "/ops", {"ops": chain.ops}), ("POST", "/heartbeat", hb),
             ("POST", "/submit", {"final_seq": 0, "chain_head": chain.ops[0]["hash"]}), ("POST", "/sealed", sealed)]
    for method, path, body in calls:
        r = requests.request(method, api + path, json=body, headers=auth(b.token), timeout=5)
        assert_error(r, 403, "auth.forbidden")
    # and A's own requests still see an untouched sitting
    s = requests.get(api, headers=auth(a.token), timeout=5).json()
    assert s["acked_seq"] == 0 and s["status"] == "in_progress"
    assert requests.post(api + "/heartbeat", json=hb, headers=auth(a.token), timeout=5).status_code == 200
    timeline = live_server.admin_json("GET", "/admin/sittings/%s/timeline" % a.sitting_id)
    assert [e["type"] for e in timeline["entries"]] == ["heartbeat"]


def test_b_cannot_touch_a_uploads(live_server, two, tmp_path):
    a, b = two
    path = tmp_path / "a.mp4"
    path.write_bytes(b"a" * 5000)
    meta = {"filename": "a.mp4", "filetype": "video/mp4", "sitting_id": a.sitting_id, "purpose": "evidence",
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    # B cannot create an upload on A's sitting
    enc = ",".join("%s %s" % (k, base64.b64encode(v.encode()).decode()) for k, v in meta.items())
    r = requests.post(live_server.api + "/files/", timeout=5, headers=dict(auth(b.token), **{
        "Tus-Resumable": "1.0.0", "Upload-Length": "5000", "Upload-Metadata": enc}))
    assert_error(r, 403, "auth.forbidden")
    up = tus_client.TusClient(live_server.api + "/files/", headers=auth(a.token)).uploader(
        str(path), chunk_size=1000, metadata=meta, retries=0)
    up.set_url(up.create_url())
    up.upload_chunk()
    tus = {"Tus-Resumable": "1.0.0"}
    head = requests.head(up.url, headers=dict(auth(b.token), **tus), timeout=5)
    assert head.status_code == 403 and "Upload-Offset" not in head.headers
    patch = requests.patch(up.url, data=b"EVIL" * 10, timeout=5, headers=dict(auth(b.token), **tus, **{
        "Upload-Offset": "1000", "Content-Type": "application/offset+octet-stream"}))
    assert_error(patch, 403, "auth.forbidden")
    no_token = requests.patch(up.url, data=b"EVIL" * 10, timeout=5, headers=dict(tus, **{
        "Upload-Offset": "1000", "Content-Type": "application/offset+octet-stream"}))
    assert_error(no_token, 401, "auth.required")
    assert_error(requests.delete(up.url, headers=auth(b.token), timeout=5), 403, "auth.forbidden")
    # nothing was written: A's upload completes and verifies
    assert requests.head(up.url, headers=dict(auth(a.token), **tus), timeout=5).headers["Upload-Offset"] == "1000"
    up.upload()
    ups = requests.get(live_server.api + "/sittings/%s/uploads" % a.sitting_id, headers=auth(a.token), timeout=5)
    assert ups.json()["uploads"][0]["status"] == "verified"
    assert requests.get(live_server.api + "/sittings/%s/uploads" % b.sitting_id, headers=auth(b.token),
                        timeout=5).json()["uploads"] == []


def test_roles_and_tokens(live_server, two):
    a, _ = two
    api = live_server.api
    assert_error(requests.get(api + "/me", timeout=5), 401, "auth.required")
    assert_error(requests.get(api + "/me", headers=auth("forged"), timeout=5), 401, "auth.required")
    assert_error(requests.get(api + "/me", headers={"Authorization": "Basic abc"}, timeout=5), 401, "auth.required")
    assert_error(requests.get(api + "/me", headers=auth(ADMIN_TOKEN), timeout=5), 403, "auth.forbidden")
    assert_error(requests.post(api + "/admin/papers", json={}, headers=auth(a.token), timeout=5), 403, "auth.forbidden")
    assert_error(requests.get(api + "/admin/sittings/%s/timeline" % a.sitting_id, timeout=5), 401, "auth.required")
    assert_error(requests.get(api + "/sittings/s-missing", headers=auth(a.token), timeout=5), 404, "not_found")
    live_server.set_clock_offset(13 * 3600 * 1000)  # tokens live 12 hours
    assert_error(requests.get(api + "/me", headers=auth(a.token), timeout=5), 401, "auth.expired")
