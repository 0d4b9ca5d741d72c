"""Bake the exam centre's server into a built bundle: examdesk-defaults.json (+ examdesk-ca.pem) beside
ExamDesk.exe, read by client/config.py as the lowest layer of its configuration.

    python installer/bake.py dist/ExamDesk --server-url https://exam.example.org [--ca-cert ca.pem]

Refuses (exit 2) an address that is not http(s)://host[:port][/path] and a file holding no PEM certificate.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import List, Optional
from urllib.parse import urlsplit

DEFAULTS_NAME = "examdesk-defaults.json"   # client/config.py BUILD_DEFAULTS_NAME
CA_NAME = "examdesk-ca.pem"


class BakeError(ValueError):
    pass


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise BakeError("not a server address (http(s)://host[:port][/path]): %r" % url)
    parts.port  # noqa: B018 - raises ValueError for a bad port
    return url.strip().rstrip("/")


def check_ca(path: str) -> bytes:
    with open(path, "rb") as f:
        data = f.read()
    from cryptography import x509

    try:
        certs = x509.load_pem_x509_certificates(data)
    except ValueError as e:
        raise BakeError("%s holds no PEM certificate: %s" % (path, e)) from None
    if not certs:
        raise BakeError("%s holds no PEM certificate" % path)
    return data


def bake(bundle: str, server_url: str = "", ca_cert: str = "") -> dict:
    if not os.path.isfile(os.path.join(bundle, "ExamDesk.exe")):
        raise BakeError("%s is not an ExamDesk bundle (no ExamDesk.exe)" % bundle)
    values = {}
    if server_url:
        values["server_url"] = check_url(server_url)
    if ca_cert:
        data = check_ca(ca_cert)
        with open(os.path.join(bundle, CA_NAME), "wb") as f:
            f.write(data)
        values["ca_cert"] = CA_NAME
    with open(os.path.join(bundle, DEFAULTS_NAME), "w", encoding="utf-8") as f:
        json.dump(values, f, indent=2)
    return values


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("bundle")
    p.add_argument("--server-url", default="")
    p.add_argument("--ca-cert", default="")
    args = p.parse_args(argv)
    try:
        values = bake(args.bundle, args.server_url, args.ca_cert)
    except (BakeError, ValueError, OSError) as e:
        print("bake: %s" % e, file=sys.stderr)
        return 2
    print("bake: %s -> %s" % (values, os.path.join(args.bundle, DEFAULTS_NAME)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
