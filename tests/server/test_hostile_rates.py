"""Rates a hostile client cannot exceed, and lockouts a stranger cannot cause: heartbeats per
sitting, logins per (ticket, address) and per address, with real second addresses on loopback."""
from __future__ import annotations

import pytest
import requests

from tests.helpers.fixtures import make_sitting
from tests.helpers.server import LiveServer
from tests.server.kit import assert_error, heartbeat, session_from, timeline


@pytest.fixture
def srv(tmp_path):
    s = LiveServer(tmp_path / "srv", extra_args=["--login-address-limit", "20"]).start()
    yield s
    s.stop()


def _login(srv, st, password: str, session=None, ticket: str | None = None) -> requests.Response:
    return (session or requests).post(srv.api + "/auth/login", timeout=10, json={
        "ticket": ticket or st.ticket, "id_number": st.id_number, "password": password})


def test_heartbeats_beyond_the_rate_are_refused_and_not_stored(srv):
    st = make_sitting(srv)
    codes = [heartbeat(st).status_code for _ in range(12)]
    assert codes == [200] * 10 + [429] * 2   # a burst of 10
    r = heartbeat(st, {"state": "in_exam", "extra": "x" * 9000})
    err = assert_error(r, 429, "rate.limited")
    assert err["details"]["scope"] == "heartbeat" and r.headers["Retry-After"] == str(err["details"]["retry_after_s"])
    assert 1 <= err["details"]["retry_after_s"] <= 3   # one earned per 3 s (a fifth of the 15 s interval)
    assert len([e for e in timeline(st) if e["type"] == "heartbeat"]) == 10
    srv.set_clock_offset(3100)
    assert heartbeat(st).status_code == 200
    assert heartbeat(st).status_code == 429
    other = make_sitting(srv)   # per sitting: others are not affected
    assert heartbeat(other).status_code == 200


def test_a_stranger_elsewhere_cannot_slow_or_lock_a_candidate(srv):
    st = make_sitting(srv)
    stranger = session_from("127.0.0.2")
    codes = []
    for i in range(20):   # hammering with the ticket number, from another machine, for 20 minutes
        srv.set_clock_offset(i * 61_000)
        codes.append(_login(srv, st, "guess-%d" % i, stranger).status_code)
    assert codes[:10] == [401] * 10 and set(codes[10:]) == {423}   # the stranger's own pair is locked
    err = assert_error(_login(srv, st, st.password, stranger), 423, "auth.locked")
    assert err["details"]["scope"] == "ticket_and_address"   # ... even with the right password, from there
    candidate = _login(srv, st, st.password)   # the candidate, from the centre (127.0.0.1): straight in
    assert candidate.status_code == 200, candidate.text
    # a stranger at a third address starts from nothing
    assert _login(srv, st, "nope", session_from("127.0.0.3")).status_code == 401


def test_a_nat_address_is_slowed_never_locked_and_staff_can_unlock(srv):
    st = make_sitting(srv)
    centre = session_from("127.0.0.4")
    for i in range(20):   # the limit (20 here; 300 by default) of failures for many tickets from one address
        assert _login(srv, st, "y", centre, ticket="OTHER-%d" % i).status_code == 401
    r = _login(srv, st, st.password, centre)
    err = assert_error(r, 429, "auth.throttled")
    assert err["details"]["scope"] == "address" and err["details"]["retry_after_s"] == 1
    srv.set_clock_offset(1100)   # slowed to one attempt a second: the right password gets in
    assert _login(srv, st, st.password, centre).status_code == 200
    # a pair locked by ten failures is cleared by staff, with an audit entry
    stranger = session_from("127.0.0.5")
    for i in range(10):
        srv.set_clock_offset(2000 + i * 61_000)
        assert _login(srv, st, "guess", stranger).status_code == 401
    assert_error(_login(srv, st, st.password, stranger), 423, "auth.locked")
    out = srv.admin_json("POST", "/admin/candidates/%s/unlock" % st.ticket, json={"by": "考务老师"})
    assert out["cleared"] >= 10
    [entry] = srv.admin_json("GET", "/admin/audit", params={"target": st.ticket})["entries"]
    assert (entry["actor"], entry["action"], entry["details"]["cleared"]) == ("考务老师", "login.unlock", out["cleared"])
    assert _login(srv, st, st.password, stranger).status_code == 200
    assert_error(srv.admin("POST", "/admin/candidates/NOBODY/unlock", json={"by": "x"}), 404, "not_found")
    assert_error(srv.admin("POST", "/admin/candidates/%s/unlock" % st.ticket, json={}), 422, "request.invalid")


def test_sealed_imports_are_gated_per_sitting_and_per_process():
    from server.errors import ApiError
    from server.quotas import SEALED_IMPORTS, sealed_import_slot

    with sealed_import_slot("s-1"):
        with pytest.raises(ApiError) as e:   # the same sitting twice at once
            with sealed_import_slot("s-1"):
                pass
        assert e.value.status == 429 and e.value.headers == {"Retry-After": "5"}
        with sealed_import_slot("s-2"):
            assert SEALED_IMPORTS == 2
            with pytest.raises(ApiError):   # a third at once in one process
                with sealed_import_slot("s-3"):
                    pass
    with sealed_import_slot("s-1"), sealed_import_slot("s-3"):   # released again
        pass
