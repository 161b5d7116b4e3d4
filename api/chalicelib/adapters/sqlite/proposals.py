"""Proposals and their encrypted contact emails on SQLite."""

from __future__ import annotations

from ...proposals.store import Contact, Proposal, ProposalStore
from . import rows
from .connection import Connection


class ProposalsOnSQLite(Connection, ProposalStore):
    def add_proposal(self, proposal: Proposal, contact: Contact | None, counters: dict[str, int]) -> None:
        with self._write() as db:
            db.execute(
                f"INSERT INTO proposals ({rows.PROPOSAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    proposal.id,
                    proposal.program,
                    proposal.title,
                    proposal.description,
                    proposal.theme,
                    proposal.created_at,
                    proposal.author,
                    proposal.status,
                    proposal.reason,
                ),
            )
            if contact is not None:
                db.execute(
                    "INSERT INTO contacts (proposal_id, email_encrypted, expires_at) VALUES (?, ?, ?)",
                    (proposal.id, contact.encrypted, contact.expires),
                )
            rows.bump(db, proposal.program, counters)

    def get_proposal(self, proposal_id: str) -> Proposal | None:
        row = self._row(f"SELECT {rows.PROPOSAL_COLUMNS} FROM proposals WHERE id = ?", (proposal_id,))
        if row is None:
            return None
        has_contact = self._row("SELECT 1 FROM contacts WHERE proposal_id = ?", (proposal_id,)) is not None
        return rows.proposal(row, has_contact)

    def get_contact(self, proposal_id: str, now: int) -> str | None:
        row = self._row(
            "SELECT email_encrypted FROM contacts WHERE proposal_id = ? AND expires_at > ?", (proposal_id, now)
        )
        return row[0] if row else None
