"""Comments and reports on DynamoDB: COMMENT#<id> holds the comment (C) and one item per reporter (REPORT#<key>)."""

from __future__ import annotations

from ...comments.store import Comment, CommentStore, Report
from ...kernel.paging import Cursor, page_of
from . import items
from .client import Cancelled, Table
from .table import key, moderation_counters_update, new_item, s


class CommentsOnDynamoDB(Table, CommentStore):
    def add_comment(self, comment: Comment, counters: dict[str, int]) -> None:
        """One TransactWriteItems: the comment (if its id is new) and the program's moderation counters."""
        self._transact_new(
            [new_item(items.comment_item(comment)), moderation_counters_update(comment.program, counters)],
            f"comment '{comment.id}'",
        )

    def get_comment(self, comment_id: str) -> Comment | None:
        item = self._get(f"COMMENT#{comment_id}", "C")
        return items.comment_of(item) if item else None

    def published_comments(
        self, challenge: str, newest_first: bool, limit: int, after: Cursor | None
    ) -> tuple[list[Comment], Cursor | None]:
        # GSI reads are eventually consistent: a comment published a moment ago may show up a moment later.
        condition = "GSI1PK = :pk"
        values = {":pk": s(f"COMMENTS#{challenge}")}
        if after is not None:
            condition += " AND GSI1SK < :after" if newest_first else " AND GSI1SK > :after"
            values[":after"] = s(f"{after[0]}#{after[1]}")
        found: list[Comment] = []
        for item in self._query(
            IndexName="GSI1",
            KeyConditionExpression=condition,
            ExpressionAttributeValues=values,
            ScanIndexForward=not newest_first,
            Limit=limit + 1,
        ):
            found.append(items.comment_of(item))
            if len(found) > limit:
                break
        return page_of(found, limit, lambda c: (c.created_at, c.id))

    def record_report(self, seen: Comment, after: Comment, report: Report, counters: dict[str, int]) -> bool | None:
        """One TransactWriteItems: the report (if this reporter's is new), the comment moved from `seen` to
        `after` (conditional), and the counters if they change (a report that hides the comment)."""
        report_item = {
            **key(f"COMMENT#{report.comment}", f"REPORT#{report.reporter}"),
            "type": s("report"),
            "comment_id": s(report.comment),
            "reporter": s(report.reporter),
            "reason": s(report.reason),
            "created_at": s(report.at),
        }
        try:
            self._transact(
                [
                    new_item(report_item),
                    items.comment_move(seen, after),
                    moderation_counters_update(seen.program, counters),
                ]
            )
        except Cancelled as cancelled:
            return None if cancelled.index == 0 else False
        return True
