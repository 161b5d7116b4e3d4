"""Votes on DynamoDB: a vote item and its tally shard share one partition, VOTES#<challenge>#<shard>.

A vote is exactly one TransactWriteItems of two items (4 write units, no index write); a tally is one BatchGetItem,
and so are a program's tallies (up to 100 shard keys per request: 10 challenges of 10 shards).

Re-sharding while a challenge is open (docs/operations.md, "Re-sharding"): a challenge whose shard count was changed
has an item SHARDS#<challenge> (its Sharding: the count new votes use, every count it has had). A voter's vote is in
the shard it gets under one of those counts; a new vote checks, in its own transaction, that none of the voter's
other possible keys holds a vote (a ConditionCheck each: 2 write units more per other count, only on re-sharded
challenges), a withdrawal deletes whichever exists, and tallies read every counter 0 .. span - 1. The counters are
per shard number, whatever the count that chose it, so the sum stays exact across the change. The item is kept in
memory SHARDING_CACHE_SECONDS; a new count is written to only SHARDING_WAIT_SECONDS after it was announced, when
every container looks votes up under it.
"""

from __future__ import annotations

import threading
import time

from ...kernel.storage import StoreUnavailable
from ...votes.store import SHARDING_CACHE_SECONDS, SHARDING_WAIT_SECONDS, Sharding, VoteStore
from . import client as dynamo
from .client import Cancelled, Table, translated
from .table import (
    MAX_SHARDS,
    SHARDING_PREFIX,
    SHARDING_SK,
    TALLY_SK,
    VOTE_PREFIX,
    as_int,
    key,
    n,
    s,
    shard_of,
    vote_partition,
)

# BatchGetItem's limit: 100 keys a request.
BATCH_GET_KEYS = 100


class VotesOnDynamoDB(Table, VoteStore):
    _monotonic = staticmethod(time.monotonic)  # replaced by tests

    # Sharding: the challenge's own item, else the deployment's TALLY_SHARDS.
    def _memory(self) -> tuple[threading.Lock, dict[str, tuple[float, Sharding]]]:
        if not hasattr(self, "_shardings"):
            self._shardings: dict[str, tuple[float, Sharding]] = {}
            self._shardings_lock = threading.Lock()
        return self._shardings_lock, self._shardings

    def forget_sharding(self) -> None:
        """Drop the shardings kept in memory (tests; a store that re-shards forgets that challenge itself)."""
        lock, memory = self._memory()
        with lock:
            memory.clear()

    def shardings(self, challenges: list[str]) -> dict[str, Sharding]:
        """Each challenge's sharding, from memory if read less than SHARDING_CACHE_SECONDS ago, else ONE BatchGetItem
        (per 100) of the missing items."""
        lock, memory = self._memory()
        now = self._monotonic()
        with lock:
            found = {c: hit[1] for c in challenges if (hit := memory.get(c)) and now - hit[0] < SHARDING_CACHE_SECONDS}
        missing = [c for c in dict.fromkeys(challenges) if c not in found]
        default = Sharding(write=self.shards, lookup=(self.shards,))
        for start in range(0, len(missing), BATCH_GET_KEYS):
            chunk = missing[start : start + BATCH_GET_KEYS]
            read = dict.fromkeys(chunk, default)
            request = {
                self.table: {"Keys": [key(SHARDING_PREFIX + c, SHARDING_SK) for c in chunk], "ConsistentRead": True}
            }
            for attempt in range(dynamo.TRANSACTION_ATTEMPTS):
                with translated():
                    answer = self.client.batch_get_item(RequestItems=request)
                for item in answer.get("Responses", {}).get(self.table, []):
                    read[item["PK"]["S"].removeprefix(SHARDING_PREFIX)] = _sharding(item)
                request = answer.get("UnprocessedKeys") or {}
                if not request:
                    break
                dynamo.backoff(attempt)
            else:
                raise StoreUnavailable("DynamoDB left sharding keys unprocessed")
            with lock:
                for challenge, sharding in read.items():
                    memory[challenge] = (now, sharding)
            found.update(read)
        return {c: found[c] for c in challenges}

    def sharding(self, challenge: str) -> Sharding:
        return self.shardings([challenge])[challenge]

    def reshard(self, challenge: str, shards: int, at: int) -> Sharding:
        if not 1 <= shards <= MAX_SHARDS:
            raise ValueError(f"a shard count is between 1 and {MAX_SHARDS} (one BatchGetItem reads a tally)")
        self.forget_sharding()
        current = self.sharding(challenge)
        item_key = key(SHARDING_PREFIX + challenge, SHARDING_SK)
        if current.pending is None:
            # The same count: written down as the challenge's own (a pin, before TALLY_SHARDS changes), no change.
            pending = None if shards == current.write else shards
            planned = Sharding(current.write, tuple(sorted({*current.lookup, shards})), pending, pending and int(at))
            # Only over the state read: two operators at once cannot both announce.
            condition = {"ConditionExpression": "attribute_not_exists(PK) OR attribute_not_exists(pending)"}
        elif shards != current.pending:
            raise ValueError(f"{current.pending} shards were announced for {challenge}: switch to them first")
        elif at - (current.announced_at or 0) < SHARDING_WAIT_SECONDS:
            wait = SHARDING_WAIT_SECONDS - (at - (current.announced_at or 0))
            raise ValueError(f"every container sees the announcement within {SHARDING_WAIT_SECONDS} s: try in {wait} s")
        else:
            planned = Sharding(shards, current.lookup)
            condition = {
                "ConditionExpression": "pending = :pending",
                "ExpressionAttributeValues": {":pending": n(shards)},
            }
        item = {**item_key, "type": s("sharding"), "challenge": s(challenge), "write": n(planned.write)}
        item["lookup"] = {"NS": [str(count) for count in planned.lookup]}
        if planned.pending is not None:
            item["pending"], item["announced_at"] = n(planned.pending), n(planned.announced_at or 0)
        try:
            with translated():
                self.client.put_item(TableName=self.table, Item=item, **condition)
        except dynamo.ClientError as error:
            if dynamo.error_code(error) == "ConditionalCheckFailedException":
                raise ValueError(f"the sharding of {challenge} changed meanwhile: read it again") from error
            raise
        self.forget_sharding()
        return planned

    # Votes
    def _places(self, challenge: str, voter: str, also: tuple[str, ...] = ()) -> tuple[int, list[tuple[str, int]]]:
        """The shard a new vote of `voter` goes to, and every other (key, shard) a vote of this voter may be at: under
        the challenge's other shard counts, and under the voter's keys of `also` (a key rotation)."""
        plan = self.sharding(challenge)
        shard = shard_of(voter, plan.write)
        places = {(key_, shard_of(key_, count)) for key_ in (voter, *also) for count in plan.lookup}
        return shard, sorted(places - {(voter, shard)})

    def _vote_key(self, challenge: str, voter: str, shard: int) -> dict:
        return key(vote_partition(challenge, shard), f"{VOTE_PREFIX}{voter}")

    def _tally_key(self, challenge: str, shard: int) -> dict:
        return key(vote_partition(challenge, shard), TALLY_SK)

    def _vote_transaction(self, challenge: str, shard: int, vote: dict, delta: int, checks: list[dict]) -> bool:
        """One TransactWriteItems: the vote (Put or Delete, conditional), its shard's counter, and on a re-sharded
        challenge a check that no other possible key of the voter holds a vote.

        2 items x 2 write units (each under 1 KB) = 4 write units, and no index write: the vote item carries no
        index keys. False if a condition failed (already voted / no vote): nothing was written.
        """
        counter = {
            "Update": {
                "Key": self._tally_key(challenge, shard),
                "UpdateExpression": "ADD #n :delta",
                "ExpressionAttributeNames": {"#n": "n"},
                "ExpressionAttributeValues": {":delta": n(delta)},
            }
        }
        try:
            self._transact([vote, *checks, counter])
        except Cancelled:
            return False
        return True

    def cast_vote(
        self, challenge: str, voter: str, at: str, receipt: str | None = None, also: tuple[str, ...] = ()
    ) -> bool:
        shard, others = self._places(challenge, voter, also)
        item = {
            **self._vote_key(challenge, voter, shard),
            "type": s("vote"),
            "challenge": s(challenge),
            "voter": s(voter),
            "created_at": s(at),
        }
        if receipt is not None:
            # Part of the vote item: written with it in the same transaction, once (docs/staff.md, "Vote log").
            item["receipt"] = s(receipt)
        put = {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}
        checks = [
            {
                "ConditionCheck": {
                    "Key": self._vote_key(challenge, other_key, other),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            }
            for other_key, other in others
        ]
        return self._vote_transaction(challenge, shard, put, 1, checks)

    def withdraw_vote(self, challenge: str, voter: str, also: tuple[str, ...] = ()) -> bool:
        shard, others = self._places(challenge, voter, also)
        for who, where in ((voter, shard), *others):  # at most one of them holds the vote (cast_vote's checks)
            delete = {
                "Delete": {
                    "Key": self._vote_key(challenge, who, where),
                    "ConditionExpression": "attribute_exists(PK)",
                }
            }
            if self._vote_transaction(challenge, where, delete, -1, []):
                return True
        return False

    def has_voted(self, challenge: str, voter: str, also: tuple[str, ...] = ()) -> bool:
        shard, others = self._places(challenge, voter, also)
        if not others:
            answer = self._call(
                "get_item", Key=self._vote_key(challenge, voter, shard), ConsistentRead=True, ProjectionExpression="PK"
            )
            return "Item" in answer
        keys = [self._vote_key(challenge, who, where) for who, where in ((voter, shard), *others)]
        with translated():
            answer = self.client.batch_get_item(
                RequestItems={self.table: {"Keys": keys, "ConsistentRead": True, "ProjectionExpression": "PK"}}
            )
        return bool(answer.get("Responses", {}).get(self.table))

    def tally(self, challenge: str) -> int:
        """ONE BatchGetItem request of the shards' counters, strongly consistent (docs/storage.md says why)."""
        return self.tallies([challenge])[challenge]

    def tallies(self, challenges: list[str]) -> dict[str, int]:
        """BatchGetItem of every shard counter of the challenges, BATCH_GET_KEYS keys a request, strongly consistent.

        Another request only for keys DynamoDB leaves unprocessed (throttling): never in normal operation.
        """
        totals: dict[str, int] = dict.fromkeys(challenges, 0)
        spans = {c: plan.span for c, plan in self.shardings(list(dict.fromkeys(challenges))).items()}
        keys = [(c, self._tally_key(c, shard)) for c in dict.fromkeys(challenges) for shard in range(spans[c])]
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


def _sharding(item: dict) -> Sharding:
    lookup = tuple(sorted(int(count) for count in item["lookup"]["NS"]))
    pending = as_int(item["pending"]) if "pending" in item else None
    announced = as_int(item["announced_at"]) if "announced_at" in item else None
    return Sharding(as_int(item["write"]), lookup, pending, announced)
