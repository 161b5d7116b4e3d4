"""The storage contract both stores honour; tests/api/test_store_contract.py checks it against each."""

from __future__ import annotations

import abc
from dataclasses import dataclass

COMMENT_STATUSES = ("pending", "published", "hidden", "rejected")
REPORT_REASONS = ("spam", "abuse", "personal-data", "off-topic", "illegal")
QUEUE_KINDS = ("pending", "reported", "proposals")
# The reason stored on a comment hidden by citizens' reports (rules.HIDDEN_BY_REPORTS).
HIDDEN_BY_REPORTS = "reports"


@dataclass
class Comment:
    id: str
    challenge: str
    program: str
    text: str
    display_name: str | None
    status: str
    created_at: str  # ISO 8601 UTC with microseconds: sorts as text
    author: str  # voter key (a keyed hash), never shown; "import:<import id>:<line>" if imported
    # Reports received since the last staff review (approving or restoring the comment sets it back to 0).
    reports: int = 0
    # Why it is hidden or rejected: a staff reason (rules.MODERATION_REASONS) or "reports"; None otherwise.
    reason: str | None = None
    channel: str = "online"  # or workshop, paper, phone (imported)


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
    reason: str | None = None  # the staff reason of a rejection


@dataclass(frozen=True)
class ReportResult:
    new: bool  # False if this reporter had already reported this comment
    hidden: bool  # True if this report made the comment reach the hiding threshold


Cursor = tuple[str, str]  # (created_at, id) of the last comment returned; (at, id) of the last audit entry


@dataclass(frozen=True)
class AuditEntry:
    """One staff action. Only ever added: no store method changes or removes an entry."""

    id: str
    at: str  # ISO 8601 UTC with microseconds
    actor_token: str
    actor_name: str
    program: str
    action: str  # e.g. comment.hide, proposal.approve, import.create, vote-log.export, results.export
    target: str
    reason: str | None = None
    note: str | None = None

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "at": self.at,
            "actor": {"token": self.actor_token, "name": self.actor_name},
            "program": self.program,
            "action": self.action,
            "target": self.target,
            "reason": self.reason,
            "note": self.note,
        }


@dataclass(frozen=True)
class OfflineVote:
    challenge: str
    channel: str
    key: str  # "<import id>#<line, 7 digits>": the same on a retry, so a vote is written once
    entry: str  # its vote-log entry (votelog.import_entry)
    collected_on: str


@dataclass(frozen=True)
class ImportBatch:
    """Everything an offline import writes, prepared and checked by the service."""

    program: str
    digest: str
    import_id: str
    source: str
    rows_sha256: str
    at: str
    votes: tuple[OfflineVote, ...]
    comments: tuple[Comment, ...]  # published, with their channel
    audit: AuditEntry


def counter_name(status: str, reason: str | None) -> str | None:
    """The moderation counter a comment in this state counts in: published, pending, hidden:<reason>,
    rejected:<reason> (a comment hidden without a recorded reason was hidden by reports)."""
    if status in ("published", "pending"):
        return status
    if status in ("hidden", "rejected"):
        return f"{status}:{reason or HIDDEN_BY_REPORTS}"
    return None


PROPOSALS_RECEIVED = "proposals:received"


class DuplicateImport(Exception):
    """This file (digest) was already imported into this program (or is being imported with other rows)."""


class Store(abc.ABC):
    # Votes: a vote is counted if and only if it is recorded, in one transaction.
    @abc.abstractmethod
    def cast_vote(self, challenge: str, voter: str, at: str, receipt: str | None = None) -> bool:
        """Record the vote (with its vote-log receipt) and count it; False (and no change) if already voted."""

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

    @abc.abstractmethod
    def vote_receipts(self, challenge: str) -> list[tuple[str, str | None]]:
        """(voter key, receipt or None) of every recorded online vote, sorted by voter (staff vote-log export)."""

    # Offline votes (imports)
    @abc.abstractmethod
    def offline_tally(self, challenge: str) -> dict[str, int]:
        """Offline votes by channel (channels with none may be missing)."""

    @abc.abstractmethod
    def offline_entries(self, challenge: str) -> list[tuple[str, str]]:
        """(channel, vote-log entry) of every offline vote of the challenge."""

    @abc.abstractmethod
    def import_offline(self, batch: ImportBatch) -> None:
        """Write an import: its votes (counted by challenge and channel), its published comments, its audit entry.

        All or nothing as far as the store allows: SQLite in one transaction; DynamoDB in transactions of at most 100
        items whose keys derive from the import id and line, recorded in the import's own item, so that a retry of
        an interrupted import completes it. Raises DuplicateImport if the digest was already imported.
        """

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

    # Moderation (staff)
    @abc.abstractmethod
    def moderation_queue(
        self, program: str, kind: str, limit: int, after: Cursor | None
    ) -> tuple[list[Comment] | list[Proposal], Cursor | None]:
        """One page, oldest first: pending comments, reported comments (published with reports since their last
        review, or hidden by reports) or pending proposals (QUEUE_KINDS)."""

    @abc.abstractmethod
    def decide_comment(
        self, seen: Comment, status: str, reason: str | None, delta: dict[str, int], audit: AuditEntry
    ) -> bool:
        """Move the comment from `seen.status` to `status` with its audit entry and the program's moderation counters
        (`delta`) in one transaction. A comment that becomes published has its reports reset (reviewed). False, and
        nothing written, if its status is no longer `seen.status` (or, approving a published comment, if it has no
        reports any more)."""

    @abc.abstractmethod
    def decide_proposal(
        self, seen: Proposal, status: str, reason: str | None, delta: dict[str, int], audit: AuditEntry
    ) -> bool:
        """Like decide_comment, for a proposal (pending -> approved or rejected)."""

    @abc.abstractmethod
    def moderation_counters(self, program: str) -> dict[str, int]:
        """The program's moderation counters (rules.moderation_record), in one read."""

    # Audit log: append-only
    @abc.abstractmethod
    def add_audit(self, entry: AuditEntry) -> None:
        """Add one entry on its own (exports); decisions add theirs in their own transaction."""

    @abc.abstractmethod
    def audit_entries(self, program: str, limit: int, after: Cursor | None) -> tuple[list[AuditEntry], Cursor | None]:
        """One page of the program's audit log, oldest first."""

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
