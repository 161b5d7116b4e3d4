"""The results' reads on SQLite: every recorded vote (exports only)."""

from __future__ import annotations

from ...results.store import ResultsStore
from .connection import Connection


class ResultsOnSQLite(Connection, ResultsStore):
    def vote_records(self, challenge: str) -> list[str]:
        return [r[0] for r in self._rows("SELECT voter FROM votes WHERE challenge = ? ORDER BY voter", (challenge,))]

    def vote_receipts(self, challenge: str) -> list[tuple[str, str | None]]:
        rows = self._rows("SELECT voter, receipt FROM votes WHERE challenge = ? ORDER BY voter", (challenge,))
        return [(r[0], r[1]) for r in rows]
