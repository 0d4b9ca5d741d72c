"""The whole evidence path on the real parts: the room's monitoring policy set on the real server reaches
the client, the composition root's ProctoringSession watches a recorded camera paced like a live one,
its sealed snippet and snapshots go up by tus through a network that is down and then cuts
connections, the local files are deleted once the server verified them, the sitting's timeline shows
the snippet under its event and the snapshots at their time, the heartbeat carries the camera and
monitor state, and the server opens the evidence for the proctor (nobody else can)."""
from __future__ import annotations

import os

import cv2
import requests

from client.app import build_proctoring
from tests.helpers import media, scenes
from tests.helpers.exam_client import started_service, wait_for
from tests.helpers.flaky_proxy import FlakyProxy

ROOM_POLICY = {"monitor": {"camera": {"rules": {"camera.face_absent": {"hold_s": 1.0, "clear_s": 0.5,
                                                                        "action": "notify_proctor"}}},
                           "evidence": {"pre_s": 2.0, "post_s": 2.0, "snapshot_interval_s": 4.0}}}


def test_evidence_reaches_the_server_through_a_bad_network(sitting, tmp_path):
    server = sitting.server
    room_id = sitting.room["room_id"]
    set_ = server.admin_json("PUT", "/admin/rooms/%s/policy" % room_id, json=ROOM_POLICY)
    assert set_["policy"]["monitor"]["evidence"]["snapshot_interval_s"] == 4.0
    tl = media.scenario_video(str(tmp_path / "cam.avi"), [("good", 3), ("empty", 4), ("good", 5)],
                              scenes.candidate_scenes(), fps=15.0)
    proxy = FlakyProxy(server.port, cut_probability=0.0, max_cut_bytes=8 * 1024)
    svc = started_service(sitting, tmp_path / "c", server_url=proxy.url, upload_chunk_bytes=16 * 1024,
                          heartbeat_interval_s=0.5)
    assert svc.policy()["monitor"]["evidence"]["snapshot_interval_s"] == 4.0          # the room's, not the default
    evidence_dir = os.path.join(svc.config.data_dir, "evidence")
    session = build_proctoring(svc, str(tmp_path / "cam.avi"), evidence_dir=evidence_dir)
    try:
        session.attach()
        assert session.running
        wait_for(lambda: any(h.get("camera") == "live" and h.get("monitor") == "on" for h in heartbeats(sitting)),
                 timeout=60, what="a heartbeat with the camera live")
        proxy.refuse = True                                   # the network goes down before it happens
        wait_for(lambda: any(u["purpose"] == "evidence" for u in svc.journal.uploads()), timeout=120,
                 what="the snippet queued")
        wait_for(lambda: sum(u["purpose"] == "snapshot" for u in svc.journal.uploads()) >= 2, timeout=60,
                 what="two snapshots queued")
        session.stop()                                        # the exam's watch ends; its evidence waits
        assert any(u["status"] == "pending" for u in svc.journal.uploads())
        proxy.refuse = False
        proxy.cut_probability = 0.15                         # back, but cutting connections
        wait_for(lambda: all(u["status"] == "verified" for u in svc.journal.uploads()),
                 timeout=240, what="every upload verified")
        uploads = svc.journal.uploads()
    finally:
        session.stop()
        svc.close()
        proxy.close()
    assert not any(os.path.exists(u["path"]) for u in uploads)          # deleted once verified
    assert [f for f in os.listdir(evidence_dir) if f != ".work"] == []
    assert proxy.cuts_up + proxy.cuts_down > 0
    timeline = server.admin_json("GET", "/admin/sittings/%s/timeline" % sitting.sitting_id)
    events = [e for e in timeline["entries"] if e["type"] == "op" and e["kind"] == "event"]
    absent = [e for e in events if e["payload"]["type"] == "camera.face_absent" and e["payload"]["detail"]["state"] == "start"]
    assert len(absent) == 1 and absent[0]["payload"]["detail"]["action"] == "notify_proctor"
    [ev] = absent[0]["evidence"]
    assert ev["readable"] and ev["kind"] == "snippet" and ev["event_type"] == "camera.face_absent"
    assert ev["duration_ms"] == 4000 and ev["event_at_ms"] == 2000
    snaps = [e for e in timeline["entries"] if e["type"] == "snapshot"]
    assert len(snaps) >= 2 and all(s["readable"] for s in snaps)
    # the proctor (admin) opens it decrypted; the candidate cannot
    opened = server.admin_json("GET", "/admin/sittings/%s/evidence/%s" % (sitting.sitting_id, ev["upload_id"]))
    assert opened["meta"]["event_type"] == "camera.face_absent" and "video.mp4" in opened["members"]
    r = server.admin("GET", "/admin/sittings/%s/evidence/%s/video.mp4" % (sitting.sitting_id, ev["upload_id"]))
    assert r.status_code == 200 and r.headers["content-type"] == "video/mp4"
    clip = tmp_path / "opened.mp4"
    clip.write_bytes(r.content)
    cap = cv2.VideoCapture(str(clip))
    assert cap.read()[0] and abs(cap.get(cv2.CAP_PROP_FRAME_COUNT) / cap.get(cv2.CAP_PROP_FPS) - 4.0) <= 0.4
    denied = requests.get(server.api + "/admin/sittings/%s/evidence/%s/video.mp4" % (sitting.sitting_id, ev["upload_id"]),
                          headers=sitting.headers(), timeout=10)
    assert denied.status_code == 403
    assert tl[1][1] == 3.0


def heartbeats(sitting):
    body = sitting.server.admin_json("GET", "/admin/sittings/%s/timeline" % sitting.sitting_id)
    return [e["status"] for e in body["entries"] if e["type"] == "heartbeat"]
