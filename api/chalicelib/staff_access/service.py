"""Staff access: the actor behind a request, the programs they may act on, and the audit log's entries and pages.

Every staff service method takes the authenticated Actor and refuses with 403 a program the actor may not act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from ..kernel import paging
from ..kernel.catalog import ChallengeEntry, ProgramEntry
from ..kernel.context import Context
from ..kernel.errors import ApiError
from ..kernel.ids import new_id
from ..kernel.messages import N_
from . import rules
from .rules import Actor, TokenRecord
from .store import AuditEntry

AUDIT_PAGE = 100
T = TypeVar("T")


class TokenSource(Protocol):
    def records(self) -> dict[str, TokenRecord]: ...

    def update(self, change: Callable[[dict], T]) -> T:
        """Apply `change` to the whole document and write it back (adapters/secrets.py)."""
        ...


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

    # --- Staff tokens, managed by staff holding the right (the console's "Staff tokens" page) ------------------

    def _token_source(self) -> TokenSource:
        if self.tokens is None:
            raise ApiError("forbidden", N_("This deployment uses IAM (STAFF_AUTH=iam): it has no staff tokens."))
        return self.tokens

    def tokens_of(self, actor: Actor, program_id: str) -> list[TokenRecord]:
        """The program's tokens the actor may see (all their programs the actor's), newest first."""
        program, _ = self.program(actor, program_id)
        rules.require_token_right(actor, program.id)
        found = [
            r for r in self._token_source().records().values() if program.id in r.programs and rules.within(actor, r)
        ]
        return sorted(found, key=lambda r: (r.created_at, r.id), reverse=True)

    def create_token(self, actor: Actor, program_id: str, form: dict) -> tuple[str, dict]:
        """A new token for programs of the actor's own: (the token, to show once; its record). Audited per program."""
        program, _ = self.program(actor, program_id)
        rules.require_token_right(actor, program.id)
        programs = form.get("programs") or []
        rights = form.get("rights") or []
        name, chosen, given = rules.check_new_token(actor, form.get("name"), programs, rights)
        for other in chosen:
            self.c.catalog.require_program(other)
        now = self.c.now_iso()
        token, record = self._token_source().update(lambda doc: rules.add_token(doc, name, chosen, given, now))
        for other in chosen:
            self.c.store.add_audit(self.entry(actor, other, "token.create", record["id"], note=name))
        return token, record

    def revoke_token(self, actor: Actor, program_id: str, token_id: str) -> dict:
        """Revoke one of the actor's programs' tokens and end its sessions at once. Audited per program."""
        program, _ = self.program(actor, program_id)
        rules.require_token_right(actor, program.id)
        now = self.c.now_iso()
        record = self._token_source().update(lambda doc: rules.revoke_in(doc, actor, token_id, now))
        # Every container refuses a revoked token's session at its next request (console/service.py) once it has
        # read the new document; ending them in the store makes it at once, wherever they were opened.
        self.c.store.end_sessions_of(record["id"])
        for other in record["programs"]:
            self.c.store.add_audit(self.entry(actor, other, "token.revoke", record["id"], note=record.get("name")))
        return record
