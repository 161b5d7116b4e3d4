"""Staff access: the actor behind a request, the programs they may act on, and the audit log's entries and pages.

Every staff service method takes the authenticated Actor and refuses with 403 a program the actor may not act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..kernel import paging
from ..kernel.catalog import ChallengeEntry, ProgramEntry
from ..kernel.context import Context
from ..kernel.ids import new_id
from . import rules
from .rules import Actor, TokenRecord
from .store import AuditEntry

AUDIT_PAGE = 100


class TokenSource(Protocol):
    def records(self) -> dict[str, TokenRecord]: ...


@dataclass
class StaffAccess:
    c: Context
    # Where staff tokens are read (adapters/secrets.py); None with STAFF_AUTH=iam.
    tokens: TokenSource | None

    def actor(self, authorization: str | None, iam_arn: str | None = None) -> Actor:
        """The staff member making this request: from the Bearer token, or the IAM principal (STAFF_AUTH=iam)."""
        if self.c.settings.staff_auth == "iam" or self.tokens is None:  # no token source: IAM only
            return rules.iam_actor(self.c.settings.staff_iam_programs or {}, iam_arn)
        return rules.authenticate(self.tokens.records(), authorization)

    def program(self, actor: Actor, program_id: str) -> tuple[ProgramEntry, list[ChallengeEntry]]:
        """The program and its challenges, if the actor may act on it (404 unknown, 403 not theirs)."""
        catalog = self.c.catalog
        program = catalog.require_program(program_id)
        rules.authorize(actor, program.id)
        return program, catalog.challenges_of(program.id)

    def entry(
        self, actor: Actor, program: str, action: str, target: str, reason: str | None = None, note: str | None = None
    ) -> AuditEntry:
        """A new audit entry, to write in the same transaction as what it records."""
        return AuditEntry(
            id=new_id(),
            at=self.c.now_iso(),
            actor_token=actor.token,
            actor_name=actor.name,
            program=program,
            action=action,
            target=target,
            reason=reason,
            note=note,
        )

    def audit(self, actor: Actor, program_id: str, cursor: str | None) -> dict:
        program, _ = self.program(actor, program_id)
        found, after = self.c.store.audit_entries(program.id, AUDIT_PAGE, paging.decode(cursor))
        return {
            "program": program.id,
            "entries": [entry.to_json() for entry in found],
            "next": paging.encode(after) if after else None,
        }
