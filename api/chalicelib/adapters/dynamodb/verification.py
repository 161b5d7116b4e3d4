"""Verified participation on DynamoDB (docs/storage.md): VSESSION#<key> and VREQUEST#<key> items, deleted by TTL;
the program's counters are the moderation counters item MODSTATS#<program>. Every call is by key: no Query, no Scan.
"""

from __future__ import annotations

from ...verification.rules import EmailRequest, VerifiedSession
from ...verification.store import VerificationStore
from .client import Table
from .table import TTL_ATTRIBUTE, as_int, as_str, key, moderation_counters_update, n, s

SESSION_SK = "S"
REQUEST_SK = "R"


class VerificationOnDynamoDB(Table, VerificationStore):
    def add_verified_session(self, session: VerifiedSession) -> None:
        attributes = {
            "program": s(session.program),
            "voter_key": s(session.voter_key),
            "method": s(session.method),
            "created_at": n(session.created_at),
        }
        pk = f"VSESSION#{session.key}"
        self._add_expiring(pk, SESSION_SK, "verified-session", session.expires_at, attributes, "verified session")

    def get_verified_session(self, key_: str) -> VerifiedSession | None:
        item = self._get(f"VSESSION#{key_}", SESSION_SK)
        if item is None:
            return None
        return VerifiedSession(
            key_,
            as_str(item.get("program")) or "",
            as_str(item.get("voter_key")) or "",
            as_str(item.get("method")) or "",
            as_int(item.get("created_at")),
            as_int(item.get(TTL_ATTRIBUTE)),
        )

    def end_verified_session(self, key_: str) -> None:
        self._call("delete_item", Key=key(f"VSESSION#{key_}", SESSION_SK))

    def add_email_request(self, request: EmailRequest) -> None:
        attributes = {
            "program": s(request.program),
            "voter_key": s(request.voter_key),
            "link": s(request.link),
            "code": s(request.code),
            "return_to": s(request.return_to),
            "lang": s(request.lang),
            "created_at": n(request.created_at),
            "attempts": n(request.attempts),
        }
        pk = f"VREQUEST#{request.key}"
        self._add_expiring(pk, REQUEST_SK, "email-request", request.expires_at, attributes, "email request")

    def get_email_request(self, key_: str) -> EmailRequest | None:
        item = self._get(f"VREQUEST#{key_}", REQUEST_SK)
        if item is None:
            return None
        return EmailRequest(
            key_,
            as_str(item.get("program")) or "",
            as_str(item.get("voter_key")) or "",
            as_str(item.get("link")) or "",
            as_str(item.get("code")) or "",
            as_str(item.get("return_to")) or "/",
            as_str(item.get("lang")) or "",
            as_int(item.get("created_at")),
            as_int(item.get(TTL_ATTRIBUTE)),
            as_int(item.get("attempts")),
        )

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
