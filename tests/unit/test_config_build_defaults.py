"""Build defaults (examdesk-defaults.json beside the frozen program) and the baked CA certificate:
the lowest configuration layer, and HTTPS to a real loopback server that only the baked CA vouches for."""
from __future__ import annotations

import datetime
import json
import os
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from client import config as cfg
from client.exam.clock import ExamClock
from client.sync.http import Offline, ServerApi

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "installer"))
import bake  # noqa: E402


def _write(path, obj):
    with open(str(path), "w", encoding="utf-8") as f:
        json.dump(obj, f)
    return str(path)


def test_build_defaults_are_the_lowest_layer(tmp_path):
    defaults = _write(tmp_path / "examdesk-defaults.json", {"server_url": "https://exam.example.org/", "language": "en"})
    data = tmp_path / "data"
    data.mkdir()
    c = cfg.load_config(["--data-dir", str(data)], environ={}, build_defaults=defaults)
    assert c.server_url == "https://exam.example.org" and c.language == "en"
    _write(data / "examdesk.json", {"server_url": "https://other.example.org"})       # the user's file wins
    assert cfg.load_config(["--data-dir", str(data)], environ={}, build_defaults=defaults).server_url == "https://other.example.org"
    env = {"EXAMDESK_SERVER_URL": "http://127.0.0.1:9"}                               # then the environment
    assert cfg.load_config(["--data-dir", str(data)], environ=env, build_defaults=defaults).server_url == "http://127.0.0.1:9"


def test_a_relative_ca_cert_is_beside_the_defaults_file_and_bad_files_are_ignored(tmp_path, caplog):
    defaults = _write(tmp_path / "examdesk-defaults.json", {"ca_cert": "examdesk-ca.pem"})
    assert cfg.read_build_defaults(defaults)["ca_cert"] == os.path.join(str(tmp_path), "examdesk-ca.pem")
    (tmp_path / "broken.json").write_text("{not json")
    assert cfg.read_build_defaults(str(tmp_path / "broken.json")) == {}
    assert "build defaults unreadable" in caplog.text
    assert cfg.read_build_defaults(str(tmp_path / "absent.json")) == {}


def test_frozen_program_reads_the_file_beside_it(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "ExamDesk.exe"))
    assert cfg.build_defaults_path() == os.path.join(str(tmp_path), "examdesk-defaults.json")
    monkeypatch.delattr(sys, "frozen")
    assert cfg.build_defaults_path() is None      # from source: no build


def test_bake_writes_what_the_client_reads_and_refuses_bad_input(tmp_path):
    bundle = tmp_path / "ExamDesk"
    bundle.mkdir()
    (bundle / "ExamDesk.exe").write_bytes(b"MZ")
    pem = os.path.join(os.path.dirname(__file__), "..", "installer", "test-ca.pem")
    assert bake.main([str(bundle), "--server-url", "https://exam.example.org:8443/", "--ca-cert", pem]) == 0
    c = cfg.load_config(["--data-dir", str(tmp_path / "d")], environ={}, build_defaults=str(bundle / "examdesk-defaults.json"))
    assert c.server_url == "https://exam.example.org:8443"
    with open(c.ca_cert, "rb") as a, open(pem, "rb") as b:
        assert a.read() == b.read()
    for url in ("exam.example.org", "ftp://exam.example.org", "https://", "https://h:99999", "https://h/?q=1"):
        assert bake.main([str(bundle), "--server-url", url]) == 2, url
    (tmp_path / "key.txt").write_text("not a certificate")
    assert bake.main([str(bundle), "--ca-cert", str(tmp_path / "key.txt")]) == 2
    assert bake.main([str(tmp_path), "--server-url", "https://h"]) == 2           # not a bundle


# --- HTTPS against a loopback server whose certificate only our test CA signed
def _pki(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Exam centre test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    import ipaddress

    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(pem))
    (tmp_path / "server.pem").write_bytes(cert.public_bytes(pem) + key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return str(tmp_path / "ca.pem"), str(tmp_path / "server.pem")


class _Info(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = b'{"name": "test"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def https_server(tmp_path):
    ca, server_pem = _pki(tmp_path)
    httpd = HTTPServer(("127.0.0.1", 0), _Info)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(server_pem)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield "https://127.0.0.1:%d" % httpd.server_address[1], ca
    httpd.shutdown()
    httpd.server_close()


def test_the_baked_ca_lets_the_client_reach_its_server_and_nothing_else_does(https_server, tmp_path, monkeypatch):
    url, ca = https_server
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with pytest.raises(Offline):      # the public trust store does not know the exam centre's CA
        ServerApi(url, ExamClock()).get("/server-info")
    defaults = _write(tmp_path / "examdesk-defaults.json", {"server_url": url, "ca_cert": ca})
    c = cfg.load_config(["--data-dir", str(tmp_path / "d")], build_defaults=defaults)   # the process's own environment
    assert os.environ["REQUESTS_CA_BUNDLE"] == ca
    assert ServerApi(c.server_url, ExamClock()).get("/server-info") == {"name": "test"}


def test_a_missing_ca_file_is_logged_and_not_used(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    c = cfg.ClientConfig(data_dir=str(tmp_path), ca_cert=str(tmp_path / "gone.pem"))
    env = {}
    cfg.trust_ca_cert(c, env)
    assert env == {} and "CA certificate is missing" in caplog.text
