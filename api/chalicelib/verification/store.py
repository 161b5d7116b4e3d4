"""Verified participation's part of the storage contract: sessions, pending email requests, their counters.

Every key is a keyed hash (rules.py); no record holds an email, a name or an OpenID subject.
"""

from __future__ import annotations

import abc

from .rules import EmailRequest, VerifiedSession


class VerificationStore(abc.ABC):
    @abc.abstractmethod
    def add_verified_session(self, session: VerifiedSession) -> None:
        """Store a new session; AlreadyExists if its key is taken."""

    @abc.abstractmethod
    def get_verified_session(self, key: str) -> VerifiedSession | None:
        """The session (expired ones too, until purged: the service checks `expires_at`)."""

    @abc.abstractmethod
    def end_verified_session(self, key: str) -> None:
        """Delete the session (nothing if it is gone)."""

    @abc.abstractmethod
    def add_email_request(self, request: EmailRequest) -> None:
        """Store a pending email verification; AlreadyExists if its key is taken."""

    @abc.abstractmethod
    def get_email_request(self, key: str) -> EmailRequest | None: ...

    @abc.abstractmethod
    def use_email_request(self, key: str) -> bool:
        """Delete the request; True for the one call that deleted it (single use under concurrency), else False."""

    @abc.abstractmethod
    def count_code_attempt(self, key: str) -> int:
        """Add one to the request's wrong codes, atomically; the new count (0 if the request is gone)."""

    @abc.abstractmethod
    def count_verification(self, program: str, counters: dict[str, int]) -> None:
        """Add to the program's counters (those the moderation record reads: moderation_counters)."""
