"""The audit log on SQLite: triggers refuse any UPDATE or DELETE of an entry."""

from __future__ import annotations

from ...kernel.paging import Cursor, page_of
from ...staff_access.store import AuditEntry, AuditStore
from . import rows
from .connection import Connection


class AuditOnSQLite(Connection, AuditStore):
    def add_audit(self, entry: AuditEntry) -> None:
        with self._write() as db:
            rows.insert_audit(db, entry)

    def audit_entries(self, program: str, limit: int, after: Cursor | None) -> tuple[list[AuditEntry], Cursor | None]:
        sql = f"SELECT {rows.AUDIT_COLUMNS} FROM audit WHERE program = ?"
        params: list = [program]
        if after is not None:
            sql += " AND (at, id) > (?, ?)"
            params += list(after)
        sql += " ORDER BY at, id LIMIT ?"
        params.append(limit + 1)
        found = [AuditEntry(*r) for r in self._rows(sql, params)]
        return page_of(found, limit, lambda e: (e.at, e.id))
