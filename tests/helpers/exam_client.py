"""A real ExamService against a LiveServer sitting (client-side integration tests)."""
from __future__ import annotations

import time
from typing import Any, Callable, Optional

from client.config import ClientConfig
from client.exam.clock import ClockSource
from client.exam.service import ExamService
from tests.helpers.fixtures import Sitting


def client_config(server_url: str, data_dir: str, **kw: Any) -> ClientConfig:
    kw.setdefault("backoff_initial_s", 0.05)
    kw.setdefault("backoff_max_s", 0.5)
    kw.setdefault("backoff_network_max_s", 0.5)
    kw.setdefault("request_timeout_s", 5.0)
    kw.setdefault("upload_bandwidth_bps", 0)
    return ClientConfig(server_url=server_url, data_dir=str(data_dir), **kw)


def started_service(sitting: Sitting, data_dir: Any, clock_source: Optional[ClockSource] = None,
                    server_url: Optional[str] = None, **kw: Any) -> ExamService:
    """Logged in, paper fetched and verified, consent and checks recorded, exam started."""
    svc = ExamService(client_config(server_url or sitting.server.url, data_dir, **kw), clock_source)
    svc.login(sitting.ticket, sitting.id_number, sitting.password)
    svc.select_sitting(sitting.sitting_id)
    svc.record_consent("v1", "我同意考试期间的音视频监控。")
    svc.record_check_report({"camera": "pass"})
    svc.start_exam()
    return svc


def wait_for(cond: Callable[[], Any], timeout: float = 30.0, what: str = "condition") -> Any:
    """Poll until `cond()` is truthy (a liveness guard for a stuck test, not a speed limit)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)


def timeline_ops(sitting: Sitting) -> list:
    body = sitting.server.admin_json("GET", "/admin/sittings/%s/timeline" % sitting.sitting_id)
    return [e for e in body["entries"] if e.get("type") == "op"]
