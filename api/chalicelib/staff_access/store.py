"""The staff room's part of the storage contract: the audit log, append-only."""

from __future__ import annotations

import abc
from dataclasses import dataclass

from ..kernel.paging import Cursor


@dataclass(frozen=True)
class AuditEntry:
    """One staff action. Only ever added: no store method changes or removes an entry."""

    id: str
    at: str  # ISO 8601 UTC with microseconds
    actor_token: str
    actor_name: str
    program: str
    action: str  # e.g. comment.hide, proposal.approve, import.create, vote-log.export, results.export
    target: str
    reason: str | None = None
    note: str | None = None

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "at": self.at,
            "actor": {"token": self.actor_token, "name": self.actor_name},
            "program": self.program,
            "action": self.action,
            "target": self.target,
            "reason": self.reason,
            "note": self.note,
        }


class AuditStore(abc.ABC):
    @abc.abstractmethod
    def add_audit(self, entry: AuditEntry) -> None:
        """Add one entry on its own (exports); decisions add theirs in their own transaction. AlreadyExists if an
        entry has its key."""

    @abc.abstractmethod
    def audit_entries(self, program: str, limit: int, after: Cursor | None) -> tuple[list[AuditEntry], Cursor | None]:
        """One page of the program's audit log, oldest first."""
