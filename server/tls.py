"""TLS for a LAN or a trial: a local certificate authority and a server certificate signed by it.

Phones give the camera only to secure contexts, so the phone page needs HTTPS with a certificate the
phone trusts. A real deployment uses a certificate from a public CA; for a classroom LAN or a trial,
`examdesk-server make-cert` creates a CA once (its key stays in the output folder, 0600) and a server
certificate whose subjectAltNames list every name and address the phones will use (iOS refuses a
certificate without a SAN). The candidate installs `ca.crt` on the phone once (the phone page says how).
"""

import datetime as dt
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
# Apple accepts TLS server certificates valid for at most 825 days (398 for public CAs)
SERVER_DAYS = 397


@dataclass(frozen=True)
class CertFiles:
    ca_cert: Path
    ca_key: Path
    cert: Path
    key: Path
    names: tuple[str, ...]


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (what phones on the LAN will dial). Sends nothing:
    a UDP socket's connect() only asks the kernel which local address would route there."""
    found: set[str] = set()
    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                found.add(s.getsockname()[0])
        except OSError:
            continue
    try:
        found.update(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    return sorted(a for a in found if not ipaddress.ip_address(a).is_loopback and a != "0.0.0.0")


def _write(path: Path, data: bytes, private: bool) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(str(tmp), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(str(tmp), str(path))


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _san(names: list[str]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for n in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(n)))
        except ValueError:
            entries.append(x509.DNSName(n))
    return x509.SubjectAlternativeName(entries)


def make_ca(common_name: str = "ExamDesk local CA") -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ExamDesk")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def make_server_cert(ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate, names: list[str],
                     days: int = SERVER_DAYS) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    if not names:
        raise ValueError("a server certificate needs at least one name or address")
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
            .add_extension(_san(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=False, key_cert_sign=False,
                                         crl_sign=False, content_commitment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def create(out_dir: Path, names: list[str], reuse_ca: bool = True) -> CertFiles:
    """CA (kept and reused when already in `out_dir`, so phones that trust it keep trusting) and a fresh
    server certificate for `names` (DNS names and IP addresses; localhost and 127.0.0.1 always included)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    os.chmod(str(out), 0o700)
    all_names = list(dict.fromkeys([*names, "localhost", "127.0.0.1"]))
    files = CertFiles(out / "ca.crt", out / "ca.key", out / "server.crt", out / "server.key", tuple(all_names))
    if reuse_ca and files.ca_cert.exists() and files.ca_key.exists():
        loaded = serialization.load_pem_private_key(files.ca_key.read_bytes(), None)
        if not isinstance(loaded, ec.EllipticCurvePrivateKey):
            raise ValueError("%s is not an EC private key" % files.ca_key)
        ca_key, ca_cert = loaded, x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    else:
        ca_key, ca_cert = make_ca()
        _write(files.ca_key, _key_pem(ca_key), private=True)
        _write(files.ca_cert, ca_cert.public_bytes(serialization.Encoding.PEM), private=False)
    key, cert = make_server_cert(ca_key, ca_cert, all_names)
    _write(files.key, _key_pem(key), private=True)
    # the chain (server, then CA) so that clients which do not hold the CA yet still see who issued it
    _write(files.cert, cert.public_bytes(serialization.Encoding.PEM) + ca_cert.public_bytes(serialization.Encoding.PEM),
           private=False)
    return files


def ca_of_chain(cert_file: Path) -> bytes | None:
    """The CA certificate to offer phones for download: `ca.crt` beside the server certificate, else the
    last self-signed certificate of the chain file; None when there is none (a public CA's chain)."""
    beside = Path(cert_file).with_name("ca.crt")
    if beside.exists():
        return beside.read_bytes()
    try:
        chain = x509.load_pem_x509_certificates(Path(cert_file).read_bytes())
    except (OSError, ValueError):
        return None
    for c in reversed(chain):
        if c.issuer == c.subject:
            return c.public_bytes(serialization.Encoding.PEM)
    return None
