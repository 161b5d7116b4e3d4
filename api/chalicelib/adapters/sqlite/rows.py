"""How records become rows and back, shared by the SQLite store's rooms."""

from __future__ import annotations

import sqlite3

from ...comments.store import Comment
from ...proposals.store import Proposal
from ...staff_access.store import AuditEntry

COMMENT_COLUMNS = (
    "id, challenge, program, text, display_name, status, created_at, author, reports, reason, channel, queue"
)
PROPOSAL_COLUMNS = "id, program, title, description, theme, created_at, author, status, reason"
AUDIT_COLUMNS = "id, at, actor_token, actor_name, program, action, target, reason, note"


def comment(row: tuple) -> Comment:
    return Comment(*row)


def proposal(row: tuple, has_contact: bool = False) -> Proposal:
    return Proposal(*row[:8], has_contact=has_contact, reason=row[8])


def insert_comment(db: sqlite3.Connection, item: Comment) -> None:
    db.execute(
        f"INSERT INTO comments ({COMMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            item.id,
            item.challenge,
            item.program,
            item.text,
            item.display_name,
            item.status,
            item.created_at,
            item.author,
            item.reports,
            item.reason,
            item.channel,
            item.queue,
        ),
    )


def move_comment(db: sqlite3.Connection, seen: Comment, after: Comment) -> bool:
    """Write `after`'s state over the comment if it is still as `seen` (same status, same reports); whether it was."""
    return bool(
        db.execute(
            "UPDATE comments SET status = ?, reason = ?, reports = ?, queue = ? WHERE id = ? AND status = ? AND reports = ?",
            (after.status, after.reason, after.reports, after.queue, seen.id, seen.status, seen.reports),
        ).rowcount
    )


def bump(db: sqlite3.Connection, program: str, counters: dict[str, int]) -> None:
    """Add to the program's moderation counters."""
    for name, change in counters.items():
        if change:
            db.execute(
                "INSERT INTO moderation_counts (program, name, n) VALUES (?, ?, ?)"
                " ON CONFLICT(program, name) DO UPDATE SET n = n + excluded.n",
                (program, name, change),
            )


def insert_audit(db: sqlite3.Connection, entry: AuditEntry) -> None:
    # A plain INSERT: an existing (program, at, id) is an IntegrityError (AlreadyExists), never a replacement.
    db.execute(
        f"INSERT INTO audit ({AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry.id,
            entry.at,
            entry.actor_token,
            entry.actor_name,
            entry.program,
            entry.action,
            entry.target,
            entry.reason,
            entry.note,
        ),
    )


class Changed(Exception):
    """A conditional write found the record no longer as seen: roll the transaction back."""
