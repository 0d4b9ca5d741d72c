"""A reply cut inside its headers (no readable Upload-Offset) is a cut connection: the job says Offline,
forgets the connection, and the next step asks the server for its offset again."""
from __future__ import annotations

import hashlib
import socket
import threading
from typing import List

import pytest

from client.sync.http import Offline
from client.sync.uploads import UploadJob


class CutReplyServer:
    """Loopback tus endpoint: POST creates, HEAD says offset 0, PATCH answers with headers cut short."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.methods: List[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                method = data.split(b" ", 1)[0].decode()
                self.methods.append(method)
                if method == "POST":
                    loc = "http://127.0.0.1:%d/api/v1/files/abc" % self.port
                    conn.sendall(("HTTP/1.1 201 Created\r\nLocation: %s\r\nTus-Resumable: 1.0.0\r\n"
                                  "Content-Length: 0\r\nConnection: close\r\n\r\n" % loc).encode())
                elif method == "HEAD":
                    conn.sendall(b"HTTP/1.1 200 OK\r\nUpload-Offset: 0\r\nUpload-Length: 10\r\n"
                                 b"Tus-Resumable: 1.0.0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                else:  # the PATCH reply loses its end, Upload-Offset among it
                    conn.sendall(b"HTTP/1.1 204 No Content\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: \r\nx-server-tim")

    def close(self) -> None:
        self.sock.close()


@pytest.mark.expected_log(r"Failed to parse headers")
def test_a_reply_cut_inside_its_headers_is_offline_and_the_next_step_asks_the_offset(tmp_path):
    srv = CutReplyServer()
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"0123456789")
    saved: List[str] = []
    record = {"path": str(clip), "size": 10, "sitting_id": "s1", "purpose": "evidence",
              "sha256": hashlib.sha256(clip.read_bytes()).hexdigest()}
    job = UploadJob(record, "http://127.0.0.1:%d/api/v1" % srv.port, lambda: {}, saved.append,
                    chunk_bytes=4, bandwidth_bps=0, timeout_s=5)
    try:
        with pytest.raises(Offline):
            job.step()
        assert saved and saved[-1].endswith("/files/abc")   # the upload is kept for the resume
        with pytest.raises(Offline):
            job.step()                                       # resumes: asks the server first
        assert srv.methods[:3] == ["POST", "PATCH", "HEAD"], srv.methods
    finally:
        job.close()
        srv.close()
