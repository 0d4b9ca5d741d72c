"""SyncWorker: the one thread that delivers a sitting's journal to the server (promise 3).

Lanes, in priority order, re-decided after every request:
1. operations (answers, flags, events...) in seq order, batched, idempotent (resending is safe);
2. the submission, once sealed and every op is acknowledged;
3. the heartbeat, when due;
4. evidence/document uploads, one tus chunk at a time under the bandwidth cap.
The ops form ONE hash chain, so an answer can never overtake an earlier event; "answers before
events" therefore means nothing big stands in front of them: a batch of ops is a few KB and goes
before any heartbeat or upload chunk, and an upload yields after every chunk.

Failures: `Offline` (no route, timeout, 5xx, garbage) switches to offline with its reason and backs
off exponentially with jitter; protocol refusals (409 gap/fork) are repaired from the server's
`acked_seq`/`chain_head`. Listeners see every change of online state, reason or counts.
"""
from __future__ import annotations

import logging
import os
import random
import threading
import time
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Tuple

from client.config import ClientConfig
from client.sync.http import ApiError, Offline, ServerApi, expect_dict
from client.sync.journal import AnswerJournal
from client.sync.rechain import rebase, set_aside_op
from client.sync.status import SyncStatus, UploadProgress
from client.sync.uploads import UploadJob, UploadRefused, file_sha256
from examcore.errors import ExamError

log = logging.getLogger(__name__)


class SyncCallbacks:
    """What the worker tells its owner (the ExamService). All run on the worker thread."""

    def status(self, status: SyncStatus) -> None: ...
    def heartbeat_body(self) -> Dict[str, Any]: return {}
    def heartbeat_answer(self, body: Dict[str, Any]) -> None: ...
    def receipt(self, body: Dict[str, Any]) -> None: ...
    def upload(self, progress: UploadProgress) -> None: ...
    def error(self, error: ExamError) -> None: ...
    def relogin(self) -> bool: return False
    def closed_by_server(self) -> None: ...


class SyncWorker:
    def __init__(self, journal: AnswerJournal, api: ServerApi, sitting_id: str, config: ClientConfig,
                 callbacks: SyncCallbacks) -> None:
        self.journal, self.api, self.sitting_id, self.config = journal, api, sitting_id, config
        self.cb = callbacks
        self._kick = threading.Event()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._failures = 0
        self._next_heartbeat = 0.0
        self._jobs: Dict[str, UploadJob] = {}
        self._status = SyncStatus(False, "not yet connected", 0, 0, journal.acked(sitting_id)[0])
        self._publish_lock = threading.Lock()
        self._last_contact_ms: Optional[int] = None
        # the server already holds a submission (another PC, a hand-delivered export): its (seq, head)
        self._closed_at: Optional[Tuple[int, str]] = None
        self.requests_sent = 0
        self._ops_not_before = 0.0
        self._reported = ""
        self._attempts: Dict[str, int] = {}
        self.failed_steps = 0    # steps that found the server unreachable (lets submit() stop waiting)
        self._uploaded = False   # an upload chunk went through in this step (contact without ServerApi)
        self.upload_resumes: List[int] = []   # server offsets that uploads resumed from (diagnostics)

    # -- control ------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="examdesk-sync", daemon=True)
        self._thread.start()

    def kick(self) -> None:
        """New work (an op, a seal, an upload): look again now. The status is counted again at once,
        on the caller's thread: an answer given while a request hangs is "waiting", never "all saved"."""
        self._kick.set()
        self._publish()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._kick.set()
        if self._thread is not None:
            self._thread.join(timeout)
        for job in self._jobs.values():
            job.close()

    @property
    def status(self) -> SyncStatus:
        return self._status

    def _publish(self, online: Optional[bool] = None, reason: Optional[str] = None) -> None:
        """Count and tell the listeners; online/reason None = unchanged (read under the lock, so a
        recount never brings back an "online" the worker has just replaced)."""
        # the worker and the threads that append ops (kick) both publish; one at a time, so listeners
        # see the statuses in the order they were counted
        with self._publish_lock:
            if online is None:
                online, reason = self._status.online, self._status.reason
            acked = self.journal.acked(self.sitting_id)[0]
            pending = self.journal.pending_by_kind(self.sitting_id)
            st = SyncStatus(online, reason or "", sum(pending.values()),
                            len(self.journal.uploads("pending")) + len(self.journal.uploads("sent")), acked,
                            self._last_contact_ms, pending.get("answer", 0))
            if st == self._status:
                return
            self._status = st
            try:
                self.cb.status(st)
            except Exception:  # noqa: BLE001 - a listener's bug must not stop delivery
                log.exception("sync status listener failed")

    # -- the loop -------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            self._kick.clear()
            responses = self.api.responses
            try:
                busy = self.step()
                self._failures = 0
                if self.api.responses != responses or self._uploaded:
                    # online only on evidence: a step that sent nothing proves nothing
                    self._uploaded = False
                    self._last_contact_ms = self.api.clock.server_now_ms()
                    self._publish(True, "")
                if busy:
                    continue
                wait = max(0.05, min(1.0, self._next_heartbeat - time.monotonic(), self._upload_wait()))
            except Offline as e:
                self._failures += 1
                self.failed_steps += 1
                self._publish(False, e.reason)
                # a timeout may be a server drowning in work: that one backs off all the way
                quick = e.status == 0 and e.reason != "timeout"
                wait = self._backoff(self.config.backoff_network_max_s if quick else None)
                log.info("sync offline (%s); retry in %.2fs", e.reason, wait)
            except ApiError as e:
                self._failures += 1
                if e.status == 401 and self._reported != e.code:
                    self._reported = e.code   # answers stay safe on disk; the candidate must log in again
                    self.cb.error(e)
                self._publish(False, "%s (HTTP %d)" % (e.code, e.status))
                wait = self._backoff()
                log.warning("sync refused: %s", e)
            except Exception as e:  # noqa: BLE001 - the worker must survive anything and keep trying
                self._failures += 1
                log.exception("sync step failed")
                self._publish(False, "internal error: %s" % type(e).__name__)
                wait = self._backoff()
            self._kick.wait(wait) if self._failures == 0 else self._stop.wait(wait)

    def _backoff(self, cap: Optional[float] = None) -> float:
        """Exponential with jitter (0.5-1x), so thousands of clients do not retry in step."""
        cap = self.config.backoff_max_s if cap is None else min(cap, self.config.backoff_max_s)
        base = min(cap, self.config.backoff_initial_s * (2 ** min(self._failures - 1, 16)))
        return base * random.uniform(0.5, 1.0)

    def _upload_wait(self) -> float:
        if not self._jobs:
            return 1.0
        return max(0.0, min(j.not_before for j in self._jobs.values()) - time.monotonic())

    def step(self) -> bool:
        """One unit of work in lane order; True if something was sent and more may wait."""
        if self._send_ops():
            return True
        if self._submit_if_sealed():
            return True
        if time.monotonic() >= self._next_heartbeat:
            self._heartbeat()
            return True
        return self._upload_step()

    # -- lane 1: operations -----------------------------------------------------------------
    def _send_ops(self) -> bool:
        if self._closed_at is not None or time.monotonic() < self._ops_not_before:
            return False
        acked, _ = self.journal.acked(self.sitting_id)
        batch = self.journal.ops(self.sitting_id, after_seq=acked, limit=min(500, self.config.ops_batch_size))
        if not batch:
            return False
        try:
            body = self._authed(lambda: self.api.post("/sittings/%s/ops" % self.sitting_id,
                                                      {"ops": [op.wire() for op in batch]}))
        except ApiError as e:
            if e.code in ("ops.gap", "ops.fork", "ops.bad_hash"):
                self._repair_chain(e)
                return True
            if e.code == "sitting.not_started":
                # consent and check reports wait for the start; the other lanes go on meanwhile
                self._ops_not_before = time.monotonic() + 2.0
                return False
            if e.code == "sitting.sealed" and "acked_seq" in e.details:
                # submitted elsewhere: nothing more can count; fetch that submission's receipt
                self._closed_at = (int(e.details["acked_seq"]), str(e.details.get("chain_head", "")))
                log.error("sitting already submitted on the server at seq %d; %d local ops not accepted",
                          self._closed_at[0], len(batch))
                self.cb.error(ExamError(
                    "sitting.submitted_elsewhere",
                    "服务器上本场考试已经交卷（第 %d 条操作为止），之后的作答未被接受，已保留在本机。" % self._closed_at[0],
                    "the server already holds a submission of this sitting (up to op %d); later answers were "
                    "not accepted and stay on this computer" % self._closed_at[0], {"acked_seq": self._closed_at[0]}))
                self.cb.closed_by_server()
                return True
            if e.status == 422 and isinstance(e.details.get("seq"), int) and e.details["seq"] > acked:
                # an op the server will never take (its content, e.g. a value damaged on disk): keep
                # it in the archive, re-chain the rest, tell the candidate; everything else flows on
                set_aside_op(self.journal, self.sitting_id, int(e.details["seq"]))
                self.cb.error(e)
                return True
            if e.status == 422 and e.code != self._reported:
                self._reported = e.code
                self.cb.error(e)
            raise
        body = expect_dict(body, "acked_seq", "chain_head")
        self._accept_ack(int(body["acked_seq"]), str(body["chain_head"]))
        self.requests_sent += 1
        return True

    def _accept_ack(self, server_seq: int, server_head: str) -> None:
        ours = self.journal.ops(self.sitting_id, after_seq=server_seq - 1, limit=1)
        if server_seq == 0 or (ours and ours[0].seq == server_seq and ours[0].hash == server_head):
            self.journal.set_acked(self.sitting_id, server_seq, server_head)
        elif server_seq <= self.journal.base(self.sitting_id)[0]:
            self.journal.set_acked(self.sitting_id, server_seq, server_head)
        else:
            local_acked = self.journal.acked(self.sitting_id)[0]
            rebase(self.journal, self.sitting_id, server_seq, server_head, local_acked + 1)

    def _repair_chain(self, e: ApiError) -> None:
        server_seq = int(e.details.get("acked_seq", 0))
        server_head = str(e.details.get("chain_head", ""))
        log.warning("server refused ops (%s): server holds seq %d", e.code, server_seq)
        if not server_head:
            raise Offline("server refused ops without its chain head (%s)" % e.code)
        self._accept_ack(server_seq, server_head)

    def _authed(self, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except ApiError as e:
            if e.status == 401 and self.cb.relogin():
                return call()
            raise

    # -- lane 2: submission ------------------------------------------------------------------
    def _submit_if_sealed(self) -> bool:
        seal = self.journal.seal(self.sitting_id)
        if seal is None or self.journal.receipt(self.sitting_id) is not None:
            return False
        final_seq, head = self._closed_at or (seal["final_seq"], seal["chain_head"])
        try:
            body = self._authed(lambda: self.api.post("/sittings/%s/submit" % self.sitting_id, {
                "final_seq": final_seq, "chain_head": head, "reason": seal["reason"]}))
        except ApiError as e:
            if e.code == "submit.missing_ops" and "acked_seq" in e.details:
                self.journal.set_acked(self.sitting_id, min(int(e.details["acked_seq"]), seal["final_seq"]),
                                       str(e.details.get("chain_head", "")))
                return True
            raise
        self.cb.receipt(expect_dict(body, "receipt", "signature"))
        return True

    # -- lane 3: heartbeat --------------------------------------------------------------------
    def _heartbeat(self) -> None:
        body = dict(self.cb.heartbeat_body())
        body.setdefault("pending_ops", self.journal.pending_count(self.sitting_id))
        body.setdefault("pending_uploads", len(self.journal.uploads("pending")))
        try:
            answer = self._authed(lambda: self.api.post("/sittings/%s/heartbeat" % self.sitting_id, body))
        except ApiError as e:
            if e.status != 429:
                raise
            # the server's heartbeat rate limit: wait as told; answers and uploads go on meanwhile
            retry = e.details.get("retry_after_s")
            wait = float(retry) if isinstance(retry, (int, float)) and not isinstance(retry, bool) else 5.0
            self._next_heartbeat = time.monotonic() + min(max(wait, 1.0), 300.0)
            log.info("heartbeat rate-limited; next in %.0f s", wait)
            return
        # scheduled from the last success: a failed heartbeat is retried after the backoff (a probe)
        self._next_heartbeat = time.monotonic() + self.config.heartbeat_interval_s
        self.cb.heartbeat_answer(expect_dict(answer))

    # -- lane 4: uploads -----------------------------------------------------------------------
    def _upload_step(self) -> bool:
        if self.journal.uploads("sent"):
            self._confirm_uploads()
        pending = [u for u in self.journal.uploads("pending") if u["sitting_id"] == self.sitting_id
                   or u["purpose"] == "document"]
        if not pending:
            return False
        rec = pending[0]
        if not os.path.exists(rec["path"]):
            log.error("upload file vanished: %s", rec["path"])
            self.journal.update_upload(rec["path"], status="missing")
            return True
        job = self._jobs.get(rec["path"])
        if job is None:
            path: str = rec["path"]
            job = self._jobs[path] = UploadJob(
                rec, self.api.api, self.api.headers, lambda url: self.journal.update_upload(path, url=url),
                self.config.upload_chunk_bytes, self.config.upload_bandwidth_bps, self.config.request_timeout_s)
        if time.monotonic() < job.not_before:
            return False
        try:
            done = job.step()
        except Offline as e:
            if e.status == 401 and self.cb.relogin():     # the token expired mid-upload: renew, go on
                return True
            raise
        except UploadRefused as e:
            log.error("upload refused: %s: %s", rec["path"], e)
            job.close()
            del self._jobs[rec["path"]]
            self.cb.error(e)          # told first, then recorded: whoever sees "refused" was told
            self.journal.update_upload(rec["path"], status="refused")
            return True
        self._uploaded = True
        self.cb.upload(UploadProgress(os.path.basename(job.record.get("url") or rec["path"]),
                                      os.path.basename(rec["path"]), rec["purpose"], job.offset, job.size, False))
        if done:
            self.upload_resumes.extend(job.resumed_from)
            job.close()
            del self._jobs[rec["path"]]
            self.journal.update_upload(rec["path"], status="sent")
            self._confirm_uploads()
        return True

    def _confirm_uploads(self) -> None:
        """Delete a local file only when the server verified our SHA-256 of it."""
        sent = self.journal.uploads("sent")
        sids = sorted({u["sitting_id"] for u in sent})
        for sid in sids:
            body = expect_dict(self._authed(partial(self.api.get, "/sittings/%s/uploads" % sid)), "uploads")
            server: List[Dict[str, Any]] = [u for u in body["uploads"] if isinstance(u, dict)]
            for rec in [u for u in sent if u["sitting_id"] == sid]:
                url_id = (rec.get("url") or "").rstrip("/").rsplit("/", 1)[-1]
                match = [u for u in server if u.get("sha256") == rec["sha256"]
                         and (not url_id or u.get("upload_id") == url_id or u.get("upload_id") in (rec.get("url") or ""))]
                if any(u.get("verified") for u in match):
                    self._delete_local(rec)
                    self.cb.upload(UploadProgress(url_id, os.path.basename(rec["path"]), rec["purpose"],
                                                  rec["size"], rec["size"], True))
                elif any(u.get("status") == "rejected" for u in match) or not match:
                    self._upload_again(rec)

    def _upload_again(self, rec: Dict[str, Any]) -> None:
        """The server did not verify the file: send it again, a few times at most. If the file on
        disk no longer matches the SHA-256 taken when it was recorded, say so in the journal (an
        audit event) and send what is there rather than nothing."""
        path = rec["path"]
        self._attempts[path] = self._attempts.get(path, 0) + 1
        if self._attempts[path] > 3 or not os.path.exists(path):
            self.journal.update_upload(path, status="failed")
            self.cb.error(ExamError("upload.rejected", "证据文件多次上传均未通过校验，已保留在本机：%s" % path,
                                      "the server kept rejecting the evidence file; it stays on this computer: %s" % path))
            return
        actual = file_sha256(path)
        if actual != rec["sha256"]:
            log.error("evidence file changed after it was recorded: %s", path)
            self.journal.append(self.sitting_id, "event", {
                "type": "evidence_changed", "severity": "warn",
                "detail": {"file": os.path.basename(path), "recorded_sha256": rec["sha256"], "sha256": actual}},
                self.api.clock.exam_ms(), int(time.time() * 1000))
            self.journal.update_upload(path, sha256=actual, size=os.path.getsize(path))
        log.warning("server did not verify %s: uploading it again", path)
        self.journal.update_upload(path, status="pending", url="")

    def _delete_local(self, rec: Dict[str, Any]) -> None:
        self.journal.update_upload(rec["path"], status="verified")
        if rec["purpose"] != "document":   # the candidate's own documents are theirs to keep
            try:
                os.remove(rec["path"])
            except OSError as e:
                log.warning("could not delete verified evidence %s: %s", rec["path"], e)
