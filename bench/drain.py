"""Drain: 1,000 answers queued while the network is down, then the network returns. Prints the
time until the server has acknowledged all of them (from the network's return, and from the
first request that got through), and the bytes on the wire per op. Real server on loopback,
real TCP proxy standing in for the network. Goal: <= 2 s.

    .venv/bin/python bench/drain.py [N] [OUTAGE_SECONDS]
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.helpers.exam_client import started_service, wait_for  # noqa: E402
from tests.helpers.fixtures import make_sitting  # noqa: E402
from tests.helpers.flaky_proxy import FlakyProxy  # noqa: E402
from tests.helpers.server import LiveServer  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    outage_s = float(sys.argv[2]) if len(sys.argv) > 2 else 8.0
    tmp = Path(tempfile.mkdtemp(prefix="examdesk-drain-"))
    server = LiveServer(tmp / "server").start()
    proxy = FlakyProxy(server.port, cut_probability=0.0)
    svc = None
    try:
        sitting = make_sitting(server)
        # the shipped backoff defaults (no connection: capped at 1 s with jitter)
        svc = started_service(sitting, tmp / "client", server_url=proxy.url, backoff_initial_s=0.5,
                              backoff_max_s=30.0, backoff_network_max_s=1.0, heartbeat_interval_s=15.0)
        sid = sitting.sitting_id
        wait_for(lambda: svc.sync_status().pending_ops == 0, what="initial sync")
        proxy.refuse = True
        proxy.drop_all()                 # and the open keep-alive connections with it
        t_queue = time.perf_counter()
        values = "ABCD"
        for i in range(n):
            svc.answer("q1" if i % 2 else "q5", values[i % 4] if i % 2 else "第%d稿：先倾听，再致歉，后解决。" % i)
        queue_s = time.perf_counter() - t_queue
        wait_for(lambda: not svc.sync_status().online, timeout=60, what="offline")
        time.sleep(outage_s)             # long enough for the backoff to reach its ceiling
        head = svc.journal.head(sid)[0]
        up0, down0 = proxy.bytes_up, proxy.bytes_down
        sent0 = svc.worker.requests_sent
        proxy.refuse = False
        t_back = time.perf_counter()
        first = wait_for(lambda: svc.worker.requests_sent > sent0 and time.perf_counter(), timeout=60, what="first")
        wait_for(lambda: svc.sync_status().acked_seq == head, timeout=120, what="drain")
        t_done = time.perf_counter()
        up, down = proxy.bytes_up - up0, proxy.bytes_down - down0
        print("queued %d answers offline in %.2f s (%.2f ms each, durable)" % (n, queue_s, queue_s * 1000 / n))
        print("drain after the network returned: %.2f s (includes the backoff wait); %.2f s from the first "
              "request through" % (t_done - t_back, t_done - first))
        print("requests: %d; bytes on the wire: %.0f up + %.0f down per op (%.1f KB total, HTTP headers included)"
              % (svc.worker.requests_sent - sent0, up / n, down / n, (up + down) / 1024.0))
        print("goal <= 2 s: %s" % ("met" if t_done - t_back <= 2 else "NOT met (see the backoff figure)"))
    finally:
        if svc is not None:
            svc.close()
        proxy.close()
        server.stop()


if __name__ == "__main__":
    main()
