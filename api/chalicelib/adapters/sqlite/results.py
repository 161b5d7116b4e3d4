"""The results' reads on SQLite: every recorded vote (exports only)."""

from __future__ import annotations

from ...results.store import ResultsStore
from .connection import Connection


class ResultsOnSQLite(Connection, ResultsStore):
    def vote_records(self, challenge: str) -> list[str]:
        return [r[0] for r in self._rows("SELECT voter FROM votes WHERE challenge = ? ORDER BY voter", (challenge,))]

    def vote_receipts_page(
        self, challenge: str, limit: int, after: str | None = None
    ) -> tuple[list[tuple[str, str | None]], str | None]:
        rows = self._rows(
            "SELECT voter, receipt FROM votes WHERE challenge = ? AND voter > ? ORDER BY voter LIMIT ?",
            (challenge, after or "", limit + 1),
        )
        page = [(r[0], r[1]) for r in rows[:limit]]
        return page, (page[-1][0] if len(rows) > limit else None)

    def vote_receipts(self, challenge: str) -> list[tuple[str, str | None]]:
        rows = self._rows("SELECT voter, receipt FROM votes WHERE challenge = ? ORDER BY voter", (challenge,))
        return [(r[0], r[1]) for r in rows]
