"""HTTPS for the phone page: `examdesk-server make-cert` (a local CA and a server certificate with
subjectAltNames), `serve --tls-cert/--tls-key`, the CA offered to phones, and pairing URLs on --public-url."""
from __future__ import annotations

import ipaddress
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

from server.tls import CertFiles
from tests.helpers.fixtures import make_sitting
from tests.helpers.server import ROOT, LiveServer
from tests.server.kit import auth


def make_cert(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server", "make-cert", "--out", str(out), *args], capture_output=True,
                          text=True, check=True, cwd=str(ROOT), env=dict(os.environ, PYTHONPATH=str(ROOT)))


def files_in(out: Path) -> CertFiles:
    return CertFiles(out / "ca.crt", out / "ca.key", out / "server.crt", out / "server.key", ())


def test_make_cert_gives_a_ca_and_a_server_certificate_with_sans(tmp_path):
    out = tmp_path / "tls"
    printed = make_cert(out, "--host", "192.168.77.10", "--host", "exam.lan").stdout
    assert "ca.crt" in printed and "--tls-cert" in printed
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(out / "ca.key").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(out / "server.key").st_mode) == 0o600
    ca = x509.load_pem_x509_certificate((out / "ca.crt").read_bytes())
    chain = x509.load_pem_x509_certificates((out / "server.crt").read_bytes())
    cert = chain[0]
    assert chain[1] == ca                                            # the chain carries its CA
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(san.get_values_for_type(x509.DNSName)) == {"exam.lan", "localhost"}
    assert set(san.get_values_for_type(x509.IPAddress)) == {ipaddress.ip_address("192.168.77.10"),
                                                            ipaddress.ip_address("127.0.0.1")}
    assert ExtendedKeyUsageOID.SERVER_AUTH in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert cert.issuer == ca.subject
    pub = ca.public_key()
    assert isinstance(pub, ec.EllipticCurvePublicKey)
    pub.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(hashes.SHA256()))   # signed by the CA
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days <= 398          # what iOS accepts
    # a second run keeps the CA (phones that trust it go on trusting), --new-ca replaces it
    make_cert(out, "--host", "exam2.lan")
    assert x509.load_pem_x509_certificate((out / "ca.crt").read_bytes()) == ca
    make_cert(out, "--host", "exam2.lan", "--new-ca")
    assert x509.load_pem_x509_certificate((out / "ca.crt").read_bytes()) != ca


def test_the_server_speaks_https_offers_its_ca_and_pairs_on_the_public_url(tmp_path):
    out = tmp_path / "tls"
    make_cert(out, "--host", "127.0.0.1")
    srv = LiveServer(tmp_path / "server", tls=files_in(out),
                     extra_args=["--public-url", "https://exam.lan:8765/"]).start()
    try:
        assert srv.url.startswith("https://")
        assert requests.get(srv.api + "/healthz", verify=srv.verify, timeout=10).json() == {"ok": True}
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(srv.api + "/healthz", timeout=10)           # not trusted without the local CA
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(srv.api.replace("https://", "http://") + "/healthz", timeout=10)
        ca = requests.get(srv.url + "/phone/ca.crt", verify=srv.verify, timeout=10)
        assert ca.status_code == 200 and ca.content == (out / "ca.crt").read_bytes()
        assert ca.headers["content-type"] == "application/x-x509-ca-cert"
        st = make_sitting(srv)
        url = requests.post("%s/sittings/%s/phone/pairing" % (srv.api, st.sitting_id), headers=auth(st.token),
                            verify=srv.verify, timeout=10).json()["url"]
        assert url.startswith("https://exam.lan:8765/phone/#t=")
    finally:
        srv.stop()


def test_tls_options_go_together(tmp_path):
    r = subprocess.run([sys.executable, "-m", "server", "serve", "--data-dir", str(tmp_path), "--tls-cert", "x.pem"],
                       capture_output=True, text=True, cwd=str(ROOT), env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode != 0 and "--tls-key" in r.stderr
