"""Votes on SQLite: a vote row and its challenge's tally, in one transaction."""

from __future__ import annotations

from ...votes.store import VoteStore
from .connection import Connection


class VotesOnSQLite(Connection, VoteStore):
    # The tally follows the votes table by its triggers (migrations.py, version 5): one statement each, so no
    # savepoint and a shorter hold of the single writer.
    def cast_vote(self, challenge: str, voter: str, at: str, receipt: str | None = None) -> bool:
        with self._write(one_statement=True) as db:
            return bool(
                db.execute(
                    "INSERT OR IGNORE INTO votes (challenge, voter, created_at, receipt) VALUES (?, ?, ?, ?)",
                    (challenge, voter, at, receipt),
                ).rowcount
            )

    def withdraw_vote(self, challenge: str, voter: str) -> bool:
        with self._write(one_statement=True) as db:
            return bool(db.execute("DELETE FROM votes WHERE challenge = ? AND voter = ?", (challenge, voter)).rowcount)

    def has_voted(self, challenge: str, voter: str) -> bool:
        return self._row("SELECT 1 FROM votes WHERE challenge = ? AND voter = ?", (challenge, voter)) is not None

    def tally(self, challenge: str) -> int:
        row = self._row("SELECT n FROM tallies WHERE challenge = ?", (challenge,))
        return row[0] if row else 0

    def tallies(self, challenges: list[str]) -> dict[str, int]:
        found: dict[str, int] = dict.fromkeys(challenges, 0)
        if challenges:
            marks = ",".join("?" * len(challenges))
            found.update(self._rows(f"SELECT challenge, n FROM tallies WHERE challenge IN ({marks})", challenges))
        return found
