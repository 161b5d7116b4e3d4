"""The imports room's part of the storage contract: offline votes and the imports that wrote them."""

from __future__ import annotations

import abc
from dataclasses import dataclass

from ..comments.store import Comment
from ..kernel.storage import AlreadyExists
from ..staff_access.store import AuditEntry


@dataclass(frozen=True)
class OfflineVote:
    challenge: str
    channel: str
    key: str  # rules.offline_vote_key: the same on a retry, so a vote is written once
    entry: str  # its vote-log entry (votes/receipts.py import_entry)
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
    # What each of the comments adds to the program's moderation counters (comments/rules.py counter_delta; they
    # are all published alike), so that a store writing the import in chunks counts each chunk's comments.
    counters_per_comment: dict[str, int]
    audit: AuditEntry


class DuplicateImport(AlreadyExists):
    """This file (digest) was already imported into this program (or is being imported with other rows)."""


class ImportStore(abc.ABC):
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
