"""The results' reads on DynamoDB: every vote of a challenge, one strongly consistent Query per shard partition
(exports and audits only; the base table, no index)."""

from __future__ import annotations

from collections.abc import Iterator

from ...results.store import ResultsStore
from .client import Table
from .table import VOTE_PREFIX, as_str, s, vote_partition


class ResultsOnDynamoDB(Table, ResultsStore):
    def _votes(self, challenge: str, attributes: list[str]) -> Iterator[dict]:
        for shard in range(self.shards):
            yield from self._query(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :vote)",
                ExpressionAttributeValues={":pk": s(vote_partition(challenge, shard)), ":vote": s(VOTE_PREFIX)},
                ProjectionExpression=", ".join(f"#{name}" for name in attributes),
                ExpressionAttributeNames={f"#{name}": name for name in attributes},
                ConsistentRead=True,
            )

    def vote_records(self, challenge: str) -> list[str]:
        return sorted(item["voter"]["S"] for item in self._votes(challenge, ["voter"]))

    def vote_receipts(self, challenge: str) -> list[tuple[str, str | None]]:
        found = self._votes(challenge, ["voter", "receipt"])
        return sorted((item["voter"]["S"], as_str(item.get("receipt"))) for item in found)
