"""Group commits of answer ops: several candidates' batches that arrive together share one commit, each in
its own savepoint, and nobody is acknowledged before that commit. In-process, on SQLite or PostgreSQL."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, select

from server.commit_group import CommitGroup
from server.context import ServerContext, Settings
from server.db import Op, Sitting
from server.errors import ApiError
from server.ops_intake import post_ops
from server.registry import add_candidate, create_room, import_paper
from tests.helpers import backends
from tests.helpers.papers import sample_paper
from tests.server.kit import OpChain

N = 6


@pytest.fixture
def ctx(tmp_path):
    c = ServerContext(Settings(data_dir=tmp_path / "d", database_url=backends.database_url()))
    import_paper(c, sample_paper("group-paper"))
    tickets = ["G-%d" % i for i in range(N)]
    for t in tickets:
        add_candidate(c, t, "ID" + t, "考生", "中级", "secret-1")
    room = create_room(c, "group-paper", "theory", "formal", c.now_ms() - 60_000, 7200, tickets, ["甲", "乙"])
    c.sittings = [(st["ticket"], st["sitting_id"]) for st in room["sittings"]]
    c.commits.close()
    c.commits = CommitGroup(c.db, grouped=True)   # on PostgreSQL too: the group's rules hold on both
    try:
        yield c
    finally:
        c.close()


class Held:
    """Keeps the writer thread busy in a job of its own, so the batches sent meanwhile queue up."""

    def __init__(self, group: CommitGroup) -> None:
        self.release, self.inside = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=group.run, args=("0-hold", self._job))
        self.thread.start()
        assert self.inside.wait(30)

    def _job(self, _session):
        self.inside.set()
        assert self.release.wait(30)


def count_commits(ctx):
    seen = []
    event.listen(ctx.db.write_engine, "commit", lambda conn: seen.append(1))
    return seen


def send_together(ctx, batches, outcome=(ApiError,)):
    """Each (ticket, sitting_id, ops) from its own thread while the writer is held; outcomes by sitting."""
    out, threads = {}, []
    held = Held(ctx.commits)
    for ticket, sid, ops in batches:
        def go(ticket=ticket, sid=sid, ops=ops):
            try:
                out[sid] = post_ops(ctx, sid, ticket, ops)
            except outcome as e:
                out[sid] = e
        threads.append(threading.Thread(target=go))
        threads[-1].start()
    for _ in range(3000):   # every batch queued behind the held job (a hang guard, not a speed requirement)
        if ctx.commits.waiting() >= len(batches):
            break
        threading.Event().wait(0.01)
    else:
        held.release.set()
        raise AssertionError("the batches did not queue for a group commit")
    assert all(sid not in out for _, sid, _ in batches)   # nobody answered before the commit
    commits = count_commits(ctx)
    held.release.set()
    for t in threads + [held.thread]:
        t.join(30)
    return out, commits


def held_seqs(ctx, sid):
    with ctx.db.read() as s:
        return list(s.scalars(select(Op.seq).where(Op.sitting_id == sid).order_by(Op.seq)))


def test_batches_that_arrive_together_share_one_commit(ctx):
    chains = {sid: OpChain(sid) for _, sid in ctx.sittings}
    batches = [(t, sid, [chains[sid].answer("q1", "B"), chains[sid].answer("q3", True)]) for t, sid in ctx.sittings]
    out, commits = send_together(ctx, batches)
    assert len(commits) == 1          # one for all six candidates (the held job wrote nothing)
    for _, sid in ctx.sittings:
        assert out[sid] == {"acked_seq": 2, "chain_head": chains[sid].head}
        assert held_seqs(ctx, sid) == [1, 2]
    with ctx.db.read() as s:
        assert {r.acked_seq for r in s.scalars(select(Sitting))} == {2}


def test_a_refused_batch_in_a_group_undoes_only_itself(ctx):
    chains = {sid: OpChain(sid) for _, sid in ctx.sittings}
    batches = []
    for i, (t, sid) in enumerate(ctx.sittings):
        ops = [chains[sid].answer("q1", "B"), chains[sid].answer("q3", True)]
        if i == 2:
            ops = ops[1:]               # seq 2 without seq 1: a gap
        batches.append((t, sid, ops))
    out, commits = send_together(ctx, batches)
    bad = ctx.sittings[2][1]
    assert isinstance(out[bad], ApiError) and out[bad].code == "ops.gap"
    assert held_seqs(ctx, bad) == []
    for _, sid in ctx.sittings:
        if sid != bad:
            assert out[sid]["acked_seq"] == 2 and held_seqs(ctx, sid) == [1, 2]
    assert len(commits) == N - 1        # the group rolled back, then each alone: five commits, the gap none


def test_the_same_candidate_twice_in_a_group_is_applied_once(ctx):
    ticket, sid = ctx.sittings[0]
    chain = OpChain(sid)
    ops = [chain.answer("q1", "A")]
    out, _ = send_together(ctx, [(ticket, sid, ops)])
    assert out[sid]["acked_seq"] == 1
    again, _ = send_together(ctx, [(ticket, sid, ops), (ctx.sittings[1][0], ctx.sittings[1][1], [])])
    assert again[sid]["acked_seq"] == 1 and held_seqs(ctx, sid) == [1]


def three_answers_with_commits_refused(ctx, refuse):
    """Three candidates' answers sent together while `refuse(conn)` watches every commit."""
    chains = {sid: OpChain(sid) for _, sid in ctx.sittings[:3]}
    batches = [(t, sid, [chains[sid].answer("q1", "B")]) for t, sid in ctx.sittings[:3]]
    event.listen(ctx.db.write_engine, "commit", refuse)
    try:
        return chains, batches, send_together(ctx, batches, outcome=(ApiError, OSError))[0]
    finally:
        event.remove(ctx.db.write_engine, "commit", refuse)


def test_a_group_that_cannot_commit_acknowledges_nobody(ctx):
    refused = []

    def refuse_commit(conn):     # the disk is full: the group's commit fails, then each one's alone
        refused.append(1)
        raise OSError("disk full")

    chains, batches, out = three_answers_with_commits_refused(ctx, refuse_commit)
    assert len(refused) == 1 + 3
    for _, sid, _ in batches:
        assert isinstance(out[sid], OSError) and held_seqs(ctx, sid) == []
    ticket, sid = ctx.sittings[0]           # the client resends once the disk has room
    assert post_ops(ctx, sid, ticket, chains[sid].ops)["acked_seq"] == 1
    assert held_seqs(ctx, sid) == [1]


def test_a_group_whose_commit_fails_once_commits_each_alone(ctx):
    refused = []

    def refuse_first_commit(conn):
        if not refused:
            refused.append(1)
            raise OSError("a moment without room")

    _, batches, out = three_answers_with_commits_refused(ctx, refuse_first_commit)
    for _, sid, _ in batches:
        assert out[sid]["acked_seq"] == 1 and held_seqs(ctx, sid) == [1]


def test_after_close_a_batch_commits_alone(ctx):
    ticket, sid = ctx.sittings[0]
    ctx.commits.close()
    chain = OpChain(sid)
    assert post_ops(ctx, sid, ticket, [chain.answer("q1", "C")])["acked_seq"] == 1
    assert held_seqs(ctx, sid) == [1]


def test_an_upload_reservation_and_ops_that_arrive_together_share_one_commit(ctx):
    import base64
    import hashlib

    from server import tus
    from server.db import Upload
    from server.security import new_token

    (t_ops, sid_ops), (t_up, sid_up) = ctx.sittings[0], ctx.sittings[1]
    with ctx.db.write() as s:
        token = new_token(s, t_up, ctx.now_ms(), 3600)[0]
    meta = ",".join("%s %s" % (k, base64.b64encode(v.encode()).decode()) for k, v in {
        "filename": "snap.jpg", "filetype": "image/jpeg", "sitting_id": sid_up, "purpose": "snapshot",
        "sha256": hashlib.sha256(b"x").hexdigest()}.items())
    chain = OpChain(sid_ops)
    created = {}
    held = Held(ctx.commits)
    threads = [threading.Thread(target=lambda: created.update(ops=post_ops(ctx, sid_ops, t_ops, [chain.answer("q1", "A")]))),
               threading.Thread(target=lambda: created.update(up=tus._create(ctx, token, "1", meta)))]
    [t.start() for t in threads]
    for _ in range(3000):
        if ctx.commits.waiting() >= 2:
            break
        threading.Event().wait(0.01)
    commits = count_commits(ctx)
    held.release.set()
    for t in threads + [held.thread]:
        t.join(30)
    assert created["ops"]["acked_seq"] == 1 and created["up"].status_code == 201
    assert len(commits) == 1
    with ctx.db.read() as s:
        [up] = s.scalars(select(Upload).where(Upload.sitting_id == sid_up))
        assert (up.status, up.offset, up.size) == ("partial", 0, 1)


def test_only_sqlite_groups_by_default(tmp_path):
    """PostgreSQL runs concurrent transactions itself; SQLite's writes queue for its one writer anyway."""
    c = ServerContext(Settings(data_dir=tmp_path / "d2", database_url=backends.database_url()))
    try:
        assert c.commits.grouped is (c.db.dialect == "sqlite")
        if not c.commits.grouped:
            import_paper(c, sample_paper("alone-paper"))
            add_candidate(c, "A-1", "IDA-1", "考生", "中级", "secret-1")
            sid = create_room(c, "alone-paper", "theory", "formal", c.now_ms() - 60_000, 7200, ["A-1"],
                              ["甲", "乙"])["sittings"][0]["sitting_id"]
            assert post_ops(c, sid, "A-1", [OpChain(sid).answer("q1", "A")])["acked_seq"] == 1
            assert c.commits._thread is None     # in the request's own thread
    finally:
        c.close()
