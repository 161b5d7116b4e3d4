"""The moderation room's part of the storage contract: queues, decisions with their audit entry, counters."""

from __future__ import annotations

import abc

from ..comments.store import Comment
from ..kernel.paging import Cursor
from ..proposals.store import Proposal
from ..staff_access.store import AuditEntry


class ModerationStore(abc.ABC):
    @abc.abstractmethod
    def moderation_queue(
        self, program: str, kind: str, limit: int, after: Cursor | None
    ) -> tuple[list[Comment] | list[Proposal], Cursor | None]:
        """One page, oldest first, of a queue (the vocabulary's `queues`): the comments whose `queue` is `kind`, or, for
        "proposals", the pending proposals."""

    @abc.abstractmethod
    def decide_comment(self, seen: Comment, after: Comment, counters: dict[str, int], audit: AuditEntry) -> bool:
        """In one transaction: move the comment from `seen` to `after` (status, reason, reports, queue), add
        `counters` to the program's counters, add the audit entry. False, and nothing written, if the comment is
        no longer as `seen` (its status or its number of reports changed)."""

    @abc.abstractmethod
    def decide_proposal(self, seen: Proposal, after: Proposal, counters: dict[str, int], audit: AuditEntry) -> bool:
        """Like decide_comment, for a proposal (its status and reason); False if its status is no longer seen's."""

    @abc.abstractmethod
    def moderation_counters(self, program: str) -> dict[str, int]:
        """The program's moderation counters (rules.moderation_record), in one read."""
