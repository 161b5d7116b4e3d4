"""The storage contract both stores honour; tests/api/test_store_contract.py checks it against each."""

from __future__ import annotations

import abc
from dataclasses import dataclass

COMMENT_STATUSES = ("pending", "published", "hidden", "rejected")
REPORT_REASONS = ("spam", "abuse", "personal-data", "off-topic", "illegal")


@dataclass
class Comment:
    id: str
    challenge: str
    program: str
    text: str
    display_name: str | None
    status: str
    created_at: str  # ISO 8601 UTC with microseconds: sorts as text
    author: str  # voter key (a keyed hash), never shown
    reports: int = 0


@dataclass
class Proposal:
    id: str
    program: str
    title: str
    description: str
    theme: str | None
    created_at: str
    author: str
    status: str = "pending"
    has_contact: bool = False


@dataclass(frozen=True)
class ReportResult:
    new: bool  # False if this reporter had already reported this comment
    hidden: bool  # True if this report made the comment reach the hiding threshold


Cursor = tuple[str, str]  # (created_at, id) of the last comment returned


class Store(abc.ABC):
    # Votes: a vote is counted if and only if it is recorded, in one transaction.
    @abc.abstractmethod
    def cast_vote(self, challenge: str, voter: str, at: str) -> bool:
        """Record the vote and count it; False (and no change) if this voter had already voted."""

    @abc.abstractmethod
    def withdraw_vote(self, challenge: str, voter: str) -> bool:
        """Remove the vote and uncount it; False (and no change) if there was none."""

    @abc.abstractmethod
    def has_voted(self, challenge: str, voter: str) -> bool: ...

    @abc.abstractmethod
    def tally(self, challenge: str) -> int: ...

    @abc.abstractmethod
    def vote_records(self, challenge: str) -> list[str]:
        """Voter keys of the recorded votes, sorted (audits, exports and tests; never on a request path)."""

    # Comments
    @abc.abstractmethod
    def add_comment(self, comment: Comment) -> None: ...

    @abc.abstractmethod
    def get_comment(self, comment_id: str) -> Comment | None: ...

    @abc.abstractmethod
    def published_comments(
        self, challenge: str, newest_first: bool, limit: int, after: Cursor | None
    ) -> tuple[list[Comment], Cursor | None]:
        """One page of published comments, and the cursor of the next page (None on the last one)."""

    @abc.abstractmethod
    def report_comment(self, comment_id: str, reporter: str, reason: str, at: str, hide_at: int) -> ReportResult:
        """Record one report per reporter; hide a published comment when its reports reach `hide_at`."""

    # Proposals
    @abc.abstractmethod
    def add_proposal(self, proposal: Proposal, contact: str | None, contact_expires: int | None) -> None:
        """Store a proposal; `contact` is the encrypted email, deleted at `contact_expires` (epoch seconds)."""

    @abc.abstractmethod
    def get_proposal(self, proposal_id: str) -> Proposal | None: ...

    @abc.abstractmethod
    def get_contact(self, proposal_id: str, now: int) -> str | None:
        """The encrypted contact email, unless it has expired."""

    # Rate limits
    @abc.abstractmethod
    def count_hit(self, key: str, expires: int) -> int:
        """Add one to the counter `key` (which expires at `expires`, epoch seconds) and return its new value."""

    # Housekeeping
    @abc.abstractmethod
    def purge_expired(self, now: int) -> int:
        """Delete expired contact emails (and counters, where the store has no TTL); return how many.

        Run it on a schedule: DynamoDB's TTL also deletes expired items, but can lag by days.
        """

    @abc.abstractmethod
    def ping(self) -> None:
        """Raise if the store cannot be reached."""
