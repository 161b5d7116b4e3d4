"""Sign-ins under way on SQLite (purged by purge_expired once expired)."""

from __future__ import annotations

from ...oidc.store import PendingSignIn, SignInStore
from .connection import Connection

COLUMNS = ("key", "program", "voter_key", "sealed", "back", "created_at", "expires_at", "used")


class SignInsOnSQLite(Connection, SignInStore):
    def add_sign_in(self, pending: PendingSignIn) -> None:
        self._insert("oidc_sign_ins", COLUMNS, pending)

    def claim_sign_in(self, key: str) -> PendingSignIn | None:
        # Read and mark inside one write transaction: of two callbacks at once, one sees used = 0.
        with self._write() as db:
            row = db.execute(f"SELECT {', '.join(COLUMNS)} FROM oidc_sign_ins WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            if not row[-1]:
                db.execute("UPDATE oidc_sign_ins SET used = 1 WHERE key = ?", (key,))
        return PendingSignIn(*row[:-1], used=bool(row[-1]))
