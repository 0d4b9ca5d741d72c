"""Several worker processes on one database and upload store (the lane's: SQLite + local disk, or
PostgreSQL + S3): one candidate's consecutive requests land on different workers and nothing is lost,
doubled or forked; `serve --workers N` shares one port; heartbeat history is batched and reaches the
database by the flush or at shutdown."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import threading

import pytest
import requests
from sqlalchemy import select

from server.db import Database, Heartbeat, Presence
from server.quotas import HEARTBEAT_BURST
from tests.helpers.fixtures import make_sitting
from tests.helpers.server import LiveServer, free_port
from tests.server.kit import OpChain, auth

TUS = {"Tus-Resumable": "1.0.0"}


@pytest.fixture
def pair(tmp_path):
    """Two server processes of one deployment: same data folder (keys), database and store."""
    a = LiveServer(tmp_path / "srv").start()
    b = LiveServer(tmp_path / "srv", port=free_port(), backend_args=a.backend_args).start()
    yield a, b
    b.stop()
    a.stop()


def _db_url(srv: LiveServer) -> str:
    args = srv.backend_args or []
    if "--database-url" in args:
        return args[args.index("--database-url") + 1]
    return "sqlite:///%s" % (srv.data_dir / "examdesk.sqlite3")


def test_an_op_chain_alternating_between_workers_and_racing_resends(pair):
    a, b = pair
    st = make_sitting(a)
    chain = OpChain(st.sitting_id)
    ops = [chain.answer("q1", "ABCD"[i % 4]) for i in range(60)]
    for i, op in enumerate(ops[:20]):  # strictly alternating workers, each request acked by the one it hit
        srv = (a, b)[i % 2]
        r = requests.post(srv.api + "/sittings/%s/ops" % st.sitting_id, json={"ops": [op]}, headers=auth(st.token),
                          timeout=10)
        assert r.json() == {"acked_seq": i + 1, "chain_head": op["hash"]}, r.text
    codes: list = []

    def sender(k: int) -> None:  # four clients resending overlapping batches, two to each worker
        s, srv = requests.Session(), (a, b)[k % 2]
        for start in range(20, 60, 5):
            r = s.post(srv.api + "/sittings/%s/ops" % st.sitting_id, json={"ops": ops[max(0, start - 3 * k):start + 5]},
                       headers=auth(st.token), timeout=30)
            codes.append((r.status_code, r.json().get("error", {}).get("code")))

    threads = [threading.Thread(target=sender, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert {c for c in codes if c[0] != 200} <= {(409, "ops.gap")}, codes  # ran ahead at most, never a fork
    r = requests.post(b.api + "/sittings/%s/ops" % st.sitting_id, json={"ops": ops}, headers=auth(st.token), timeout=30)
    assert r.json() == {"acked_seq": 60, "chain_head": ops[-1]["hash"]}
    entries = a.admin_json("GET", "/admin/sittings/%s/timeline" % st.sitting_id)["entries"]
    assert [e["seq"] for e in entries if e["type"] == "op"] == list(range(1, 61))  # each exactly once
    receipt = requests.post(a.api + "/sittings/%s/submit" % st.sitting_id, headers=auth(st.token), timeout=10,
                            json={"final_seq": 60, "chain_head": ops[-1]["hash"]}).json()
    again = requests.post(b.api + "/sittings/%s/submit" % st.sitting_id, headers=auth(st.token), timeout=10,
                          json={"final_seq": 60, "chain_head": ops[-1]["hash"]}).json()
    assert again == receipt  # one receipt, whichever worker is asked


def _create(srv: LiveServer, st, data: bytes) -> str:
    meta = {"filename": "e.mp4", "filetype": "video/mp4", "sitting_id": st.sitting_id, "purpose": "evidence",
            "sha256": hashlib.sha256(data).hexdigest()}
    header = ",".join("%s %s" % (k, base64.b64encode(v.encode()).decode()) for k, v in meta.items())
    r = requests.post(srv.api + "/files/", timeout=10, headers=dict(auth(st.token), **TUS, **{
        "Upload-Length": str(len(data)), "Upload-Metadata": header}))
    assert r.status_code == 201, r.text
    return r.headers["Location"]


def _patch(srv: LiveServer, st, path: str, offset: int, chunk: bytes) -> requests.Response:
    return requests.patch(srv.url + path, data=chunk, timeout=30, headers=dict(auth(st.token), **TUS, **{
        "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}))


def test_a_tus_upload_whose_chunks_alternate_and_race_between_workers(pair):
    a, b = pair
    st = make_sitting(a)
    data = os.urandom(300_000)
    path = _create(a, st, data)
    size = 40_000
    offset, i = 0, 0
    while offset < 200_000:  # each chunk to the other worker; HEAD on the other one again
        srv, other = (a, b)[i % 2], (b, a)[i % 2]
        r = _patch(srv, st, path, offset, data[offset:offset + size])
        assert r.status_code == 204, r.text
        offset += size
        head = requests.head(other.url + path, headers=dict(auth(st.token), **TUS), timeout=10)
        assert head.headers["Upload-Offset"] == str(offset)
        i += 1
    results: list = []
    chunk = data[offset:offset + 50_000]
    barrier = threading.Barrier(2)

    def race(srv: LiveServer) -> None:  # the same chunk at the same offset on both workers at once
        barrier.wait()
        results.append(_patch(srv, st, path, offset, chunk))

    threads = [threading.Thread(target=race, args=(s,)) for s in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    codes = sorted(r.status_code for r in results)
    assert codes[0] == 204 and codes[1] in (204, 409), [(r.status_code, r.text) for r in results]
    if codes[1] == 409:
        assert [r for r in results if r.status_code == 409][0].json()["error"]["code"] == "upload.offset_mismatch"
    head = requests.head(b.url + path, headers=dict(auth(st.token), **TUS), timeout=10)
    offset = int(head.headers["Upload-Offset"])
    assert offset == 250_000  # counted once, whoever won
    assert _patch(a, st, path, offset, data[offset:]).status_code == 204
    [info] = requests.get(b.api + "/sittings/%s/uploads" % st.sitting_id, headers=auth(st.token), timeout=10
                          ).json()["uploads"]
    assert info["status"] == "verified" and info["offset"] == info["size"] == len(data)


def test_serve_workers_share_one_port_and_write_heartbeats_at_shutdown(tmp_path):
    srv = LiveServer(tmp_path / "srv", extra_args=["--workers", "2", "--heartbeat-flush-s", "3600"]).start()
    try:
        st = make_sitting(srv)
        for i in range(HEARTBEAT_BURST):  # a new connection each: the kernel spreads them over the workers
            # (not more than the burst: the bucket is per worker, and one may accept them all)
            r = requests.post(srv.api + "/sittings/%s/heartbeat" % st.sitting_id, json={"state": "in_exam", "pending_ops": i},
                              headers=dict(auth(st.token), Connection="close"), timeout=10)
            assert r.status_code == 200 and r.json()["status"] == "in_progress"
        def knock() -> None:  # connections at once: a worker back in accept first cannot take them all
            for _ in range(40):
                requests.get(srv.api + "/healthz", headers={"Connection": "close"}, timeout=10)

        knockers = [threading.Thread(target=knock) for _ in range(8)]
        for t in knockers:
            t.start()
        for t in knockers:
            t.join()
    finally:
        srv.stop()  # SIGTERM: the supervisor stops both workers, each writes its queued heartbeats
    lines = [json.loads(x) for x in srv.log_tail(10_000_000).splitlines() if x.startswith("{")]
    served = {x["pid"] for x in lines if x.get("msg") == "request"}
    assert len(served) >= 2, served  # requests on one port were answered by two processes
    assert lines[-1]["msg"] == "stopped"
    db = Database(_db_url(srv))
    try:
        with db.read() as s:
            got = sorted(h.body["pending_ops"] for h in s.scalars(select(Heartbeat).where(Heartbeat.sitting_id == st.sitting_id)))
            latest = s.get(Presence, st.sitting_id)
        assert got == list(range(HEARTBEAT_BURST))  # none lost although no flush interval passed
        assert latest is not None and latest.body["state"] == "in_exam"
    finally:
        db.close()


def test_heartbeat_history_in_batches_and_the_latest_state(live_server):
    st = make_sitting(live_server)
    for i in range(5):
        r = requests.post(live_server.api + "/sittings/%s/heartbeat" % st.sitting_id, headers=auth(st.token),
                          json={"state": "in_exam", "camera": "live" if i < 4 else "lost", "pending_ops": i}, timeout=10)
        assert r.status_code == 200
    db = Database(_db_url(live_server))
    try:
        for _ in range(100):  # the writer flushes every second
            with db.read() as s:
                latest = s.get(Presence, st.sitting_id)
                n = len(s.scalars(select(Heartbeat.id).where(Heartbeat.sitting_id == st.sitting_id)).all())
            if n == 5 and latest is not None:
                break
            __import__("time").sleep(0.1)
        assert n == 5 and latest is not None and latest.body["camera"] == "lost" and latest.body["pending_ops"] == 4
    finally:
        db.close()
    entries = live_server.admin_json("GET", "/admin/sittings/%s/timeline" % st.sitting_id)["entries"]
    assert [e["status"]["pending_ops"] for e in entries if e["type"] == "heartbeat"] == [0, 1, 2, 3, 4]


def _accepted_nodelay(sock, answer) -> None:
    """In a spawned process, as uvicorn's workers get the socket: TCP_NODELAY of a connection asyncio accepts."""
    import asyncio
    import socket

    async def main() -> None:
        got: asyncio.Future = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport) -> None:
                s = transport.get_extra_info("socket")
                got.set_result(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        answer.put("listening")
        answer.put(await asyncio.wait_for(got, 60))
        server.close()

    asyncio.run(main())


def test_worker_processes_answer_without_waiting_for_delayed_acks():
    """Each response goes out in two writes (headers, body); with Nagle on, the body waits for the client's
    ACK of the headers, which a client delays by up to 40 ms: a floor under every request."""
    import multiprocessing
    import socket

    import uvicorn

    from server.worker import listening_socket

    sock = listening_socket(uvicorn.Config("server.worker:build_app", host="127.0.0.1", port=free_port()))
    spawn = multiprocessing.get_context("spawn")   # uvicorn's supervisor spawns its workers with the socket
    answer = spawn.Queue()
    child = spawn.Process(target=_accepted_nodelay, args=(sock, answer))
    child.start()
    try:
        assert answer.get(timeout=60) == "listening"
        socket.create_connection(sock.getsockname(), timeout=30).close()
        assert answer.get(timeout=60) != 0
    finally:
        child.join(30)
        sock.close()
