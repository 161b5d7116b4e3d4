"""Sign-ins under way on DynamoDB: OIDCSIGNIN#<key>, deleted by TTL once expired."""

from __future__ import annotations

from ...oidc.store import PendingSignIn, SignInStore
from .client import Table
from .table import TTL_ATTRIBUTE, as_int, as_str, key, n, s


class SignInsOnDynamoDB(Table, SignInStore):
    def add_sign_in(self, pending: PendingSignIn) -> None:
        attributes = {
            "program": s(pending.program),
            "voter_key": s(pending.voter_key),
            "sealed": s(pending.sealed),
            "back": s(pending.back),
            "created_at": n(pending.created_at),
            "used": n(int(pending.used)),
        }
        self._add_expiring(f"OIDCSIGNIN#{pending.key}", "S", "oidc-sign-in", pending.expires_at, attributes, "sign-in")

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
        return PendingSignIn(
            key_,
            as_str(item.get("program")) or "",
            as_str(item.get("voter_key")) or "",
            as_str(item.get("sealed")) or "",
            as_str(item.get("back")) or "/",
            as_int(item.get("created_at")),
            as_int(item.get(TTL_ATTRIBUTE)),
            used=used,
        )
