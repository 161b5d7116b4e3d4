"""Votes on DynamoDB: a vote item and its tally shard share one partition, VOTES#<challenge>#<shard>.

A vote is exactly one TransactWriteItems of two items (4 write units, no index write); a tally is one BatchGetItem,
and so are a program's tallies (up to 100 shard keys per request: 10 challenges of 10 shards).
"""

from __future__ import annotations

from ...kernel.storage import StoreUnavailable
from ...votes.store import VoteStore
from . import client as dynamo
from .client import Cancelled, Table, translated
from .table import TALLY_SK, VOTE_PREFIX, as_int, key, n, s, shard_of, vote_partition

# BatchGetItem's limit: 100 keys a request.
BATCH_GET_KEYS = 100


class VotesOnDynamoDB(Table, VoteStore):
    def _vote_key(self, challenge: str, voter: str) -> dict:
        return key(vote_partition(challenge, shard_of(voter, self.shards)), f"{VOTE_PREFIX}{voter}")

    def _tally_key(self, challenge: str, shard: int) -> dict:
        return key(vote_partition(challenge, shard), TALLY_SK)

    def _vote_transaction(self, challenge: str, voter: str, vote: dict, delta: int) -> bool:
        """One TransactWriteItems of two items: the vote (Put or Delete, conditional) and its shard's counter.

        2 items x 2 write units (each under 1 KB) = 4 write units, and no index write: the vote item carries no
        index keys. False if the vote's condition failed (already voted / no vote): nothing was written.
        """
        shard = shard_of(voter, self.shards)
        try:
            self._transact(
                [
                    vote,
                    {
                        "Update": {
                            "Key": self._tally_key(challenge, shard),
                            "UpdateExpression": "ADD #n :delta",
                            "ExpressionAttributeNames": {"#n": "n"},
                            "ExpressionAttributeValues": {":delta": n(delta)},
                        }
                    },
                ]
            )
        except Cancelled:
            return False
        return True

    def cast_vote(self, challenge: str, voter: str, at: str, receipt: str | None = None) -> bool:
        item = {
            **self._vote_key(challenge, voter),
            "type": s("vote"),
            "challenge": s(challenge),
            "voter": s(voter),
            "created_at": s(at),
        }
        if receipt is not None:
            # Part of the vote item: written with it in the same transaction, once (docs/staff.md, "Vote log").
            item["receipt"] = s(receipt)
        put = {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}
        return self._vote_transaction(challenge, voter, put, 1)

    def withdraw_vote(self, challenge: str, voter: str) -> bool:
        delete = {"Delete": {"Key": self._vote_key(challenge, voter), "ConditionExpression": "attribute_exists(PK)"}}
        return self._vote_transaction(challenge, voter, delete, -1)

    def has_voted(self, challenge: str, voter: str) -> bool:
        answer = self._call(
            "get_item", Key=self._vote_key(challenge, voter), ConsistentRead=True, ProjectionExpression="PK"
        )
        return "Item" in answer

    def tally(self, challenge: str) -> int:
        """ONE BatchGetItem request of the shards' counters, strongly consistent (docs/storage.md says why)."""
        return self.tallies([challenge])[challenge]

    def tallies(self, challenges: list[str]) -> dict[str, int]:
        """BatchGetItem of every shard counter of the challenges, BATCH_GET_KEYS keys a request, strongly consistent.

        Another request only for keys DynamoDB leaves unprocessed (throttling): never in normal operation.
        """
        totals: dict[str, int] = dict.fromkeys(challenges, 0)
        keys = [(c, self._tally_key(c, shard)) for c in dict.fromkeys(challenges) for shard in range(self.shards)]
        owner = {key["PK"]["S"]: challenge for challenge, key in keys}
        for start in range(0, len(keys), BATCH_GET_KEYS):
            request = {
                self.table: {
                    "Keys": [key for _, key in keys[start : start + BATCH_GET_KEYS]],
                    "ConsistentRead": True,
                    "ProjectionExpression": "PK, #n",
                    "ExpressionAttributeNames": {"#n": "n"},
                }
            }
            for attempt in range(dynamo.TRANSACTION_ATTEMPTS):
                with translated():
                    answer = self.client.batch_get_item(RequestItems=request)
                for item in answer.get("Responses", {}).get(self.table, []):
                    totals[owner[item["PK"]["S"]]] += as_int(item.get("n"))
                request = answer.get("UnprocessedKeys") or {}
                if not request:
                    break
                dynamo.backoff(attempt)
            else:
                raise StoreUnavailable(
                    f"DynamoDB left tally keys unprocessed {dynamo.TRANSACTION_ATTEMPTS} times ({len(challenges)} "
                    "challenges)"
                )
        return totals
