"""Verified participation on SQLite: sessions and email requests (purged by purge_expired), program counters."""

from __future__ import annotations

from ...verification.rules import EmailRequest, VerifiedSession
from ...verification.store import VerificationStore
from . import rows
from .connection import Connection

SESSION_COLUMNS = "key, program, voter_key, method, created_at, expires_at"
REQUEST_COLUMNS = "key, program, voter_key, link, code, return_to, lang, created_at, expires_at, attempts"


class VerificationOnSQLite(Connection, VerificationStore):
    def add_verified_session(self, session: VerifiedSession) -> None:
        # A taken key is an IntegrityError, which the connection raises as AlreadyExists.
        with self._write(one_statement=True) as db:
            db.execute(
                f"INSERT INTO verified_sessions ({SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    session.key,
                    session.program,
                    session.voter_key,
                    session.method,
                    session.created_at,
                    session.expires_at,
                ),
            )

    def get_verified_session(self, key: str) -> VerifiedSession | None:
        row = self._row(f"SELECT {SESSION_COLUMNS} FROM verified_sessions WHERE key = ?", (key,))
        return VerifiedSession(*row) if row else None

    def end_verified_session(self, key: str) -> None:
        with self._write(one_statement=True) as db:
            db.execute("DELETE FROM verified_sessions WHERE key = ?", (key,))

    def add_email_request(self, request: EmailRequest) -> None:
        with self._write(one_statement=True) as db:
            db.execute(
                f"INSERT INTO email_requests ({REQUEST_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    request.key,
                    request.program,
                    request.voter_key,
                    request.link,
                    request.code,
                    request.return_to,
                    request.lang,
                    request.created_at,
                    request.expires_at,
                    request.attempts,
                ),
            )

    def get_email_request(self, key: str) -> EmailRequest | None:
        row = self._row(f"SELECT {REQUEST_COLUMNS} FROM email_requests WHERE key = ?", (key,))
        return EmailRequest(*row) if row else None

    def use_email_request(self, key: str) -> bool:
        with self._write(one_statement=True) as db:
            return db.execute("DELETE FROM email_requests WHERE key = ?", (key,)).rowcount == 1

    def count_code_attempt(self, key: str) -> int:
        with self._write(one_statement=True) as db:
            row = db.execute(
                "UPDATE email_requests SET attempts = attempts + 1 WHERE key = ? RETURNING attempts", (key,)
            ).fetchone()
            return row[0] if row else 0

    def count_verification(self, program: str, counters: dict[str, int]) -> None:
        with self._write() as db:
            rows.bump(db, program, counters)
