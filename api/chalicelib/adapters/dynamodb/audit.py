"""The audit log on DynamoDB: PK AUDIT#<program>, SK <at>#<id>; only ever Put with attribute_not_exists(PK)."""

from __future__ import annotations

from ...kernel.paging import Cursor, page_of
from ...staff_access.store import AuditEntry, AuditStore
from . import items
from .client import Table
from .table import s


class AuditOnDynamoDB(Table, AuditStore):
    def add_audit(self, entry: AuditEntry) -> None:
        self._transact_new([items.audit_put(entry)], f"audit entry '{entry.id}'")

    def audit_entries(self, program: str, limit: int, after: Cursor | None) -> tuple[list[AuditEntry], Cursor | None]:
        condition = "PK = :pk"
        values = {":pk": s(f"AUDIT#{program}")}
        if after is not None:
            condition += " AND SK > :after"
            values[":after"] = s(f"{after[0]}#{after[1]}")
        found: list[AuditEntry] = []
        for item in self._query(
            KeyConditionExpression=condition,
            ExpressionAttributeValues=values,
            ScanIndexForward=True,
            ConsistentRead=True,
            Limit=limit + 1,
        ):
            found.append(items.audit_of(item))
            if len(found) > limit:
                break
        return page_of(found, limit, lambda e: (e.at, e.id))
