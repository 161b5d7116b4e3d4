"""Staff sessions on DynamoDB: STAFFSESSION#<key>, deleted by TTL, and found by their token in the sparse index
GSI2 (partition STAFFSESSIONS#<token id>) when it is revoked; a comment's reports are its REPORT# items."""

from __future__ import annotations

from ...console.store import SessionStore, StaffSession
from .client import Table
from .table import TTL_ATTRIBUTE, as_str, expiring_attributes, expiring_fields, key, n, s

TEXTS = ("token",)
NUMBERS = ("created_at", "seen_at")


class SessionsOnDynamoDB(Table, SessionStore):
    def add_session(self, session: StaffSession) -> None:
        attributes = {
            **expiring_attributes(session, TEXTS, NUMBERS),
            "GSI2PK": s(f"STAFFSESSIONS#{session.token}"),
            "GSI2SK": s(session.key),
        }
        self._add_new(f"STAFFSESSION#{session.key}", "S", "staff-session", attributes, "staff session")

    def get_session(self, key_: str) -> StaffSession | None:
        item = self._get(f"STAFFSESSION#{key_}", "S")
        return None if item is None else StaffSession(key_, **expiring_fields(item, TEXTS, NUMBERS))

    def touch_session(self, key_: str, seen_at: int, expires_at: int) -> None:
        self._update_if(
            key(f"STAFFSESSION#{key_}", "S"),
            UpdateExpression="SET seen_at = :seen, #expires = :expires",
            ConditionExpression="attribute_exists(PK)",  # an ended session is not brought back
            ExpressionAttributeNames={"#expires": TTL_ATTRIBUTE},
            ExpressionAttributeValues={":seen": n(seen_at), ":expires": n(expires_at)},
        )

    def end_session(self, key_: str) -> None:
        self._call("delete_item", Key=key(f"STAFFSESSION#{key_}", "S"))

    def end_sessions_of(self, token: str) -> int:
        # The index is eventually consistent: a session opened a moment ago may be missed here, and is then refused
        # at its next request all the same, its token being revoked (console/service.py).
        found = list(
            self._query(
                IndexName="GSI2",
                KeyConditionExpression="GSI2PK = :pk",
                ExpressionAttributeValues={":pk": s(f"STAFFSESSIONS#{token}")},
                ProjectionExpression="PK, SK",
            )
        )
        for item in found:
            self._call("delete_item", Key={"PK": item["PK"], "SK": item["SK"]})
        return len(found)

    def comment_reports(self, comment_id: str, limit: int) -> list[tuple[str, str]]:
        found = []
        for item in self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :report)",
            ExpressionAttributeValues={":pk": s(f"COMMENT#{comment_id}"), ":report": s("REPORT#")},
            ConsistentRead=True,
        ):
            found.append((as_str(item.get("created_at")) or "", as_str(item.get("reason")) or ""))
        return sorted(found)[:limit]
