"""Moderation on DynamoDB: each queue is one GSI2 partition; a decision is one transaction with its counters and
its audit entry; the program's counters are one item, MODSTATS#<program>."""

from __future__ import annotations

from ...comments.store import Comment
from ...kernel.paging import Cursor, page_of
from ...kernel.storage import AlreadyExists
from ...moderation.store import ModerationStore
from ...proposals.store import Proposal
from ...staff_access.store import AuditEntry
from . import items
from .client import Cancelled, Table
from .table import MODSTATS_SK, counters_of, key, moderation_counters_update, queue_partition, s


class ModerationOnDynamoDB(Table, ModerationStore):
    def moderation_queue(
        self, program: str, kind: str, limit: int, after: Cursor | None
    ) -> tuple[list[Comment] | list[Proposal], Cursor | None]:
        """One Query of the queue's GSI2 partition, oldest first, `limit` + 1 items (eventually consistent)."""
        condition = "GSI2PK = :pk"
        values = {":pk": s(queue_partition(program, kind))}
        if after is not None:
            condition += " AND GSI2SK > :after"
            values[":after"] = s(f"{after[0]}#{after[1]}")
        query = {
            "IndexName": "GSI2",
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": True,
            "Limit": limit + 1,
        }
        if kind == "pending":
            # Tables written before the queues were split also hold pending proposals and hidden comments in
            # MODQ#<program>: leave them out (they are none in a table created since).
            query["FilterExpression"] = "#type = :comment AND #status = :pending"
            query["ExpressionAttributeNames"] = {"#type": "type", "#status": "status"}
            values.update({":comment": s("comment"), ":pending": s("pending")})
        found: list = []
        for item in self._query(**query):
            found.append(items.proposal_of(item, False) if kind == "proposals" else items.comment_of(item))
            if len(found) > limit:
                break
        return page_of(found, limit, lambda entry: (entry.created_at, entry.id))

    def decide_comment(self, seen: Comment, after: Comment, counters: dict[str, int], audit: AuditEntry) -> bool:
        return self._decide(items.comment_move(seen, after), seen.program, counters, audit)

    def decide_proposal(self, seen: Proposal, after: Proposal, counters: dict[str, int], audit: AuditEntry) -> bool:
        names = {"#status": "status"}
        values = {":new": s(after.status), ":seen": s(seen.status)}
        expression = "SET #status = :new"
        if after.reason is not None:
            expression += ", #reason = :reason"
            names["#reason"] = "reason"
            values[":reason"] = s(after.reason)
        if after.status != "pending":
            expression += " REMOVE GSI2PK, GSI2SK"  # out of the pending proposals' queue
        update = {
            "Update": {
                "Key": key(f"PROPOSAL#{seen.id}", "P"),
                "UpdateExpression": expression,
                "ConditionExpression": "attribute_exists(PK) AND #status = :seen",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }
        return self._decide(update, seen.program, counters, audit)

    def _decide(self, update: dict, program: str, counters: dict[str, int], audit: AuditEntry) -> bool:
        try:
            self._transact([update, moderation_counters_update(program, counters), items.audit_put(audit)])
        except Cancelled as cancelled:
            if cancelled.index == 0:
                return False
            raise AlreadyExists(f"audit entry '{audit.id}'") from cancelled
        return True

    def moderation_counters(self, program: str) -> dict[str, int]:
        """One strongly consistent GetItem of MODSTATS#<program>."""
        return counters_of(self._get(f"MODSTATS#{program}", MODSTATS_SK))
