"""The phone's in-exam events (no Qt): the server's reported states become start/end events, once each."""
from __future__ import annotations

from client.exam.api import PhoneStatus
from client.exam.phone import status_from
from client.proctoring.phone_watch import PhoneWatch


def kinds(events):
    return [(k, d["state"]) for k, _sev, d in events]


def test_states_become_start_and_end_events_once():
    w = PhoneWatch()
    assert w.update(PhoneStatus(state="live")) == []
    assert kinds(w.update(PhoneStatus(state="hidden", since_ms=5))) == [("phone.hidden", "start")]
    assert w.update(PhoneStatus(state="hidden", since_ms=5)) == []            # a repeated report: nothing new
    ev = w.update(PhoneStatus(state="stopped", since_ms=9, last_frame_at_ms=9, stalled_s=20.0))
    assert kinds(ev) == [("phone.hidden", "end"), ("phone.feed_stopped", "start")]
    assert ev[1][1] == "alert" and ev[1][2]["stalled_s"] == 20.0 and ev[1][2]["last_frame_at_ms"] == 9
    assert w.update(PhoneStatus(state="unknown")) == []                        # offline: no news is not an end
    gap = {"reason": "network", "duration_ms": 31000}
    ev = w.update(PhoneStatus(state="live", last_interruption=gap))
    assert kinds(ev) == [("phone.feed_stopped", "end")] and ev[0][2]["interruption"] == gap
    ev = w.update(PhoneStatus(state="live", battery_low=True, battery_level=0.1, charging=False))
    assert kinds(ev) == [("phone.battery_low", "start")] and ev[0][1] == "warn" and ev[0][2]["battery_level"] == 0.1
    assert kinds(w.close()) == [("phone.battery_low", "end")] and w.active == {}


def test_a_required_phone_that_is_missing_is_an_alert():
    w = PhoneWatch()
    assert w.update(PhoneStatus(state="unpaired")) == []                       # not required: nothing to say
    ev = w.update(PhoneStatus(state="pairing", required=True))
    assert kinds(ev) == [("phone.missing", "start")] and ev[0][1] == "alert"
    assert kinds(w.update(PhoneStatus(state="live", required=True))) == [("phone.missing", "end")]
    assert kinds(w.update(PhoneStatus(state="frozen", required=True))) == [("phone.frozen", "start")]


def test_a_malformed_server_answer_reads_as_unknown_never_raises():
    for body in (None, [], "x", {"state": "exploded"}, {"state": 3}, {"battery_level": "full", "charging": "yes"},
                 {"state": "live", "since_ms": True, "frames": -1.5, "last_interruption": []}):
        s = status_from(body)
        assert s.state in ("unknown", "live") and s.battery_level is None and s.charging is None
    s = status_from({"state": "live", "battery_level": 0.42, "charging": True, "battery_low": True,
                     "pairing_id": "p", "stalled_s": 7, "last_interruption": {"reason": "hidden"}})
    assert (s.battery_level, s.charging, s.battery_low, s.pairing_id, s.stalled_s) == (0.42, True, True, "p", 7.0)
    assert s.last_interruption == {"reason": "hidden"} and not s.trouble
    assert status_from({"state": "stopped"}).trouble
