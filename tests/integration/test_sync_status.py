"""The sync status the badge shows, against the real server: "all saved" only once the server holds every
op in the journal; answers counted apart from navigation and events; counted at once when an answer is
saved, even while a request to a frozen server hangs; and answers that waited offline arrive marked
`queued` on the server."""
from __future__ import annotations

import signal

from client.exam import api as A
from examcore.ops import QUEUED_AFTER_MS
from tests.helpers.exam_client import started_service, timeline_ops, wait_for


class Statuses(A.EngineListener):
    def __init__(self) -> None:
        self.seen: list = []

    def on_sync(self, status: A.SyncStatus) -> None:
        self.seen.append(status)


def test_all_saved_only_when_every_op_is_acknowledged_even_with_a_frozen_server(sitting, tmp_path):
    server = sitting.server
    svc = started_service(sitting, tmp_path / "c", request_timeout_s=30.0)
    statuses = Statuses()
    svc.add_listener(statuses)
    try:
        wait_for(lambda: svc.sync_status().online and svc.sync_status().all_saved, what="first delivery")
        server.proc.send_signal(signal.SIGSTOP)          # frozen: connections open, nothing answers
        try:
            svc.visit("q2")
            svc.report_event("focus", "info", {"state": "back"})
            svc.answer("q1", "A")
            svc.answer("q2", ["A", "B"])
            svc.visit("q3")
            svc.answer("q3", True)
            # counted the moment each op was saved, on this thread: no wait for the hanging request
            now = svc.sync_status()
            assert not now.all_saved and now.pending_answers == 3 and now.pending_ops == 6, now
            assert statuses.seen[-1] == now                  # and the listeners (the badge) were told
            assert not any(s.all_saved for s in statuses.seen[statuses.seen.index(now) - 5:])
        finally:
            server.proc.send_signal(signal.SIGCONT)
        wait_for(lambda: svc.sync_status().all_saved, what="delivery after the freeze")
        done = svc.sync_status()
        assert done.pending_answers == 0 and done.pending_ops == 0 and done.online
        assert done.acked_seq == svc.journal.head(sitting.sitting_id)[0]
    finally:
        svc.close()


def test_answers_that_waited_offline_are_marked_queued_on_the_server(sitting, tmp_path):
    server = sitting.server
    svc = started_service(sitting, tmp_path / "c")
    try:
        svc.answer("q1", "A")
        wait_for(lambda: svc.sync_status().all_saved, what="online delivery")
        server.stop()
        seq = svc.answer("q2", ["A", "B"]).seq             # saved on this PC while the server is away
        wait_for(lambda: not svc.sync_status().online, what="offline")
        assert svc.sync_status().pending_answers == 1
        server.set_clock_offset(QUEUED_AFTER_MS + 40_000)   # it comes back a minute later
        server.start()
        wait_for(lambda: svc.sync_status().all_saved, what="queued answers delivered")
    finally:
        svc.close()
    by_seq = {op["seq"]: op for op in timeline_ops(sitting)}
    first = next(op for op in by_seq.values() if op["kind"] == "answer")
    assert first["source"] == "online"
    assert by_seq[seq]["kind"] == "answer" and by_seq[seq]["source"] == "queued"
