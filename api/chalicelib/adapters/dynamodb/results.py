"""The results' reads on DynamoDB: every vote of a challenge, one strongly consistent Query per shard partition
(exports and audits only; the base table, no index)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ...results.store import ResultsStore
from ...votes.store import Sharding
from .client import Table
from .table import VOTE_PREFIX, as_str, s, vote_partition


class ResultsOnDynamoDB(Table, ResultsStore):
    sharding: Callable[[str], Sharding]  # votes.py

    def _votes(self, challenge: str, attributes: list[str]) -> Iterator[dict]:
        for shard in range(self.sharding(challenge).span):  # every counter that may hold votes (votes.py)
            yield from self._query(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :vote)",
                ExpressionAttributeValues={":pk": s(vote_partition(challenge, shard)), ":vote": s(VOTE_PREFIX)},
                ProjectionExpression=", ".join(f"#{name}" for name in attributes),
                ExpressionAttributeNames={f"#{name}": name for name in attributes},
                ConsistentRead=True,
            )

    def vote_receipts_page(
        self, challenge: str, limit: int, after: str | None = None
    ) -> tuple[list[tuple[str, str | None]], str | None]:
        """Shard after shard, strongly consistent Queries from the position "<shard>:<voter key>" ("<shard>:": the
        shard's start); `limit` items at most, so an answer stays far under Lambda's 6 MB."""
        shard, start = 0, ""
        span = self.sharding(challenge).span
        if after is not None:
            number, sep, start = after.partition(":")
            if not (sep and number.isdigit() and int(number) < span and len(start) <= 200):
                raise ValueError(f"not a vote-log position: {after!r}")
            shard = int(number)
        page: list[tuple[str, str | None]] = []
        while shard < span:
            partition = s(vote_partition(challenge, shard))
            kwargs: dict = {
                "KeyConditionExpression": "PK = :pk AND begins_with(SK, :vote)",
                "ExpressionAttributeValues": {":pk": partition, ":vote": s(VOTE_PREFIX)},
                "ProjectionExpression": "#voter, #receipt",
                "ExpressionAttributeNames": {"#voter": "voter", "#receipt": "receipt"},
                "ConsistentRead": True,
            }
            if start:
                kwargs["ExclusiveStartKey"] = {"PK": partition, "SK": s(f"{VOTE_PREFIX}{start}")}
            while True:
                answer = self._call("query", Limit=limit - len(page), **kwargs)
                page += [(item["voter"]["S"], as_str(item.get("receipt"))) for item in answer.get("Items", [])]
                more = answer.get("LastEvaluatedKey")
                if len(page) >= limit:
                    if more:
                        return page, f"{shard}:{page[-1][0]}"
                    return page, (f"{shard + 1}:" if shard + 1 < span else None)
                if not more:
                    break
                kwargs["ExclusiveStartKey"] = more
            shard, start = shard + 1, ""
        return page, None

    def vote_records(self, challenge: str) -> list[str]:
        return sorted(item["voter"]["S"] for item in self._votes(challenge, ["voter"]))

    def vote_receipts(self, challenge: str) -> list[tuple[str, str | None]]:
        found = self._votes(challenge, ["voter", "receipt"])
        return sorted((item["voter"]["S"], as_str(item.get("receipt"))) for item in found)
