"""Rate-limit counters on DynamoDB: one item per subject and window, RL#<key>, deleted by TTL."""

from __future__ import annotations

from ...identity.store import LimitStore
from .client import Table
from .table import TTL_ATTRIBUTE, as_int, key, n


class LimitsOnDynamoDB(Table, LimitStore):
    def count_hit(self, action: str, scope: str, subject: str, window_start: int, expires: int, by: int = 1) -> int:
        answer = self._call(
            "update_item",
            Key=key(f"RL#{action}:{scope}:{subject}:{window_start}", "R"),
            UpdateExpression="ADD #n :one SET #expires = if_not_exists(#expires, :expires)",
            ExpressionAttributeNames={"#n": "n", "#expires": TTL_ATTRIBUTE},
            ExpressionAttributeValues={":one": n(by), ":expires": n(expires)},
            ReturnValues="UPDATED_NEW",
        )
        return as_int(answer["Attributes"]["n"])
