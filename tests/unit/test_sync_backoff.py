"""SyncWorker backoff (exponential, jittered, two ceilings) and ServerApi failure mapping."""
from __future__ import annotations

import socket

import pytest

from client.config import ClientConfig
from client.exam.clock import ExamClock
from client.sync.http import Offline, ServerApi
from client.sync.journal import AnswerJournal
from client.sync.worker import SyncCallbacks, SyncWorker


def worker(tmp_path) -> SyncWorker:
    cfg = ClientConfig(data_dir=str(tmp_path), backoff_initial_s=0.5, backoff_max_s=30, backoff_network_max_s=1)
    return SyncWorker(AnswerJournal(str(tmp_path / "j.sqlite3")), ServerApi("http://127.0.0.1:9", ExamClock()),
                      "s-1", cfg, SyncCallbacks())


def test_backoff_grows_with_jitter_up_to_its_ceilings(tmp_path):
    w = worker(tmp_path)
    for failures, low, high in ((1, 0.25, 0.5), (2, 0.5, 1.0), (4, 2.0, 4.0), (20, 15.0, 30.0)):
        w._failures = failures
        samples = [w._backoff() for _ in range(200)]
        assert low <= min(samples) and max(samples) <= high
        assert len(set(samples)) > 100                   # jitter: clients do not retry in step
    w._failures = 20
    assert all(0.5 <= w._backoff(1.0) <= 1.0 for _ in range(100))   # no connection: short ceiling


def test_unreachable_server_is_offline_with_a_reason():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]          # bound, not listening: connections are refused
        api = ServerApi("http://127.0.0.1:%d" % port, ExamClock(), timeout_s=2)
        with pytest.raises(Offline) as e:
            api.get("/healthz")
    assert e.value.reason == "connection refused" and e.value.message_zh.startswith("无法连接")
    assert e.value.code == "network.offline"
