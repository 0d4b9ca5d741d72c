"""ServerApi: the HTTP side of docs/protocol.md (requests), feeding the exam clock.

Every response's `X-Server-Time-Ms` goes to the clock. Failures become ExamError subclasses:
- `Offline` (no connection, timeout, 5xx, a body that is not the protocol's JSON): retry later;
- `ApiError` (a 4xx with the protocol's error body): the server said no; do not blindly retry.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Dict, Optional, Protocol

import requests

from examcore.errors import ExamError

log = logging.getLogger(__name__)


class ServerTimeClock(Protocol):
    """What sync needs of the exam clock (client.exam.clock.ExamClock implements it)."""

    def observe(self, server_ms: int, sent_mono_ms: int, recv_mono_ms: int) -> None: ...
    def mono_ms(self) -> int: ...
    def server_now_ms(self) -> int: ...
    def exam_ms(self) -> int: ...


class Offline(ExamError):
    """The server could not be reached or did not answer properly; `reason` says why."""

    def __init__(self, reason: str, status: int = 0) -> None:
        super().__init__("network.offline", "无法连接考试服务器（%s），答案已保存在本机，恢复后自动上传。" % reason,
                         "cannot reach the exam server (%s); answers are kept on this computer and sent later." % reason,
                         {"reason": reason, "status": status})
        self.reason = reason
        self.status = status


class ApiError(ExamError):
    def __init__(self, status: int, code: str, message_zh: str, message_en: str, details: Dict[str, Any]) -> None:
        super().__init__(code, message_zh, message_en, details)
        self.status = status


def _reason(e: BaseException) -> str:
    if isinstance(e, requests.Timeout):
        return "timeout"
    text = str(e)
    if "refused" in text.lower():
        return "connection refused"
    if isinstance(e, requests.ConnectionError):
        return "connection lost"
    return type(e).__name__


class ServerApi:
    def __init__(self, base_url: str, clock: ServerTimeClock, timeout_s: float = 10.0) -> None:
        self.api = base_url.rstrip("/") + "/api/v1"
        self.clock = clock
        self.timeout_s = timeout_s
        self.token: Optional[str] = None
        self._local = threading.local()   # one requests.Session per thread (sessions are not thread-safe)
        self.bytes_sent = 0
        self.responses = 0
        self.on_unauthorized: Optional[Callable[[], bool]] = None

    def _session(self) -> requests.Session:
        s = getattr(self._local, "session", None)
        if s is None:
            s = self._local.session = requests.Session()
        return s

    def headers(self) -> Dict[str, str]:
        return {"Authorization": "Bearer " + self.token} if self.token else {}

    def observe(self, resp: requests.Response, sent_ms: int, recv_ms: int) -> None:
        raw = resp.headers.get("X-Server-Time-Ms")
        try:
            if raw is not None:
                self.clock.observe(int(raw), sent_ms, recv_ms)
        except ValueError:
            log.warning("bad X-Server-Time-Ms header %r", raw)

    def request(self, method: str, path: str, json_body: Any = None, timeout: Optional[float] = None) -> Any:
        """The decoded JSON body of a 2xx answer, else Offline / ApiError. An expired token is
        renewed once through `on_unauthorized` (the service logs in again from memory)."""
        try:
            return self._request(method, path, json_body, timeout)
        except ApiError as e:
            if e.status != 401 or path == "/auth/login" or self.on_unauthorized is None or not self.on_unauthorized():
                raise
        return self._request(method, path, json_body, timeout)

    def _request(self, method: str, path: str, json_body: Any = None, timeout: Optional[float] = None) -> Any:
        sent = self.clock.mono_ms()
        try:
            resp = self._session().request(method, self.api + path, json=json_body, headers=self.headers(),
                                           timeout=timeout or self.timeout_s)
        except requests.RequestException as e:
            raise Offline(_reason(e)) from None
        recv = self.clock.mono_ms()
        self.responses += 1          # any answer at all means the server is reachable
        self.observe(resp, sent, recv)
        sent_body = resp.request.body if resp.request is not None else None
        if isinstance(sent_body, (bytes, str)):   # json= bodies are bytes
            self.bytes_sent += len(sent_body)
        if resp.status_code >= 500:
            raise Offline("HTTP %d" % resp.status_code, resp.status_code)
        try:
            body = resp.json()
        except ValueError:
            raise Offline("invalid response (HTTP %d, not JSON)" % resp.status_code, resp.status_code) from None
        if resp.status_code >= 400:
            err = body.get("error") if isinstance(body, dict) else None
            if not isinstance(err, dict) or not isinstance(err.get("code"), str):
                raise Offline("invalid error response (HTTP %d)" % resp.status_code, resp.status_code)
            raw_details = err.get("details")
            details = raw_details if isinstance(raw_details, dict) else {}
            raise ApiError(resp.status_code, err["code"], str(err.get("message_zh") or err["code"]),
                           str(err.get("message_en") or err["code"]), details)
        return body

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def post(self, path: str, body: Any) -> Any:
        return self.request("POST", path, body)


def expect_dict(body: Any, *keys: str) -> Dict[str, Any]:
    """A response body that must be an object carrying `keys`, else Offline('invalid response')."""
    if not isinstance(body, dict) or any(k not in body for k in keys):
        raise Offline("invalid response (missing %s)" % ",".join(keys))
    return body
