"""The tally cache (votes/service.py TallyCache): one read per stale set, a container's own votes seen at once."""

from __future__ import annotations

from chalicelib.votes.service import TallyCache


class Reads:
    def __init__(self, counts):
        self.counts, self.calls = counts, []

    def __call__(self, challenges):
        self.calls.append(list(challenges))
        return {c: self.counts[c] for c in challenges}


def test_views_within_the_staleness_cost_no_read_and_the_missing_ones_cost_one():
    now = [100.0]
    cache, read = TallyCache(2, monotonic=lambda: now[0]), Reads({"a": 1, "b": 2, "c": 3})
    assert cache.counts(["a"], read) == {"a": 1}
    now[0] = 101.0
    assert cache.counts(["a", "b", "c"], read) == {"a": 1, "b": 2, "c": 3}
    assert read.calls == [["a"], ["b", "c"]]  # a was fresh: one read for the two others
    read.counts["a"] = 10
    now[0] = 101.9
    assert cache.counts(["a"], read) == {"a": 1} and len(read.calls) == 2
    now[0] = 102.0  # two seconds after a was read: stale, read again
    assert cache.counts(["a"], read) == {"a": 10} and read.calls[-1] == ["a"]


def test_a_containers_own_vote_shows_at_once_and_never_below_zero():
    cache, read = TallyCache(60, monotonic=lambda: 0.0), Reads({"a": 0})
    cache.counts(["a"], read)
    cache.adjust("a", 1)
    cache.adjust("a", 1)
    assert cache.counts(["a"], read) == {"a": 2}
    for _ in range(3):
        cache.adjust("a", -1)
    assert cache.counts(["a"], read) == {"a": 0}
    cache.adjust("never-read", 1)  # nothing cached: the next view reads the store
    assert cache.counts(["never-read"], Reads({"never-read": 7})) == {"never-read": 7}


def test_zero_seconds_reads_every_time():
    cache, read = TallyCache(0, monotonic=lambda: 0.0), Reads({"a": 1})
    cache.counts(["a"], read)
    cache.counts(["a"], read)
    assert len(read.calls) == 2
