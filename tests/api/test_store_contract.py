"""The storage contract: every store (SQLite, DynamoDB) must pass these, concurrency included."""

from __future__ import annotations

import random
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.comments import rules
from chalicelib.comments.store import Comment, Report
from chalicelib.kernel.storage import AlreadyExists
from chalicelib.proposals.store import Contact, Proposal

AT = "2026-11-26T12:00:00.000000+00:00"
HIDDEN = "reports"  # the hidden-by-reports category (the catalog's vocabulary)


def uid(prefix: str = "") -> str:
    return prefix + uuid.uuid4().hex[:12]


def comment(challenge: str, n: int, status: str = "published") -> Comment:
    return Comment(
        id=uuid.uuid4().hex[:16],
        challenge=challenge,
        program="p",
        text=f"comment {n}",
        display_name=None,
        status=status,
        created_at=f"2026-11-26T12:00:{n:02d}.000000+00:00",
        author=f"voter-{n}",
    )


def test_vote_counts_once_and_withdraw_uncounts(store):
    ch = uid("ch-")
    assert store.tally(ch) == 0
    assert store.cast_vote(ch, "alice", AT) is True
    assert store.cast_vote(ch, "alice", AT) is False  # a repeat changes nothing
    assert store.tally(ch) == 1
    assert store.has_voted(ch, "alice") and not store.has_voted(ch, "bob")
    assert store.cast_vote(ch, "bob", AT) is True
    assert store.tally(ch) == 2
    assert store.withdraw_vote(ch, "alice") is True
    assert store.withdraw_vote(ch, "alice") is False
    assert store.tally(ch) == 1
    assert store.vote_records(ch) == ["bob"]


def test_a_programs_tallies_come_in_one_answer_past_one_request_of_keys(store):
    # 12 challenges of 10 DynamoDB shards: 120 keys, more than one BatchGetItem takes (100).
    challenges = [uid(f"t{i}-") for i in range(12)]
    for i, ch in enumerate(challenges):
        for voter in range(i % 4):
            assert store.cast_vote(ch, f"v{voter}", AT)
    store.withdraw_vote(challenges[3], "v0")
    expected = {ch: i % 4 for i, ch in enumerate(challenges)}
    expected[challenges[3]] -= 1
    assert store.tallies(challenges) == expected
    assert store.tallies(challenges) == {ch: store.tally(ch) for ch in challenges}
    assert store.tallies([]) == {}
    assert store.tallies([challenges[1], challenges[1]]) == {challenges[1]: 1}


@pytest.mark.parametrize("limit", [1, 3, 7, 50])
def test_vote_receipts_in_pages_give_every_vote_once(store, limit):
    ch = uid("log-")
    voters = [f"v{n:03d}" for n in range(23)]
    for voter in voters:
        store.cast_vote(ch, voter, AT, receipt=voter * 2)
    seen, position, pages = [], None, 0
    while True:
        page, position = store.vote_receipts_page(ch, limit, position)
        assert len(page) <= limit
        seen += page
        pages += 1
        if position is None:
            break
        assert pages < 100
    assert sorted(seen) == store.vote_receipts(ch) == [(v, v * 2) for v in voters]
    assert store.vote_receipts_page(uid("none-"), limit) == ([], None)


def test_votes_on_one_challenge_do_not_touch_another(store):
    a, b = uid("a-"), uid("b-")
    store.cast_vote(a, "alice", AT)
    assert store.tally(b) == 0 and not store.has_voted(b, "alice")


def test_twenty_threads_casting_the_same_vote_count_once(store):
    ch = uid("ch-")
    barrier = threading.Barrier(20)

    def cast(_):
        barrier.wait()
        return store.cast_vote(ch, "same-voter", AT)

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(cast, range(20)))
    assert results.count(True) == 1
    assert store.tally(ch) == 1
    assert store.vote_records(ch) == ["same-voter"]


def test_concurrent_mixed_votes_keep_tally_equal_to_records(store):
    ch = uid("ch-")
    voters = [f"v{i}" for i in range(15)]
    rng = random.Random(7)
    operations = [(rng.choice(voters), rng.random() < 0.65) for _ in range(300)]

    def run(op):
        voter, cast = op
        return store.cast_vote(ch, voter, AT) if cast else store.withdraw_vote(ch, voter)

    with ThreadPoolExecutor(20) as pool:
        list(pool.map(run, operations))
    records = store.vote_records(ch)
    assert store.tally(ch) == len(records)
    assert len(set(records)) == len(records)


def _resharded(store, ch: str, shards: int, announced_at: int = 1_000_000) -> None:
    """Announce `shards` for the challenge, then switch to it once the wait is over (both calls of the contract)."""
    from chalicelib.votes.store import SHARDING_WAIT_SECONDS

    store.reshard(ch, shards, announced_at)
    store.reshard(ch, shards, announced_at + SHARDING_WAIT_SECONDS)


@pytest.mark.parametrize("shards", [1, 3, 20])
def test_resharding_an_open_challenge_keeps_every_vote_counted_once(store, shards):
    """Votes cast before a change of shard count, during its announcement and after it: each voter counts once,
    a second vote is refused whichever shard count placed the first, withdrawals find the vote, the tally and the
    vote records agree, and the paged vote log holds every vote once."""
    from chalicelib.votes.store import SHARDING_WAIT_SECONDS

    ch = uid("ch-")
    before = [f"before-{i}" for i in range(40)]
    assert all(store.cast_vote(ch, v, AT, receipt=f"r-{v}") for v in before)
    store.reshard(ch, shards, 1_000_000)  # announced: new votes still go where they went
    during = [f"during-{i}" for i in range(10)]
    assert all(store.cast_vote(ch, v, AT) for v in during)
    store.reshard(ch, shards, 1_000_000 + SHARDING_WAIT_SECONDS)  # switched: new votes go to the new shards
    after = [f"after-{i}" for i in range(25)]
    assert all(store.cast_vote(ch, v, AT) for v in after)
    everyone = before + during + after
    assert not any(store.cast_vote(ch, v, AT) for v in everyone)  # none votes twice
    assert all(store.has_voted(ch, v) for v in everyone)
    assert store.tally(ch) == len(everyone) == store.tallies([ch])[ch]
    assert store.vote_records(ch) == sorted(everyone)
    withdrawn = before[::3] + during[::2] + after[::4]
    assert all(store.withdraw_vote(ch, v) for v in withdrawn)
    assert not any(store.withdraw_vote(ch, v) for v in withdrawn)
    assert not any(store.has_voted(ch, v) for v in withdrawn)
    kept = sorted(set(everyone) - set(withdrawn))
    assert store.tally(ch) == len(kept) and store.vote_records(ch) == kept
    assert all(store.cast_vote(ch, v, AT) for v in withdrawn)  # voting again after a withdrawal counts
    pages, position = [], None
    while True:
        page, position = store.vote_receipts_page(ch, 7, position)
        pages += page
        if position is None:
            break
    assert sorted(voter for voter, _ in pages) == sorted(everyone) and store.tally(ch) == len(everyone)
    assert dict(store.vote_receipts(ch))["before-1"] == "r-before-1"


def test_resharding_twice_and_concurrent_votes_during_it_count_once(store):
    """Twenty threads voting as one voter while the challenge moves from 10 to 4 to 30 shards: one vote counts."""
    from chalicelib.votes.store import SHARDING_WAIT_SECONDS

    ch = uid("ch-")
    _resharded(store, ch, 4, 2_000_000)
    assert store.cast_vote(ch, "early", AT)
    store.reshard(ch, 30, 3_000_000)
    barrier = threading.Barrier(20)

    def cast(_):
        barrier.wait()
        return store.cast_vote(ch, "same-voter", AT)

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(cast, range(20)))
    store.reshard(ch, 30, 3_000_000 + SHARDING_WAIT_SECONDS)
    assert results.count(True) == 1 and not store.cast_vote(ch, "same-voter", AT)
    assert not store.cast_vote(ch, "early", AT)
    assert store.tally(ch) == 2 and store.vote_records(ch) == ["early", "same-voter"]


def test_a_new_shard_count_is_used_only_after_every_container_has_seen_it(store):
    """The contract's wait: a second call before SHARDING_WAIT_SECONDS is refused (a store that has no shards
    answers with its single one and never refuses); another count while one is announced is refused."""
    from chalicelib.votes.store import SHARDING_WAIT_SECONDS

    ch = uid("ch-")
    first = store.sharding(ch)
    announced = store.reshard(ch, 7, 5_000_000)
    if first.write == 1 and announced.write == 1 and not announced.pending:
        return  # SQLite: one file, nothing to spread
    assert (announced.write, announced.pending) == (first.write, 7) and 7 in announced.lookup
    with pytest.raises(ValueError, match="try in"):
        store.reshard(ch, 7, 5_000_000 + SHARDING_WAIT_SECONDS - 1)
    with pytest.raises(ValueError, match="announced"):
        store.reshard(ch, 8, 5_000_000 + SHARDING_WAIT_SECONDS)
    switched = store.reshard(ch, 7, 5_000_000 + SHARDING_WAIT_SECONDS)
    assert switched.write == 7 and switched.pending is None and switched.span == max(7, first.write)
    with pytest.raises(ValueError):
        store.reshard(ch, 0, 6_000_000)


def test_a_vote_under_the_previous_hash_key_still_counts_once_after_a_rotation(store):
    """During a hash key rotation the voter is known by two keys (`also`): a vote under either is theirs; a new
    vote under the other is refused, withdrawing finds it, voting again writes it under the current key only. On a
    re-sharded challenge too (DynamoDB looks under every count, for each key)."""
    ch = uid("ch-")
    old, new, stranger = "a" * 40, "b" * 40, "c" * 40
    assert store.cast_vote(ch, old, AT)
    assert store.cast_vote(ch, stranger, AT)
    _resharded(store, ch, 7, 7_000_000)
    assert store.has_voted(ch, new, also=(old,)) and not store.has_voted(ch, new)
    assert not store.cast_vote(ch, new, AT, also=(old,))  # the same person, after the switch of keys
    assert store.tally(ch) == 2
    assert store.withdraw_vote(ch, new, also=(old,))
    assert not store.withdraw_vote(ch, new, also=(old,)) and not store.has_voted(ch, new, also=(old,))
    assert store.cast_vote(ch, new, AT, also=(old,))
    assert store.vote_records(ch) == sorted([new, stranger]) and store.tally(ch) == 2
    # A container still on the old key (announce step: it looks under the new one too) refuses the same person.
    assert not store.cast_vote(ch, old, AT, also=(new,))
    assert store.tally(ch) == 2


def test_concurrent_withdrawals_uncount_once(store):
    ch = uid("ch-")
    store.cast_vote(ch, "alice", AT)
    barrier = threading.Barrier(10)

    def withdraw(_):
        barrier.wait()
        return store.withdraw_vote(ch, "alice")

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(withdraw, range(10)))
    assert results.count(True) == 1
    assert store.tally(ch) == 0


def add(store, c: Comment) -> Comment:
    """Add a comment as the comments service does: placed in its queue, its counters moved."""
    c = rules.placed(c, HIDDEN)
    store.add_comment(c, rules.counter_delta(None, c, HIDDEN))
    return c


def report(store, comment_id: str, reporter: str, hide_at: int, reason: str = "spam") -> tuple[bool, bool]:
    """Report as the comments service does, retrying a stale read: (new report, this report hid the comment)."""
    for _ in range(50):
        seen = store.get_comment(comment_id)
        after = rules.reported(seen, hide_at, HIDDEN)
        done = store.record_report(
            seen, after, Report(comment_id, reporter, reason, AT), rules.counter_delta(seen, after, HIDDEN)
        )
        if done is None:
            return False, False
        if done:
            return True, seen.status == "published" and after.status == "hidden"
    raise AssertionError("the comment kept changing")


def add_to(store, program: str, n: int = 1, status: str = "published") -> Comment:
    """A new comment of `program`, added."""
    return add(store, replace(comment(uid("ch-"), n, status=status), program=program))


def decide(store, seen: Comment, status: str, reason: str | None, entry) -> bool:
    """Decide as the moderation service does (comments/rules.py places the result and moves the counters)."""
    after = rules.placed(
        replace(seen, status=status, reason=reason, reports=0 if status == "published" else seen.reports), HIDDEN
    )
    return store.decide_comment(seen, after, rules.counter_delta(seen, after, HIDDEN), entry)


def test_comments_paginate_in_both_orders_and_hide_unpublished(store):
    ch = uid("ch-")
    made = [add(store, comment(ch, n)) for n in range(7)]
    add(store, comment(ch, 30, status="pending"))
    add(store, comment(uid("other-"), 40))
    seen, cursor = [], None
    while True:
        page, cursor = store.published_comments(ch, newest_first=False, limit=3, after=cursor)
        seen += page
        if cursor is None:
            break
    assert [c.id for c in seen] == [c.id for c in made]
    newest, cursor = store.published_comments(ch, newest_first=True, limit=5, after=None)
    assert [c.id for c in newest] == [c.id for c in reversed(made)][:5]
    rest, end = store.published_comments(ch, newest_first=True, limit=5, after=cursor)
    assert [c.id for c in rest] == [made[1].id, made[0].id] and end is None
    assert store.get_comment(made[0].id) == made[0]
    assert store.get_comment("0" * 16) is None


def test_a_taken_comment_id_is_refused_and_nothing_is_written(store):
    c = add(store, comment(uid("ch-"), 1))
    with pytest.raises(AlreadyExists):
        store.add_comment(replace(c, text="another"), {"published": 1})
    assert store.get_comment(c.id).text == c.text
    assert store.moderation_counters("p") == {"published": 1}  # the refused one counted nothing


def test_reports_count_once_per_reporter_and_hide_at_threshold(store):
    ch = uid("ch-")
    c = add(store, comment(ch, 1))
    assert report(store, c.id, "r1", hide_at=2) == (True, False)
    assert report(store, c.id, "r1", hide_at=2) == (False, False)
    assert report(store, c.id, "r2", hide_at=2, reason="abuse") == (True, True)
    hidden = store.get_comment(c.id)
    assert hidden.status == "hidden" and hidden.reports == 2 and hidden.queue == "reported"
    assert store.published_comments(ch, False, 10, None)[0] == []
    assert report(store, c.id, "r3", hide_at=2) == (True, False)


def test_a_stale_report_writes_nothing(store):
    c = add(store, comment(uid("ch-"), 1))
    report(store, c.id, "r1", hide_at=5)
    after = rules.reported(c, 5, HIDDEN)  # computed from the comment as it was before r1's report
    assert store.record_report(c, after, Report(c.id, "r2", "spam", AT), {}) is False
    assert store.get_comment(c.id).reports == 1
    assert report(store, c.id, "r2", hide_at=5) == (True, False)  # r2's report was not kept by the stale write


def test_concurrent_reports_hide_exactly_once(store):
    ch = uid("ch-")
    c = add(store, comment(ch, 1))
    barrier = threading.Barrier(10)

    def one(i):
        barrier.wait()
        return report(store, c.id, f"r{i}", hide_at=3)

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(one, range(10)))
    assert sum(hid for _, hid in results) == 1 and all(new for new, _ in results)
    assert store.get_comment(c.id).reports == 10


def test_proposals_keep_contact_until_it_expires(store):
    p = Proposal(id=uid("pr"), program="p", title="T", description="D", theme=None, created_at=AT, author="a")
    store.add_proposal(p, contact=Contact("ciphertext", 2_000), counters={"proposals:received": 1})
    stored = store.get_proposal(p.id)
    assert stored.title == "T" and stored.has_contact
    assert store.get_contact(p.id, now=1_999) == "ciphertext"
    assert store.get_contact(p.id, now=2_000) is None
    store.purge_expired(now=2_001)
    assert store.get_contact(p.id, now=0) is None
    q = Proposal(id=uid("pr"), program="p", title="T", description="D", theme="water", created_at=AT, author="a")
    store.add_proposal(q, contact=None, counters={})
    assert store.get_proposal(q.id).has_contact is False
    assert store.get_proposal("missing") is None
    with pytest.raises(AlreadyExists):
        store.add_proposal(q, contact=None, counters={})


def test_counters_count_under_concurrency(store):
    key = uid("rl-")
    with ThreadPoolExecutor(10) as pool:
        values = list(pool.map(lambda _: store.count_hit("votes", "t", key, 4_102_441_200, 4_102_444_800), range(50)))
    assert store.count_hit("votes", "i", key, 4_102_441_200, 4_102_444_800) == 1  # each scope counts apart
    assert sorted(values) == list(range(1, 51))


def test_counters_add_a_batch_of_hits_at_once_under_concurrency(store):
    """identity/hits.py writes several hits in one call (RATE_LIMIT_BATCH): each call adds its own, none lost."""
    key = uid("rl-")
    with ThreadPoolExecutor(10) as pool:
        values = list(
            pool.map(lambda _: store.count_hit("votes", "t", key, 4_102_441_200, 4_102_444_800, by=7), range(20))
        )
    assert sorted(values) == list(range(7, 141, 7))
    assert store.count_hit("votes", "t", key, 4_102_441_200, 4_102_444_800) == 141


def test_ping(store):
    store.ping()


OPERATIONS = st.lists(st.tuples(st.sampled_from(["cast", "withdraw"]), st.integers(0, 5)), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_property_tally_always_equals_vote_records(store, operations):
    ch = uid("prop-")  # a fresh challenge per example: examples share the store
    expected: set[str] = set()
    for op, n in operations:
        voter = f"voter-{n}"
        if op == "cast":
            assert store.cast_vote(ch, voter, AT) is (voter not in expected)
            expected.add(voter)
        else:
            assert store.withdraw_vote(ch, voter) is (voter in expected)
            expected.discard(voter)
        assert store.tally(ch) == len(expected)
    assert store.vote_records(ch) == sorted(expected)


# --- Staff: receipts, moderation decisions and counters, audit log, offline imports -------------------------------


def audit(program: str, action: str, n: int = 0):
    from chalicelib.staff_access.store import AuditEntry

    return AuditEntry(uid("e"), f"2026-11-26T12:00:{n:02d}.000000+00:00", "1a2b3c4d", "Alice", program, action, "t")


def test_votes_keep_their_receipt(store):
    ch = uid("ch-")
    assert store.cast_vote(ch, "alice", AT, receipt="ab" * 32)
    assert store.cast_vote(ch, "alice", AT, receipt="cd" * 32) is False  # the first vote and receipt stay
    store.cast_vote(ch, "bob", AT)
    assert store.vote_receipts(ch) == [("alice", "ab" * 32), ("bob", None)]
    store.withdraw_vote(ch, "alice")
    assert store.vote_receipts(ch) == [("bob", None)]


def test_comment_decisions_are_conditional_and_counted(store):
    program = uid("p-")
    c = add_to(store, program, status="pending")
    assert store.moderation_counters(program) == {"pending": 1}
    assert [x.id for x in store.moderation_queue(program, "pending", 10, None)[0]] == [c.id]
    assert decide(store, c, "published", None, audit(program, "comment.approve", 1))
    # A second decision made from the same (now stale) read changes nothing.
    assert not decide(store, c, "rejected", "spam", audit(program, "comment.reject", 2))
    assert store.get_comment(c.id).status == "published"
    assert store.moderation_counters(program) == {"pending": 0, "published": 1}
    assert store.moderation_queue(program, "pending", 10, None)[0] == []
    published = store.get_comment(c.id)
    assert decide(store, published, "hidden", "spam", audit(program, "comment.hide", 3))
    hidden = store.get_comment(c.id)
    assert (hidden.status, hidden.reason, hidden.queue) == ("hidden", "spam", None)
    assert store.published_comments(c.challenge, False, 10, None)[0] == []
    assert store.moderation_queue(program, "reported", 10, None)[0] == []  # hidden by staff: in no queue
    assert store.moderation_counters(program) == {"pending": 0, "published": 0, "hidden:spam": 1}
    entries, _ = store.audit_entries(program, 10, None)
    assert [e.action for e in entries] == ["comment.approve", "comment.hide"]


def test_a_decision_on_a_comment_reported_meanwhile_writes_nothing(store):
    program = uid("p-")
    c = add_to(store, program)
    report(store, c.id, "r1", hide_at=3)
    seen = store.get_comment(c.id)
    report(store, c.id, "r2", hide_at=3)
    assert not decide(store, seen, "published", None, audit(program, "comment.approve"))
    assert store.get_comment(c.id).reports == 2
    assert store.audit_entries(program, 10, None)[0] == []


def test_reports_fill_the_reported_queue_and_review_clears_it(store):
    program = uid("p-")
    c = add_to(store, program)
    report(store, c.id, "r1", hide_at=3)
    (queued,) = store.moderation_queue(program, "reported", 10, None)[0]
    assert queued.id == c.id and queued.reports == 1 and queued.queue == "reported"
    assert decide(store, queued, "published", None, audit(program, "comment.approve"))
    assert store.get_comment(c.id).reports == 0 and store.moderation_queue(program, "reported", 10, None)[0] == []
    for reporter in ("r2", "r3", "r4"):
        report(store, c.id, reporter, hide_at=3, reason="abuse")
    hidden = store.get_comment(c.id)
    assert (hidden.status, hidden.reason) == ("hidden", "reports")
    assert store.moderation_counters(program) == {"published": 0, "hidden:reports": 1}
    assert [x.id for x in store.moderation_queue(program, "reported", 10, None)[0]] == [c.id]


def test_proposal_decisions_and_queue(store):
    program = uid("p-")
    p = Proposal(id=uid("pr"), program=program, title="T", description="D", theme=None, created_at=AT, author="a")
    store.add_proposal(p, contact=None, counters={"proposals:received": 1})
    assert [x.id for x in store.moderation_queue(program, "proposals", 10, None)[0]] == [p.id]
    rejected = replace(p, status="rejected", reason="duplicate")
    assert store.decide_proposal(p, rejected, {"proposals:rejected": 1}, audit(program, "proposal.reject"))
    approved = replace(p, status="approved")
    assert not store.decide_proposal(p, approved, {"proposals:approved": 1}, audit(program, "x"))
    stored = store.get_proposal(p.id)
    assert (stored.status, stored.reason) == ("rejected", "duplicate")
    assert store.moderation_queue(program, "proposals", 10, None)[0] == []
    assert store.moderation_counters(program) == {"proposals:received": 1, "proposals:rejected": 1}


def test_audit_entries_page_oldest_first_and_are_never_replaced(store):
    program = uid("p-")
    entries = [audit(program, f"results.export.{n}", n) for n in range(5)]
    for entry in reversed(entries):
        store.add_audit(entry)
    seen, cursor = [], None
    while True:
        page, cursor = store.audit_entries(program, 2, cursor)
        seen += page
        if cursor is None:
            break
    assert seen == entries
    with pytest.raises(AlreadyExists):  # the same error type from every store
        store.add_audit(entries[0])


def import_batch(program: str, challenge: str, votes: int, comments: int, digest: str | None = None):
    from chalicelib.imports.store import ImportBatch, OfflineVote

    digest = digest or uuid.uuid4().hex * 2
    import_id = digest[:16]
    made = [
        OfflineVote(challenge, ("workshop", "paper")[n % 2], f"{import_id}#{n + 2:07d}", f"{n:064x}", "2026-11-12")
        for n in range(votes)
    ]
    said = []
    for n in range(votes, votes + comments):
        c = comment(challenge, n % 60)
        c.id, c.program, c.channel, c.author = (
            f"{import_id[:8]}{n:08d}",
            program,
            "paper",
            f"import:{import_id}:{n + 2}",
        )
        said.append(c)
    per_comment = {"published": 1}
    return ImportBatch(
        program, digest, import_id, "f.csv", "r" * 64, AT, tuple(made), tuple(said), per_comment, audit(program, "i")
    )


def test_imports_count_by_channel_once_per_digest(store):
    from chalicelib.imports.store import DuplicateImport

    program, ch = uid("p-"), uid("ch-")
    batch = import_batch(program, ch, votes=5, comments=2)
    store.import_offline(batch)
    assert store.offline_tally(ch) == {"workshop": 3, "paper": 2}
    assert sorted(store.offline_entries(ch)) == sorted((v.channel, v.entry) for v in batch.votes)
    assert len(store.published_comments(ch, False, 10, None)[0]) == 2
    assert store.moderation_counters(program) == {"published": 2}
    assert [e.action for e in store.audit_entries(program, 10, None)[0]] == ["i"]
    try:
        store.import_offline(batch)
    except DuplicateImport:
        pass
    else:
        raise AssertionError("the same digest was imported twice")
    assert store.offline_tally(ch) == {"workshop": 3, "paper": 2}


def test_a_large_import_is_written_whole(store):
    program, ch = uid("p-"), uid("ch-")
    store.import_offline(import_batch(program, ch, votes=230, comments=30))  # several DynamoDB transactions
    assert store.offline_tally(ch) == {"workshop": 115, "paper": 115}
    assert len(store.offline_entries(ch)) == 230
    assert store.moderation_counters(program) == {"published": 30}


def test_a_revoked_tokens_sessions_all_end_and_no_other(store):
    from chalicelib.console.store import StaffSession

    token, other = uid("t"), uid("t")
    mine = [StaffSession(uid("k"), token, 100, 100, 10_000) for _ in range(3)]
    theirs = StaffSession(uid("k"), other, 100, 100, 10_000)
    for session in [*mine, theirs]:
        store.add_session(session)
    with pytest.raises(AlreadyExists):
        store.add_session(mine[0])
    store.touch_session(mine[0].key, 200, 20_000)
    assert store.get_session(mine[0].key) == replace(mine[0], seen_at=200, expires_at=20_000)
    assert store.end_sessions_of(token) == 3
    assert all(store.get_session(s.key) is None for s in mine)
    assert store.get_session(theirs.key) == theirs
    assert store.end_sessions_of(token) == 0
    store.touch_session(mine[1].key, 300, 30_000)  # an ended session is not brought back
    assert store.get_session(mine[1].key) is None
