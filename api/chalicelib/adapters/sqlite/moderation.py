"""Moderation on SQLite: queues as index ranges, decisions with their counters and audit entry in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from ...comments.store import Comment
from ...kernel.paging import Cursor, page_of
from ...moderation.store import ModerationStore
from ...proposals.store import Proposal
from ...staff_access.store import AuditEntry
from . import rows
from .connection import Connection


class ModerationOnSQLite(Connection, ModerationStore):
    def moderation_queue(
        self, program: str, kind: str, limit: int, after: Cursor | None
    ) -> tuple[list[Comment] | list[Proposal], Cursor | None]:
        if kind == "proposals":
            sql = f"SELECT {rows.PROPOSAL_COLUMNS} FROM proposals WHERE program = ? AND status = 'pending'"
        else:
            sql = f"SELECT {rows.COMMENT_COLUMNS} FROM comments WHERE program = ? AND queue = ?"
        params: list = [program] if kind == "proposals" else [program, kind]
        if after is not None:
            sql += " AND (created_at, id) > (?, ?)"
            params += list(after)
        sql += " ORDER BY created_at, id LIMIT ?"
        params.append(limit + 1)
        read = rows.proposal if kind == "proposals" else rows.comment
        found: list = [read(r) for r in self._rows(sql, params)]
        return page_of(found, limit, lambda item: (item.created_at, item.id))

    def decide_comment(self, seen: Comment, after: Comment, counters: dict[str, int], audit: AuditEntry) -> bool:
        return self._decide(lambda db: rows.move_comment(db, seen, after), seen.program, counters, audit)

    def decide_proposal(self, seen: Proposal, after: Proposal, counters: dict[str, int], audit: AuditEntry) -> bool:
        def move(db: sqlite3.Connection) -> bool:
            return bool(
                db.execute(
                    "UPDATE proposals SET status = ?, reason = ? WHERE id = ? AND status = ?",
                    (after.status, after.reason, seen.id, seen.status),
                ).rowcount
            )

        return self._decide(move, seen.program, counters, audit)

    def _decide(
        self, move: Callable[[sqlite3.Connection], bool], program: str, counters: dict[str, int], audit: AuditEntry
    ) -> bool:
        """The decision's move, then its counters and audit entry, in one transaction; nothing if it did not move."""
        with self._write() as db:
            if not move(db):
                return False
            rows.bump(db, program, counters)
            rows.insert_audit(db, audit)
            return True

    def moderation_counters(self, program: str) -> dict[str, int]:
        return dict(self._rows("SELECT name, n FROM moderation_counts WHERE program = ?", (program,)))
