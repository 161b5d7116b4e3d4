"""Offline imports on SQLite: the whole import in one transaction."""

from __future__ import annotations

from ...imports.store import DuplicateImport, ImportBatch, ImportStore
from . import rows
from .connection import Connection


class ImportsOnSQLite(Connection, ImportStore):
    def offline_tally(self, challenge: str) -> dict[str, int]:
        return dict(self._rows("SELECT channel, n FROM offline_tallies WHERE challenge = ?", (challenge,)))

    def offline_entries(self, challenge: str) -> list[tuple[str, str]]:
        found = self._rows("SELECT channel, entry FROM offline_votes WHERE challenge = ? ORDER BY key", (challenge,))
        return [(r[0], r[1]) for r in found]

    def import_offline(self, batch: ImportBatch) -> None:
        with self._write() as db:
            if db.execute(
                "SELECT 1 FROM imports WHERE program = ? AND digest = ?", (batch.program, batch.digest)
            ).fetchone():
                raise DuplicateImport(batch.digest)
            db.execute(
                "INSERT INTO imports (program, digest, import_id, source, rows_sha256, at) VALUES (?, ?, ?, ?, ?, ?)",
                (batch.program, batch.digest, batch.import_id, batch.source, batch.rows_sha256, batch.at),
            )
            for vote in batch.votes:
                db.execute(
                    "INSERT INTO offline_votes (challenge, key, channel, entry, collected_on) VALUES (?, ?, ?, ?, ?)",
                    (vote.challenge, vote.key, vote.channel, vote.entry, vote.collected_on),
                )
                db.execute(
                    "INSERT INTO offline_tallies (challenge, channel, n) VALUES (?, ?, 1)"
                    " ON CONFLICT(challenge, channel) DO UPDATE SET n = n + 1",
                    (vote.challenge, vote.channel),
                )
            for comment in batch.comments:
                rows.insert_comment(db, comment)
            per_comment = batch.counters_per_comment
            rows.bump(db, batch.program, {name: n * len(batch.comments) for name, n in per_comment.items()})
            rows.insert_audit(db, batch.audit)
