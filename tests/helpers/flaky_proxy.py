"""FlakyProxy: a real TCP proxy on 127.0.0.1 that cuts connections at random.

Every piece of data read (at most `max_cut_bytes`) is, with probability `cut_probability`, cut
short and the connection dropped: on the way up (mid-request, mid-upload chunk: the server sees a
torn request) or on the way down (mid-response: the server DID act, the client never hears it —
the case that tests idempotency). `refuse = True` closes every new connection at once (the network is down).
"""
from __future__ import annotations

import random
import select
import socket
import threading
from typing import List, Optional


class FlakyProxy:
    def __init__(self, upstream_port: int, cut_probability: float = 0.3, seed: int = 7,
                 max_cut_bytes: int = 64 * 1024) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.cut_probability = cut_probability
        self.max_cut_bytes = max_cut_bytes
        self.refuse = False
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.connections = self.cuts_up = self.cuts_down = 0
        self.bytes_up = self.bytes_down = 0   # what crossed the proxy (bytes on the wire, benchmarks)
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._closed = threading.Event()
        self._threads: List[threading.Thread] = []
        self._live: List[socket.socket] = []
        self._accept = threading.Thread(target=self._accept_loop, name="flaky-proxy", daemon=True)
        self._accept.start()

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d" % self.port

    def _cut_at(self, n: int) -> Optional[int]:
        """None to pass these `n` bytes on whole, else how many of them get through before the cut."""
        with self.lock:
            if self.rng.random() >= self.cut_probability:
                return None
            return self.rng.randint(0, max(0, n - 1))

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            if self.refuse:
                client.close()
                continue
            t = threading.Thread(target=self._pump, args=(client,), daemon=True)
            t.start()
            self._threads.append(t)

    def _pump(self, client: socket.socket) -> None:
        try:
            server = socket.create_connection(self.upstream, timeout=10)
        except OSError:
            client.close()
            return
        pairs = {client: (server, "up"), server: (client, "down")}
        with self.lock:
            self._live.extend((client, server))
        try:
            while not self._closed.is_set():
                ready, _, _ = select.select(list(pairs), [], [], 0.5)
                for src in ready:
                    dst, direction = pairs[src]
                    data = src.recv(self.max_cut_bytes)
                    if not data:
                        return
                    cut = self._cut_at(len(data))
                    if cut is not None:
                        dst.sendall(data[:cut])
                        with self.lock:
                            if direction == "up":
                                self.cuts_up += 1
                            else:
                                self.cuts_down += 1
                        return
                    dst.sendall(data)
                    with self.lock:
                        if direction == "up":
                            self.bytes_up += len(data)
                        else:
                            self.bytes_down += len(data)
        except OSError:
            return
        finally:
            for s in (client, server):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def drop_all(self) -> None:
        """Cut every open connection now (with `refuse`: the network is gone)."""
        with self.lock:
            live, self._live = self._live, []
        for s in live:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        self._closed.set()
        self._sock.close()
        for t in self._threads:
            t.join(2)
