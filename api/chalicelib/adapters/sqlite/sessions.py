"""Staff sessions on SQLite (purged by purge_expired), and a comment's reports for the console."""

from __future__ import annotations

from ...console.store import SessionStore, StaffSession
from .connection import Connection

COLUMNS = ("key", "token", "created_at", "seen_at", "expires_at")


class SessionsOnSQLite(Connection, SessionStore):
    def add_session(self, session: StaffSession) -> None:
        self._insert("staff_sessions", COLUMNS, session)

    def get_session(self, key: str) -> StaffSession | None:
        return self._by_key("staff_sessions", COLUMNS, key, StaffSession)

    def touch_session(self, key: str, seen_at: int, expires_at: int) -> None:
        with self._write(one_statement=True) as db:
            db.execute(
                "UPDATE staff_sessions SET seen_at = ?, expires_at = ? WHERE key = ?", (seen_at, expires_at, key)
            )

    def end_session(self, key: str) -> None:
        self._delete_by_key("staff_sessions", key)

    def end_sessions_of(self, token: str) -> int:
        # No index on token: the table holds only live sessions (purge_expired), a few dozen at most.
        with self._write(one_statement=True) as db:
            return db.execute("DELETE FROM staff_sessions WHERE token = ?", (token,)).rowcount

    def comment_reports(self, comment_id: str, limit: int) -> list[tuple[str, str]]:
        return [
            (at, reason)
            for at, reason in self._rows(
                "SELECT created_at, reason FROM reports WHERE comment_id = ? ORDER BY created_at LIMIT ?",
                (comment_id, limit),
            )
        ]
