"""The votes room's part of the storage contract: a vote is counted if and only if it is recorded."""

from __future__ import annotations

import abc
from dataclasses import dataclass

# How long a store may keep a challenge's sharding in memory; a new shard count is used for new votes only once
# every container has seen it announced (SHARDING_WAIT_SECONDS after the announcement: twice this, for margin).
SHARDING_CACHE_SECONDS = 30
SHARDING_WAIT_SECONDS = 2 * SHARDING_CACHE_SECONDS


@dataclass(frozen=True)
class Sharding:
    """How a challenge's votes are spread: new votes go to one of `write` shards; a voter's vote may be in the shard
    it gets under any count of `lookup` (every count the challenge has had, and the one announced); `pending`: the
    count announced at `announced_at` (epoch seconds), not yet written to. A store without shards: all 1."""

    write: int
    lookup: tuple[int, ...]
    pending: int | None = None
    announced_at: int | None = None

    @property
    def span(self) -> int:
        """How many shard counters may hold votes: every tally and export reads 0 .. span - 1."""
        return max((self.write, *self.lookup))


class VoteStore(abc.ABC):
    # `also`: the same voter's keys under the previous hash key, during a key rotation (docs/operations.md,
    # "Rotating the keys"): a vote recorded under any of them is this voter's.
    @abc.abstractmethod
    def cast_vote(
        self, challenge: str, voter: str, at: str, receipt: str | None = None, also: tuple[str, ...] = ()
    ) -> bool:
        """Record the vote (with its vote-log receipt) under `voter` and count it, in one transaction; False (and no
        change) if this voter has voted already, under `voter` or a key of `also`."""

    @abc.abstractmethod
    def withdraw_vote(self, challenge: str, voter: str, also: tuple[str, ...] = ()) -> bool:
        """Remove the vote (under `voter` or a key of `also`) and uncount it, in one transaction; False (and no
        change) if there was none."""

    @abc.abstractmethod
    def has_voted(self, challenge: str, voter: str, also: tuple[str, ...] = ()) -> bool: ...

    @abc.abstractmethod
    def tally(self, challenge: str) -> int: ...

    @abc.abstractmethod
    def tallies(self, challenges: list[str]) -> dict[str, int]:
        """Every given challenge's count (0 if none), in as few requests as the store allows: a program page's."""

    @abc.abstractmethod
    def sharding(self, challenge: str) -> Sharding:
        """How the challenge's votes are spread now."""

    @abc.abstractmethod
    def reshard(self, challenge: str, shards: int, at: int) -> Sharding:
        """Change the challenge's shard count while it is open (docs/operations.md, "Re-sharding"), in two calls:
        the first announces `shards` (votes are then looked up under it too, still written as before); the second,
        at least SHARDING_WAIT_SECONDS later (`at`: epoch seconds), writes new votes under it. Votes already cast
        stay where they are and still count once. ValueError for a second call too early or another count."""
