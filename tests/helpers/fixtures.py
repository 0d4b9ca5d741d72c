"""pytest fixtures shared by every suite: a real server on loopback and a ready sitting."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Dict, Iterator

import pytest
import requests

from tests.helpers.papers import sample_paper
from tests.helpers.server import LiveServer

_ids = itertools.count(1)


@pytest.fixture(scope="session", autouse=True)
def _test_backends() -> Iterator[None]:
    """The PostgreSQL cluster and S3 emulator of the postgresql lane live for the session (started lazily)."""
    from tests.helpers import backends

    yield
    backends.stop_all()


@pytest.fixture
def live_server(tmp_path) -> Iterator[LiveServer]:
    srv = LiveServer(tmp_path / "server").start()
    try:
        yield srv
    finally:
        srv.stop()


@dataclass
class Sitting:
    server: LiveServer
    ticket: str
    id_number: str
    password: str
    sitting_id: str
    room: Dict[str, Any]
    token: str

    def headers(self) -> Dict[str, str]:
        return {"Authorization": "Bearer " + self.token}


def make_sitting(server: LiveServer, start_in_s: float = 0.0, duration_s: int = 7200, kind: str = "formal",
                 paper: Dict[str, Any] = None) -> Sitting:  # type: ignore[assignment]
    n = next(_ids)
    paper = paper or sample_paper("paper-%d" % n, kind=kind)
    paper_id = server.add_paper(paper)
    ticket, id_number, password = "T%06d" % n, "11010119900101%04d" % n, "pw-%d-secret" % n
    server.add_candidate(ticket, id_number, password)
    room = server.add_room(paper_id, [ticket], start_in_s=start_in_s, duration_s=duration_s, kind=kind)
    r = requests.post(server.api + "/auth/login", json={"ticket": ticket, "id_number": id_number,
                                                       "password": password}, timeout=10,
                      verify=server.verify)
    r.raise_for_status()
    body = r.json()
    sid = [s["sitting_id"] for s in body["sittings"] if s["room_id"] == room["room_id"]][0]
    return Sitting(server, ticket, id_number, password, sid, room, body["token"])


@pytest.fixture
def sitting(live_server: LiveServer) -> Sitting:
    return make_sitting(live_server)
