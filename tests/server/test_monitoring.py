"""The server's monitoring side on the real server: the per-room policy (validated with the shared
definition, served to the room's candidates only), hostile policies and evidence refused with the
documented errors (never a 500), sealed evidence filed and opened only with the server's key, and
the admin CLI for both."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
import requests
from tusclient import client as tus_client

from examcore.evidence import pack, seal_bytes
from tests.helpers.fixtures import make_sitting
from tests.server.kit import OpChain, assert_error, auth, post_ops

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def upload(st, data: bytes, purpose="evidence", event_seq="1", name="e.evd", tmp_path=None):
    path = tmp_path / name
    path.write_bytes(data)
    c = tus_client.TusClient(st.server.api + "/files/", headers=auth(st.token))
    meta = {"filename": name, "filetype": "application/octet-stream", "sitting_id": st.sitting_id,
            "purpose": purpose, "sha256": hashlib.sha256(data).hexdigest()}
    if event_seq:
        meta["event_seq"] = event_seq
    up = c.uploader(str(path), chunk_size=64 * 1024, metadata=meta, retries=0)
    up.upload()
    return up.url.rstrip("/").rsplit("/", 1)[-1]


def test_room_policy_is_validated_stored_and_served_to_its_candidates(live_server):
    st = make_sitting(live_server)
    other = make_sitting(live_server)
    room = st.room["room_id"]
    body = {"monitor": {"evidence": {"snapshot_interval_s": 30}, "audio": {"rules": {"audio.talking": {"action": "log"}}}}}
    out = live_server.admin_json("PUT", "/admin/rooms/%s/policy" % room, json=body)
    assert out["overrides"] == body and out["policy"]["monitor"]["evidence"]["snapshot_interval_s"] == 30.0
    assert out["policy"]["monitor"]["evidence"]["pre_s"] == 5.0               # the rest from the defaults
    served = requests.get(live_server.api + "/sittings/%s/policy" % st.sitting_id, headers=st.headers(), timeout=10)
    assert served.status_code == 200
    mon = served.json()["policy"]["monitor"]
    assert mon["audio"]["rules"]["audio.talking"]["action"] == "log" and mon["evidence"]["snapshot_interval_s"] == 30.0
    theirs = requests.get(live_server.api + "/sittings/%s/policy" % other.sitting_id, headers=other.headers(), timeout=10)
    assert theirs.json()["policy"]["monitor"]["evidence"]["snapshot_interval_s"] == 60.0   # another room: defaults
    cross = requests.get(live_server.api + "/sittings/%s/policy" % st.sitting_id, headers=other.headers(), timeout=10)
    assert cross.status_code in (403, 404)
    again = live_server.admin_json("GET", "/admin/rooms/%s/policy" % room)
    assert again["overrides"] == body


@pytest.mark.parametrize("bad", [
    [], "monitor", {"forbidden_processes": []}, {"monitor": []}, {"monitor": {"evidence": {"fps": 1000}}},
    {"monitor": {"camera": {"rules": {"camera.nope": {"hold_s": 1}}}}}, {"monitor": {"evidence": {"codecs": [1]}}},
    {"monitor": {"capture": {"fps": True}}}, {"monitor": {"evidence": {"pre_s": float("inf")}}},
    {"monitor": {"x" * 40000: 1}},
])
def test_hostile_room_policies_are_refused_with_the_key_named(live_server, bad):
    st = make_sitting(live_server)
    r = live_server.admin("PUT", "/admin/rooms/%s/policy" % st.room["room_id"],
                          data=json.dumps(bad, allow_nan=True), headers={"Content-Type": "application/json"})
    assert r.status_code in (413, 422), r.text
    if r.status_code == 422:
        assert r.json()["error"]["code"] in ("policy.invalid", "request.invalid")
    assert live_server.admin_json("GET", "/admin/rooms/%s/policy" % st.room["room_id"])["overrides"] == {}


def test_unknown_room_and_unknown_evidence_are_404(live_server):
    st = make_sitting(live_server)
    assert_error(live_server.admin("PUT", "/admin/rooms/r-nope/policy", json={"monitor": {}}), 404, "not_found")
    assert_error(live_server.admin("GET", "/admin/sittings/%s/evidence/%s" % (st.sitting_id, "0" * 32)), 404,
                 "not_found")
    assert_error(live_server.admin("GET", "/admin/sittings/%s/evidence/../../x" % st.sitting_id), 404, "not_found")


def test_sealed_evidence_is_filed_and_opens_only_with_the_servers_key(live_server, tmp_path):
    st = make_sitting(live_server)
    key = requests.get(live_server.api + "/server-info", timeout=10).json()["sealing_public_key"]
    chain = OpChain(st.sitting_id)
    chain.add("event", {"type": "camera.face_absent", "severity": "warn", "detail": {"state": "start"}})
    assert post_ops(st, chain.ops).status_code == 200
    header = {"kind": "snippet", "sitting_id": st.sitting_id, "event_seq": 1, "event_type": "camera.face_absent",
              "taken_ms": 1234, "duration_ms": 10000, "event_at_ms": 5000}
    good = seal_bytes(pack({"kind": "snippet", "event_at_s": 5.0}, {"video.mp4": b"\x00\x00\x00\x18ftypmp42"}), key, header)
    good_id = upload(st, good, tmp_path=tmp_path)
    junk_id = upload(st, os.urandom(3000), name="junk.evd", tmp_path=tmp_path)
    other = make_sitting(live_server)
    foreign = seal_bytes(pack({}, {"snapshot.jpg": b"\xff\xd8"}), key,
                         {"kind": "snapshot", "sitting_id": other.sitting_id, "taken_ms": 1})
    foreign_id = upload(st, foreign, purpose="snapshot", event_seq="", name="f.evd", tmp_path=tmp_path)
    timeline = live_server.admin_json("GET", "/admin/sittings/%s/timeline" % st.sitting_id)
    [op] = [e for e in timeline["entries"] if e["type"] == "op"]
    views = {v["upload_id"]: v for v in op["evidence"]}
    assert views[good_id]["readable"] and views[good_id]["kind"] == "snippet" and views[good_id]["event_at_ms"] == 5000
    assert views[junk_id]["readable"] is False
    assert not [e for e in timeline["entries"] if e["type"] == "snapshot"]     # another sitting's: not shown
    opened = live_server.admin_json("GET", "/admin/sittings/%s/evidence/%s" % (st.sitting_id, good_id))
    assert opened["members"]["video.mp4"]["media_type"] == "video/mp4" and opened["meta"]["event_at_s"] == 5.0
    r = live_server.admin("GET", "/admin/sittings/%s/evidence/%s/video.mp4" % (st.sitting_id, good_id))
    assert r.content == b"\x00\x00\x00\x18ftypmp42" and r.headers["cache-control"] == "no-store"
    assert_error(live_server.admin("GET", "/admin/sittings/%s/evidence/%s" % (st.sitting_id, junk_id)), 422,
                 "evidence.invalid")
    assert_error(live_server.admin("GET", "/admin/sittings/%s/evidence/%s" % (st.sitting_id, foreign_id)), 422,
                 "evidence.invalid")
    assert_error(live_server.admin("GET", "/admin/sittings/%s/evidence/%s/audio.wav" % (st.sitting_id, good_id)), 404,
                 "not_found")
    assert_error(requests.get(live_server.api + "/admin/sittings/%s/evidence/%s" % (st.sitting_id, good_id),
                              headers=st.headers(), timeout=10), 403, "auth.forbidden")
    listing = live_server.admin_json("GET", "/admin/sittings/%s/evidence" % st.sitting_id)
    assert {v["upload_id"] for v in listing["evidence"]} == {good_id, junk_id, foreign_id}
    # the admin CLI on the data folder: list, and open into a folder
    env = dict(os.environ, PYTHONPATH=ROOT)
    python = os.environ.get("EXAMDESK_SERVER_PYTHON", sys.executable)
    p = subprocess.run([python, "-m", "server", "evidence", st.sitting_id, "--data-dir", str(live_server.data_dir),
                        "--open", good_id, "--out", str(tmp_path / "out")], env=env, cwd=ROOT, capture_output=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr
    files = json.loads(p.stdout)["files"]
    assert open(files[0], "rb").read() == b"\x00\x00\x00\x18ftypmp42"
    p = subprocess.run([python, "-m", "server", "room-policy", st.room["room_id"], "--data-dir",
                        str(live_server.data_dir)], env=env, cwd=ROOT, capture_output=True, timeout=120)
    assert p.returncode == 0 and json.loads(p.stdout)["policy"]["monitor"]["capture"]["fps"] == 15.0
