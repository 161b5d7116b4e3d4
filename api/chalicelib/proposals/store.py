"""The proposals room's part of the storage contract, and the record it keeps."""

from __future__ import annotations

import abc
from dataclasses import dataclass


@dataclass
class Proposal:
    id: str
    program: str
    title: str
    description: str
    theme: str | None
    created_at: str
    author: str
    status: str = "pending"  # rules.STATUSES; pending proposals are the program's "proposals" queue
    has_contact: bool = False
    reason: str | None = None  # the staff reason of a rejection


@dataclass(frozen=True)
class Contact:
    """A proposer's email, given with consent: only ever stored encrypted, and deleted on a set date."""

    encrypted: str
    expires: int  # epoch seconds


class ProposalStore(abc.ABC):
    @abc.abstractmethod
    def add_proposal(self, proposal: Proposal, contact: Contact | None, counters: dict[str, int]) -> None:
        """Store a proposal (and its contact, if any) and add `counters` to its program's counters, in one
        transaction. AlreadyExists if its id is taken."""

    @abc.abstractmethod
    def get_proposal(self, proposal_id: str) -> Proposal | None: ...

    @abc.abstractmethod
    def get_contact(self, proposal_id: str, now: int) -> str | None:
        """The encrypted contact email, unless it has expired."""
