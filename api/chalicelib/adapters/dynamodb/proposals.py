"""Proposals on DynamoDB: PROPOSAL#<id> holds the proposal (P) and, with consent, its encrypted contact (CONTACT),
which TTL and the expiry index (GSI1 CONTACT_EXPIRY) delete on the promised date."""

from __future__ import annotations

from ...proposals.store import Contact, Proposal, ProposalStore
from . import items
from .client import Table
from .table import (
    CONTACT_EXPIRY_PK,
    TTL_ATTRIBUTE,
    as_int,
    key,
    moderation_counters_update,
    n,
    new_item,
    queue_partition,
    s,
)


class ProposalsOnDynamoDB(Table, ProposalStore):
    def add_proposal(self, proposal: Proposal, contact: Contact | None, counters: dict[str, int]) -> None:
        pk = f"PROPOSAL#{proposal.id}"
        item = {**key(pk, "P"), **items.proposal_item(proposal)}
        if proposal.status == "pending":
            item["GSI2PK"] = s(queue_partition(proposal.program, "proposals"))
            item["GSI2SK"] = s(f"{proposal.created_at}#{proposal.id}")
        transaction = [new_item(item)]
        if contact is not None:
            contact_item = {
                **key(pk, "CONTACT"),
                "type": s("contact"),
                "email_encrypted": s(contact.encrypted),
                TTL_ATTRIBUTE: n(contact.expires),
                "GSI1PK": s(CONTACT_EXPIRY_PK),
                "GSI1SK": s(f"{int(contact.expires):012d}#{proposal.id}"),
            }
            transaction.append({"Put": {"Item": contact_item}})
        transaction.append(moderation_counters_update(proposal.program, counters))
        self._transact_new(transaction, f"proposal '{proposal.id}'")

    def get_proposal(self, proposal_id: str) -> Proposal | None:
        # One strongly consistent Query of the proposal's partition returns the proposal and its contact, if any.
        found = {
            item["SK"]["S"]: item
            for item in self._query(
                KeyConditionExpression="PK = :pk",
                ExpressionAttributeValues={":pk": s(f"PROPOSAL#{proposal_id}")},
                ConsistentRead=True,
            )
        }
        item = found.get("P")
        if item is None:
            return None
        # Until purged (or deleted by TTL), like the SQLite store; get_contact is the one that checks the date.
        return items.proposal_of(item, "CONTACT" in found)

    def get_contact(self, proposal_id: str, now: int) -> str | None:
        # TTL deletes expired items only eventually (up to days later): the expiry is checked here too.
        item = self._get(f"PROPOSAL#{proposal_id}", "CONTACT")
        if item is None or as_int(item.get(TTL_ATTRIBUTE)) <= now:
            return None
        return item["email_encrypted"]["S"]

    def purge_expired(self, now: int) -> int:
        """Delete the contact emails expired at `now`: a Query of the expiry index, then one DeleteItem each.

        Counters are left to TTL (a window's counter is never read once the window is over). Run this on a
        schedule so that personal data goes on the promised date; TTL alone may take days.
        """
        removed = 0
        for item in list(
            self._query(
                IndexName="GSI1",
                KeyConditionExpression="GSI1PK = :pk AND GSI1SK < :bound",
                ExpressionAttributeValues={":pk": s(CONTACT_EXPIRY_PK), ":bound": s(f"{max(now + 1, 0):012d}")},
                ProjectionExpression="PK, SK",
            )
        ):
            gone = self._delete_if(
                {"PK": item["PK"], "SK": item["SK"]},
                ConditionExpression="#expires <= :now",
                ExpressionAttributeNames={"#expires": TTL_ATTRIBUTE},
                ExpressionAttributeValues={":now": n(now)},
            )
            removed += gone  # not gone: already deleted by TTL or another purge
        return removed
