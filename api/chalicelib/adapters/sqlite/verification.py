"""Verified participation on SQLite: sessions and email requests (purged by purge_expired), program counters."""

from __future__ import annotations

from ...verification.rules import EmailRequest, VerifiedSession
from ...verification.store import VerificationStore
from . import rows
from .connection import Connection

SESSION_COLUMNS = ("key", "program", "voter_key", "method", "created_at", "expires_at")
REQUEST_COLUMNS = (
    "key",
    "program",
    "voter_key",
    "link",
    "code",
    "return_to",
    "lang",
    "created_at",
    "expires_at",
    "attempts",
)


class VerificationOnSQLite(Connection, VerificationStore):
    def add_verified_session(self, session: VerifiedSession) -> None:
        self._insert("verified_sessions", SESSION_COLUMNS, session)

    def get_verified_session(self, key: str) -> VerifiedSession | None:
        return self._by_key("verified_sessions", SESSION_COLUMNS, key, VerifiedSession)

    def end_verified_session(self, key: str) -> None:
        self._delete_by_key("verified_sessions", key)

    def add_email_request(self, request: EmailRequest) -> None:
        self._insert("email_requests", REQUEST_COLUMNS, request)

    def get_email_request(self, key: str) -> EmailRequest | None:
        return self._by_key("email_requests", REQUEST_COLUMNS, key, EmailRequest)

    def use_email_request(self, key: str) -> bool:
        return self._delete_by_key("email_requests", key)

    def count_code_attempt(self, key: str) -> int:
        with self._write(one_statement=True) as db:
            row = db.execute(
                "UPDATE email_requests SET attempts = attempts + 1 WHERE key = ? RETURNING attempts", (key,)
            ).fetchone()
            return row[0] if row else 0

    def count_verification(self, program: str, counters: dict[str, int]) -> None:
        with self._write() as db:
            rows.bump(db, program, counters)
