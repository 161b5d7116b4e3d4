"""A comment's life: its first status, when reports hide it, which moderation queue and counter it is in.

The one definition of these rules: the stores only keep what these functions decide (comments/store.py).
No storage, no web framework.
"""

from __future__ import annotations

from dataclasses import replace

from ..kernel.catalog import ProgramEntry
from .store import Comment

STATUSES = ("pending", "published", "hidden", "rejected")
# The moderation queues comments wait in (proposals have a queue of their own, proposals/store.py).
QUEUES = ("pending", "reported")
ORDERS = ("oldest", "newest")


def initial_status(program: ProgramEntry) -> str:
    """Pre-moderated programs publish a comment once staff approve it; the others at once."""
    return "pending" if program.moderation == "pre" else "published"


def queue_of(status: str, reports: int, reason: str | None, hidden_by_reports: str) -> str | None:
    """The queue a comment in this state waits in: pending ones, published ones reported since their last review,
    and those hidden by reports (staff restore or reject them). Hidden or rejected by staff: none."""
    if status == "pending":
        return "pending"
    if status == "published" and reports > 0:
        return "reported"
    if status == "hidden" and (reason or hidden_by_reports) == hidden_by_reports:
        return "reported"
    return None


def counter_of(status: str, reason: str | None, hidden_by_reports: str) -> str | None:
    """The program's moderation counter a comment in this state counts in: published, pending,
    hidden:<reason> or rejected:<reason> (a comment hidden without a recorded reason was hidden by reports)."""
    if status in ("published", "pending"):
        return status
    if status in ("hidden", "rejected"):
        return f"{status}:{reason or hidden_by_reports}"
    return None


def counter_delta(before: Comment | None, after: Comment, hidden_by_reports: str) -> dict[str, int]:
    """How the program's moderation counters change when a comment goes from `before` (None: new) to `after`."""
    old = counter_of(before.status, before.reason, hidden_by_reports) if before else None
    new = counter_of(after.status, after.reason, hidden_by_reports)
    if old == new:
        return {}
    delta = {}
    if old:
        delta[old] = -1
    if new:
        delta[new] = delta.get(new, 0) + 1
    return delta


def placed(comment: Comment, hidden_by_reports: str) -> Comment:
    """The comment with the queue its state puts it in."""
    return replace(comment, queue=queue_of(comment.status, comment.reports, comment.reason, hidden_by_reports))


def reported(comment: Comment, hide_at: int, hidden_by_reports: str) -> Comment:
    """The comment after one more report: a published comment that reaches `hide_at` reports is hidden (reason:
    hidden by reports) and waits in the reported queue for staff to restore or reject it."""
    reports = comment.reports + 1
    if comment.status == "published" and reports >= hide_at:
        after = replace(comment, reports=reports, status="hidden", reason=hidden_by_reports)
    else:
        after = replace(comment, reports=reports)
    return placed(after, hidden_by_reports)
