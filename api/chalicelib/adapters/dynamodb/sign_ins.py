"""Sign-ins under way on DynamoDB: OIDCSIGNIN#<key>, deleted by TTL once expired."""

from __future__ import annotations

from ...oidc.store import PendingSignIn, SignInStore
from .client import Table
from .table import expiring_attributes, expiring_fields, key, n

TEXTS = ("program", "voter_key", "sealed", "back")
NUMBERS = ("created_at",)


class SignInsOnDynamoDB(Table, SignInStore):
    def add_sign_in(self, pending: PendingSignIn) -> None:
        attributes = {**expiring_attributes(pending, TEXTS, NUMBERS), "used": n(pending.used)}
        self._add_new(f"OIDCSIGNIN#{pending.key}", "S", "oidc-sign-in", attributes, "sign-in")

    def claim_sign_in(self, key_: str) -> PendingSignIn | None:
        # One conditional update: of two callbacks at once, exactly one finds used = 0.
        item = self._update_if(
            key(f"OIDCSIGNIN#{key_}", "S"),
            UpdateExpression="SET used = :one",
            ConditionExpression="attribute_exists(PK) AND used = :zero",
            ExpressionAttributeValues={":one": n(1), ":zero": n(0)},
            ReturnValues="ALL_OLD",
        )
        used = item is None
        if used:
            item = self._get(f"OIDCSIGNIN#{key_}", "S")
        if not item:
            return None
        return PendingSignIn(key_, **expiring_fields(item, TEXTS, NUMBERS, {"back": "/"}), used=used)
