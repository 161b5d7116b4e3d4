"""Comments and reports on SQLite."""

from __future__ import annotations

from ...comments.store import Comment, CommentStore, Report
from ...kernel.paging import Cursor, page_of
from . import rows
from .connection import Connection


class CommentsOnSQLite(Connection, CommentStore):
    def add_comment(self, comment: Comment, counters: dict[str, int]) -> None:
        with self._write() as db:
            rows.insert_comment(db, comment)
            rows.bump(db, comment.program, counters)

    def get_comment(self, comment_id: str) -> Comment | None:
        row = self._row(f"SELECT {rows.COMMENT_COLUMNS} FROM comments WHERE id = ?", (comment_id,))
        return rows.comment(row) if row else None

    def published_comments(
        self, challenge: str, newest_first: bool, limit: int, after: Cursor | None
    ) -> tuple[list[Comment], Cursor | None]:
        order = "DESC" if newest_first else "ASC"
        compare = "<" if newest_first else ">"
        sql = f"SELECT {rows.COMMENT_COLUMNS} FROM comments WHERE challenge = ? AND status = 'published'"
        params: list = [challenge]
        if after is not None:
            sql += f" AND (created_at, id) {compare} (?, ?)"
            params += list(after)
        sql += f" ORDER BY created_at {order}, id {order} LIMIT ?"
        params.append(limit + 1)
        found = [rows.comment(r) for r in self._rows(sql, params)]
        return page_of(found, limit, lambda c: (c.created_at, c.id))

    def record_report(self, seen: Comment, after: Comment, report: Report, counters: dict[str, int]) -> bool | None:
        try:
            with self._write() as db:
                new = db.execute(
                    "INSERT OR IGNORE INTO reports (comment_id, reporter, reason, created_at) VALUES (?, ?, ?, ?)",
                    (report.comment, report.reporter, report.reason, report.at),
                ).rowcount
                if not new:
                    return None
                if not rows.move_comment(db, seen, after):
                    raise rows.Changed
                rows.bump(db, seen.program, counters)
                return True
        except rows.Changed:
            return False
