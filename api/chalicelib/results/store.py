"""The results room's part of the storage contract: reading every recorded vote (exports and audits only)."""

from __future__ import annotations

import abc


class ResultsStore(abc.ABC):
    @abc.abstractmethod
    def vote_records(self, challenge: str) -> list[str]:
        """Voter keys of the recorded votes, sorted (audits, exports and tests; never on a request path)."""

    @abc.abstractmethod
    def vote_receipts(self, challenge: str) -> list[tuple[str, str | None]]:
        """(voter key, receipt or None) of every recorded online vote, sorted by voter (staff vote-log export)."""

    @abc.abstractmethod
    def vote_receipts_page(
        self, challenge: str, limit: int, after: str | None = None
    ) -> tuple[list[tuple[str, str | None]], str | None]:
        """At most `limit` of the challenge's (voter key, receipt or None), from the opaque position `after`, and the
        position to go on from (None: that was the last). Every vote is in exactly one page; the order is the
        store's. A position that is not one the store gave: ValueError."""
