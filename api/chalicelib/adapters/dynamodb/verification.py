"""Verified participation on DynamoDB (docs/storage.md): VSESSION#<key> and VREQUEST#<key> items, deleted by TTL;
the program's counters are the moderation counters item MODSTATS#<program>. Every call is by key: no Query, no Scan.
"""

from __future__ import annotations

from ...verification.rules import EmailRequest, VerifiedSession
from ...verification.store import VerificationStore
from .client import Table
from .table import as_int, expiring_attributes, expiring_fields, key, moderation_counters_update, n

SESSION_SK = "S"
REQUEST_SK = "R"
SESSION_TEXTS = ("program", "voter_key", "method")
REQUEST_TEXTS = ("program", "voter_key", "link", "code", "return_to", "lang")
SESSION_NUMBERS = ("created_at",)
REQUEST_NUMBERS = ("created_at", "attempts")


class VerificationOnDynamoDB(Table, VerificationStore):
    def add_verified_session(self, session: VerifiedSession) -> None:
        attributes = expiring_attributes(session, SESSION_TEXTS, SESSION_NUMBERS)
        self._add_new(f"VSESSION#{session.key}", SESSION_SK, "verified-session", attributes, "verified session")

    def get_verified_session(self, key_: str) -> VerifiedSession | None:
        item = self._get(f"VSESSION#{key_}", SESSION_SK)
        return None if item is None else VerifiedSession(key_, **expiring_fields(item, SESSION_TEXTS, SESSION_NUMBERS))

    def end_verified_session(self, key_: str) -> None:
        self._call("delete_item", Key=key(f"VSESSION#{key_}", SESSION_SK))

    def add_email_request(self, request: EmailRequest) -> None:
        attributes = expiring_attributes(request, REQUEST_TEXTS, REQUEST_NUMBERS)
        self._add_new(f"VREQUEST#{request.key}", REQUEST_SK, "email-request", attributes, "email request")

    def get_email_request(self, key_: str) -> EmailRequest | None:
        item = self._get(f"VREQUEST#{key_}", REQUEST_SK)
        if item is None:
            return None
        return EmailRequest(key_, **expiring_fields(item, REQUEST_TEXTS, REQUEST_NUMBERS, {"return_to": "/"}))

    def use_email_request(self, key_: str) -> bool:
        # The condition makes the delete single use: of concurrent calls, only the one that removed it gets True.
        return self._delete_if(key(f"VREQUEST#{key_}", REQUEST_SK), ConditionExpression="attribute_exists(PK)")

    def count_code_attempt(self, key_: str) -> int:
        counted = self._update_if(
            key(f"VREQUEST#{key_}", REQUEST_SK),
            UpdateExpression="ADD attempts :one",
            ConditionExpression="attribute_exists(PK)",  # a used request is not brought back
            ExpressionAttributeValues={":one": n(1)},
            ReturnValues="UPDATED_NEW",
        )
        return 0 if counted is None else as_int(counted["attempts"])

    def count_verification(self, program: str, counters: dict[str, int]) -> None:
        update = moderation_counters_update(program, counters)
        if update is not None:
            self._call("update_item", **update["Update"])
