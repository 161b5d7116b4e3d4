"""The comments room's part of the storage contract, and the records it keeps."""

from __future__ import annotations

import abc
from dataclasses import dataclass

from ..kernel.paging import Cursor


@dataclass
class Comment:
    id: str
    challenge: str
    program: str
    text: str
    display_name: str | None
    status: str  # rules.STATUSES
    created_at: str  # ISO 8601 UTC with microseconds: sorts as text
    author: str  # voter key (a keyed hash), never shown; "import:<import id>:<line>" if imported
    # Reports received since the last staff review (approving or restoring the comment sets it back to 0).
    reports: int = 0
    # Why it is hidden or rejected: a staff reason or the hidden-by-reports category; None otherwise.
    reason: str | None = None
    channel: str = "online"  # or an offline channel (imported)
    # The moderation queue it waits in (rules.queue_of): "pending", "reported" or None. Derived by the rules,
    # stored so that a queue is one index read.
    queue: str | None = None


@dataclass(frozen=True)
class Report:
    comment: str
    reporter: str  # voter key
    reason: str
    at: str


class CommentStore(abc.ABC):
    @abc.abstractmethod
    def add_comment(self, comment: Comment, counters: dict[str, int]) -> None:
        """Store a new comment and add `counters` to its program's moderation counters, in one transaction.
        AlreadyExists (nothing written) if its id is taken."""

    @abc.abstractmethod
    def get_comment(self, comment_id: str) -> Comment | None: ...

    @abc.abstractmethod
    def published_comments(
        self, challenge: str, newest_first: bool, limit: int, after: Cursor | None
    ) -> tuple[list[Comment], Cursor | None]:
        """One page of published comments, and the cursor of the next page (None on the last one)."""

    @abc.abstractmethod
    def record_report(self, seen: Comment, after: Comment, report: Report, counters: dict[str, int]) -> bool | None:
        """In one transaction: record the report (one per reporter and comment), move the comment from `seen` to
        `after` (status, reason, reports, queue) and add `counters` to its program's counters.

        None, and nothing written, if this reporter had reported the comment already; False, and nothing written,
        if the comment is no longer as `seen` (its status or its number of reports changed): read it and retry.
        """
