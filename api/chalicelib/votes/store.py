"""The votes room's part of the storage contract: a vote is counted if and only if it is recorded."""

from __future__ import annotations

import abc


class VoteStore(abc.ABC):
    @abc.abstractmethod
    def cast_vote(self, challenge: str, voter: str, at: str, receipt: str | None = None) -> bool:
        """Record the vote (with its vote-log receipt) and count it, in one transaction; False (and no change) if
        this voter has voted already."""

    @abc.abstractmethod
    def withdraw_vote(self, challenge: str, voter: str) -> bool:
        """Remove the vote and uncount it, in one transaction; False (and no change) if there was none."""

    @abc.abstractmethod
    def has_voted(self, challenge: str, voter: str) -> bool: ...

    @abc.abstractmethod
    def tally(self, challenge: str) -> int: ...

    @abc.abstractmethod
    def tallies(self, challenges: list[str]) -> dict[str, int]:
        """Every given challenge's count (0 if none), in as few requests as the store allows: a program page's."""
