"""The second camera through the real engine and server: pairing, the live view, the phone's state from the
heartbeat answer, and the proctoring session's in-exam events in the journal and on the server. The phone is
the protocol-level stand-in here (tests/browser drives the real page in Chromium)."""
from __future__ import annotations

import pytest

from client.exam import api
from client.proctoring.session import ProctoringSession
from tests.helpers.exam_client import started_service, timeline_ops, wait_for
from tests.helpers.fixtures import make_sitting
from tests.helpers.phone import StandInPhone, jpeg, phone_view_frames, policy_file
from tests.helpers.server import LiveServer

STALLED_S = 3


@pytest.fixture
def server(tmp_path):
    pol = policy_file(tmp_path / "policy.json", stalled_s=STALLED_S, interval_s=1.0, setup_interval_s=0.5)
    srv = LiveServer(tmp_path / "server", extra_args=["--policy-file", str(pol)]).start()
    try:
        yield srv
    finally:
        srv.stop()


class Phones(api.EngineListener):
    def __init__(self) -> None:
        self.seen = []

    def on_phone(self, status: api.PhoneStatus) -> None:
        self.seen.append(status)


def phone_events(sitting):
    return [(op["payload"]["type"], op["payload"]["detail"]["state"]) for op in timeline_ops(sitting)
            if op["kind"] == "event" and op["payload"]["type"].startswith("phone.")]


def test_pairing_live_view_and_in_exam_events(server, tmp_path):
    st = make_sitting(server)
    svc = started_service(st, tmp_path / "client", heartbeat_interval_s=0.3)
    heard = Phones()
    svc.add_listener(heard)
    session = ProctoringSession(svc).attach()        # no PC camera: the phone is watched all the same
    frames = [jpeg(f) for f in phone_view_frames(6)]
    try:
        pairing = svc.pair_phone()
        assert pairing.url.startswith(server.url + "/phone/#t=") and pairing.ttl_s == 300
        phone = StandInPhone(server.api)
        assert phone.claim(pairing.url).status_code == 200
        assert phone.frame(frames[0], battery_level=0.8, charging="true").status_code == 200
        live = svc.phone_live(0)
        assert live.status.state == "live" and live.status.pairing_id == pairing.pairing_id
        assert live.frame is not None and live.frame.jpeg == frames[0] and (live.frame.width, live.frame.height) == (640, 360)
        assert svc.phone_live(live.frame.seq).frame is None
        assert phone.frame(frames[1]).json()["mode"] == "setup"       # the live view makes the phone faster
        wait_for(lambda: svc.device_status().get("phone") == "live", what="phone state in the heartbeat")
        # the page goes to the background: the candidate's client learns it from the heartbeat, journals it
        phone.beat("hidden", visibility="hidden")
        wait_for(lambda: ("phone.hidden", "start") in phone_events(st), what="hidden event on the server")
        phone.beat("interrupted", visibility="visible", interruption={"reason": "hidden", "duration_ms": 3000})
        wait_for(lambda: ("phone.hidden", "end") in phone_events(st), what="hidden ended")
        end = [op["payload"]["detail"] for op in timeline_ops(st) if op["kind"] == "event"
               and op["payload"]["type"] == "phone.hidden" and op["payload"]["detail"]["state"] == "end"][0]
        assert end["interruption"]["reason"] == "hidden" and end["interruption"]["duration_ms"] == 3000
        # no frames for longer than stalled_s: the feed stopped (alert); frames again: it ends
        server.set_clock_offset((STALLED_S + 1) * 1000)
        wait_for(lambda: ("phone.feed_stopped", "start") in phone_events(st), what="feed stopped")
        assert svc.phone_status().state == "stopped" and svc.phone_status().trouble
        assert phone.frame(frames[2]).status_code == 200
        wait_for(lambda: ("phone.feed_stopped", "end") in phone_events(st), what="feed back")
        started = [op for op in timeline_ops(st) if op["kind"] == "event" and op["payload"]["type"] == "phone.feed_stopped"]
        assert started[0]["payload"]["severity"] == "alert"
        assert started[0]["payload"]["detail"]["stalled_s"] == STALLED_S
        assert [s.state for s in heard.seen if s.state in ("live", "hidden", "stopped")][:4] == \
            ["live", "hidden", "live", "stopped"]
    finally:
        session.stop()
        svc.close()


@pytest.mark.expected_log(r"cannot reach|offline|Connection refused|sync")
def test_pairing_offline_is_a_clear_error(server, tmp_path):
    st = make_sitting(server)
    svc = started_service(st, tmp_path / "client")
    try:
        server.stop()
        with pytest.raises(api.EngineError) as e:
            svc.pair_phone()
        assert e.value.code == "network.offline" and "无法连接" in e.value.message_zh
        with pytest.raises(api.EngineError):
            svc.phone_live(0)
        assert svc.phone_status().state in ("unknown", "unpaired")
    finally:
        svc.close()
