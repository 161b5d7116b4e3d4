"""The console's part of the storage contract: staff sessions, kept only under a keyed hash of their secret."""

from __future__ import annotations

import abc
from dataclasses import dataclass


@dataclass(frozen=True)
class StaffSession:
    key: str  # HMAC of the cookie's secret (rules.session_key): the secret itself is never stored
    token: str  # the staff token's id: revoking the token ends its sessions
    created_at: int  # epoch seconds
    seen_at: int  # epoch seconds of the last request (idle time-out)
    expires_at: int  # epoch seconds after which the store may delete it (TTL)


class SessionStore(abc.ABC):
    @abc.abstractmethod
    def add_session(self, session: StaffSession) -> None:
        """Store a new session; AlreadyExists if its key is taken."""

    @abc.abstractmethod
    def get_session(self, key: str) -> StaffSession | None: ...

    @abc.abstractmethod
    def touch_session(self, key: str, seen_at: int, expires_at: int) -> None:
        """Move the session's last request and expiry on (nothing if it is gone)."""

    @abc.abstractmethod
    def end_session(self, key: str) -> None:
        """Delete the session (nothing if it is gone)."""

    @abc.abstractmethod
    def end_sessions_of(self, token: str) -> int:
        """Delete every session opened with this token (its revocation); how many were found."""

    @abc.abstractmethod
    def comment_reports(self, comment_id: str, limit: int) -> list[tuple[str, str]]:
        """The comment's reports as (at, reason), oldest first, at most `limit`: never who sent them."""
