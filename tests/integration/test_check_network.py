"""Network checks against the real reference server on loopback, and against small local HTTP
servers that behave like a slow or unstable link (something the loopback server cannot be)."""
from __future__ import annotations

import http.server
import threading
import time
from typing import Iterator

import pytest

from client.monitor.network_check import (
    api_base,
    latency_results,
    link_kind,
    link_result,
    proxy_result,
    run_network_check,
    vpn_result,
)
from tests.helpers.server import LiveServer, free_port


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    srv = LiveServer(tmp_path_factory.mktemp("netserver")).start()
    try:
        yield srv
    finally:
        srv.stop()


def by_id(results):
    return {r.id: r for r in results}


def test_real_server_latency_jitter_and_upload(server):
    r = by_id(run_network_check(server.url, samples=5))
    assert r["network.server"].status == "pass"
    assert r["network.latency"].status == "pass" and r["network.latency"].value["samples"] == 5
    assert r["network.jitter"].status == "pass"
    up = r["network.upload"]
    assert up.status == "pass", up
    assert up.value > 2.0 and up.details["bytes"] in (1024 * 1024, 4 * 1024 * 1024)
    for x in r.values():
        assert x.message_zh and x.message_en


def test_server_down_is_one_clear_failure():
    port = free_port()
    r = by_id(run_network_check("http://127.0.0.1:%d" % port, samples=2))
    assert r["network.server"].status == "fail"
    assert "无法连接" in r["network.server"].message_zh and r["network.server"].fix_en
    assert "network.upload" not in r  # no pointless upload test against a dead server


def test_bad_url_is_reported_not_raised():
    r = run_network_check("ftp:/nonsense")
    assert r[0].id == "network.server" and r[0].status == "fail" and "http://" in r[0].fix_en
    assert api_base("http://h:1/api/v1/") == "http://h:1/api/v1" == api_base("http://h:1")


class _SlowLink(http.server.BaseHTTPRequestHandler):
    """healthz with alternating delay (jitter), speedtest read at ~1 Mbit/s, or rate-limited."""
    mode = "slow"
    n = 0

    def log_message(self, *a):  # keep test output clean
        pass

    def do_GET(self):
        type(self).n += 1
        if self.mode == "jitter":
            time.sleep(0.25 if self.n % 2 else 0.0)
        self._answer(200, b'{"ok": true}')

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        if self.mode == "drop":  # the link dies mid-upload: read a little, then hang up without an answer
            self.rfile.read(min(length, 65536))
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if self.mode == "limited":
            self.rfile.read(length)
            return self._answer(429, b'{"error": {"code": "rate.limited"}}')
        got = 0
        while got < length:
            chunk = self.rfile.read(min(16384, length - got))
            if not chunk:
                break
            got += len(chunk)
            time.sleep(16384 * 8 / 1.0e6)  # 1 Mbit/s
        self._answer(200, b'{"bytes": %d, "ms": 1}' % got)

    def _answer(self, code, body):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def link():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowLink)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        _SlowLink.mode = "slow"


def test_slow_upload_warns(link):
    _SlowLink.mode = "slow"
    r = by_id(run_network_check("http://127.0.0.1:%d" % link.server_address[1], samples=2, upload_bytes=200000))
    assert r["network.upload"].status in ("warn", "fail")
    assert r["network.upload"].value < 2.0 and "Mbit/s" in r["network.upload"].message_en


def test_jittery_link_is_flagged(link):
    _SlowLink.mode = "jitter"
    r = by_id(run_network_check("http://127.0.0.1:%d" % link.server_address[1], samples=5, upload=False))
    assert r["network.jitter"].status in ("warn", "fail") and r["network.jitter"].value > 50


def test_refused_speedtest_is_a_warning_not_a_crash(link):
    _SlowLink.mode = "limited"
    r = by_id(run_network_check("http://127.0.0.1:%d" % link.server_address[1], samples=2))
    assert r["network.upload"].status == "warn" and r["network.upload"].details["http_status"] == 429


def test_lost_samples_count_against_latency():
    r = by_id(latency_results([10.0, None, 12.0, 11.0], "http://x"))
    assert r["network.latency"].status == "warn" and r["network.latency"].value["lost"] == 0.25


def test_wired_wireless_from_sysfs(tmp_path):
    (tmp_path / "eth0").mkdir()
    (tmp_path / "wlan0" / "wireless").mkdir(parents=True)
    assert link_kind("eth0", str(tmp_path)) == "wired"
    assert link_kind("wlan0", str(tmp_path)) == "wireless"
    assert link_result("wlan0", "wireless").status == "warn"
    assert link_result("eth0", "wired").status == "pass"


def test_proxy_and_vpn():
    p = proxy_result({"https": "http://user:secret@proxy.corp:3128", "no": "localhost"})
    assert p.status == "warn" and "secret" not in str(p.to_dict())
    assert proxy_result({}).status == "pass"
    v = vpn_result({"eth0": True, "wg0": True, "tun1": False, "OpenVPN TAP-Windows6": True})
    assert v.status == "warn" and v.value == ["OpenVPN TAP-Windows6", "wg0"]
    assert vpn_result({"eth0": True, "lo": True}).status == "pass"


def test_connection_dropped_mid_upload(link):
    _SlowLink.mode = "drop"
    r = by_id(run_network_check("http://127.0.0.1:%d" % link.server_address[1], samples=2))
    assert r["network.server"].status == "pass"
    up = r["network.upload"]
    assert up.status == "fail" and "dropped" in up.message_en and "error" in up.details
