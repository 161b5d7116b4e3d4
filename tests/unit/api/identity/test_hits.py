"""Rate-limit hits written every N-th hit (identity/hits.py): the limit stays exact near it, writes are fewer."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from api.chalicelib.identity.hits import MAX_SUBJECTS, HitBatch, batch_for


class Counter:
    """The store's counter: atomic adds, and how many writes it took."""

    def __init__(self) -> None:
        self.total = 0
        self.writes = 0
        self._lock = threading.Lock()

    def add(self, n: int) -> int:
        with self._lock:
            self.total += n
            self.writes += 1
            return self.total


def test_the_batch_is_at_most_a_tenth_of_the_limit():
    assert batch_for(120, 10) == 10
    assert batch_for(600, 10) == 10
    assert batch_for(60, 10) == 6
    assert batch_for(5, 10) == 1
    assert batch_for(600, 1) == 1


def test_one_container_refuses_exactly_the_hit_after_the_limit_with_a_write_every_tenth_hit_far_from_it():
    hits, counter = HitBatch(), Counter()
    refused = [hits.hit(("votes", "t", "k", 0), 120, 10, counter.add) for _ in range(200)]
    assert refused.index(True) == 120  # hits 1..120 pass, the 121st is refused
    assert all(refused[120:])
    assert counter.total == 121  # every passed hit was written, and the first refused one; later ones not
    # Far from the limit a write every 10 hits (100 hits: 10 writes), then every hit within 10 of it: 11 more.
    assert counter.writes <= 10 + 11 + 1


def test_batch_one_writes_every_hit_until_refused():
    hits, counter = HitBatch(), Counter()
    refused = [hits.hit(("comments", "i", "k", 0), 3, 1, counter.add) for _ in range(6)]
    assert refused == [False, False, False, True, True, True]
    assert counter.writes == 4  # once known over the limit, refusals cost no write


def test_another_container_s_hits_count_when_this_one_writes():
    mine, theirs, counter = HitBatch(), HitBatch(), Counter()
    key = ("votes", "t", "k", 0)
    for _ in range(100):
        assert not theirs.hit(key, 120, 10, counter.add)
    # This container knows nothing yet; its first write returns the shared total and it counts each hit from then.
    passed = 0
    while not mine.hit(key, 120, 10, counter.add):
        passed += 1
    # At most batch - 1 hits of the other container were unwritten when this one reached the limit.
    assert 20 - 9 <= passed <= 20
    assert counter.total <= 121 + 9


def test_threads_of_one_container_never_pass_more_than_the_limit():
    hits, counter = HitBatch(), Counter()
    key = ("votes", "t", "k", 0)
    with ThreadPoolExecutor(8) as pool:
        refused = list(pool.map(lambda _: hits.hit(key, 120, 10, counter.add), range(400)))
    assert refused.count(False) == 120
    assert counter.writes < 400 // 2


def test_windows_and_subjects_count_apart_and_memory_is_bounded():
    hits, a, b = HitBatch(), Counter(), Counter()
    assert not hits.hit(("votes", "t", "k", 0), 1, 1, a.add)
    assert hits.hit(("votes", "t", "k", 0), 1, 1, a.add)
    assert not hits.hit(("votes", "t", "k", 3600), 1, 1, b.add)  # the next window starts again
    for n in range(MAX_SUBJECTS + 5):
        hits._remember(("votes", "t", str(n), 0), (0, 1, 0))
    assert len(hits._known) == MAX_SUBJECTS
