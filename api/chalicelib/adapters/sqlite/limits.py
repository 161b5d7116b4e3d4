"""Rate-limit counters on SQLite (purged by purge_expired: SQLite has no TTL)."""

from __future__ import annotations

from ...identity.store import LimitStore
from .connection import Connection


class LimitsOnSQLite(Connection, LimitStore):
    def count_hit(self, action: str, scope: str, subject: str, window_start: int, expires: int, by: int = 1) -> int:
        with self._write(one_statement=True) as db:
            row = db.execute(
                "INSERT INTO counters (key, n, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET n = n + excluded.n RETURNING n",
                (f"{action}:{scope}:{subject}:{window_start}", by, expires),
            ).fetchone()
            return row[0]
