"""docs/protocol.md's endpoint table and the server's OpenAPI schema describe the same API."""
from __future__ import annotations

import re
from pathlib import Path

import requests

from tests.helpers.server import ROOT

ROW = re.compile(r"^\|\s*([A-Z/]+)\s*\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|")
FILES = "/api/v1/files/..."


def doc_endpoints() -> dict:
    """{(METHOD, path): who} from the "## Endpoints" table."""
    text = Path(ROOT, "docs", "protocol.md").read_text(encoding="utf-8")
    section = text.split("## Endpoints", 1)[1].split("\n### ", 1)[0]
    out = {}
    for line in section.splitlines():
        m = ROW.match(line)
        if m and m.group(1) != "method":
            for method in m.group(1).split("/"):
                out[(method, m.group(2))] = m.group(3)
    return out


def schema_endpoints(spec: dict) -> set:
    out = set()
    for path, ops in spec["paths"].items():
        for method in ops:
            out.add((method.upper(), FILES if path.startswith("/api/v1/files/") else path))
    return out


def test_table_and_schema_agree(live_server):
    spec = requests.get(live_server.url + "/openapi.json", timeout=10).json()
    documented = doc_endpoints()
    assert len(documented) >= 25  # the parser found the table
    served = schema_endpoints(spec)
    assert served - set(documented) == set(), "served but not documented"
    assert set(documented) - served == set(), "documented but not served"


def test_anyone_endpoints_need_no_token_and_the_rest_do(live_server):
    for (method, path), who in doc_endpoints().items():
        if path == FILES or method == "OPTIONS":
            continue
        url = live_server.url + re.sub(r"\{[^}]+\}", "x", path)
        r = requests.request(method, url, json={} if method == "POST" else None, timeout=10)
        assert r.status_code < 500, (method, path, r.status_code)
        assert "X-Server-Time-Ms" in r.headers
        if who == "anyone":
            assert r.status_code != 401, (method, path)
        else:
            assert r.status_code == 401 and r.json()["error"]["code"] == "auth.required", (method, path, r.text)


def test_every_error_code_the_server_can_send_is_documented():
    from server.errors import MESSAGES

    text = Path(ROOT, "docs", "protocol.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+(?:\.[a-z_*]+)?)`", text))
    used = set(MESSAGES)
    for py in Path(ROOT, "server").glob("**/*.py"):
        used |= set(re.findall(r'ApiError\(\s*"([a-z_.]+)"', py.read_text(encoding="utf-8")))
    missing = sorted(c for c in used if c not in documented and not (c.startswith("upload.") and "upload.*" in text)
                     and c != "internal")
    assert missing == []
    for code, (status, zh, en) in MESSAGES.items():  # every default message exists in both languages
        assert 400 <= status < 600 and zh.strip() and en.strip(), code
