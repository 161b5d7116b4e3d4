"""The production store: one DynamoDB table (single-table design, on-demand), described in docs/storage.md.

Every request path is a GetItem, a BatchGetItem, a Query or a write: nothing here ever Scans.
Votes, reports and proposals with a contact are written in one TransactWriteItems each. A vote is exactly one
TransactWriteItems of two items (4 write units, no index write); a tally read is one BatchGetItem request.

The boto3 client is created lazily, on first use (moto patches only clients created after it is active, and a
Lambda container should not pay for it at import). Pass `client` (tests) or `endpoint_url`; otherwise boto3's own
configuration applies, including AWS_ENDPOINT_URL_DYNAMODB and the Lambda runtime's region and credentials.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import threading
import time
from typing import Any

from botocore.exceptions import ClientError

from .base import Comment, Cursor, Proposal, ReportResult, Store

TTL_ATTRIBUTE = "expires_at"

TABLE_DEFINITION: dict[str, Any] = {
    "AttributeDefinitions": [
        {"AttributeName": name, "AttributeType": "S"} for name in ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK")
    ],
    "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
    "GlobalSecondaryIndexes": [
        {
            "IndexName": index,
            "KeySchema": [
                {"AttributeName": f"{index}PK", "KeyType": "HASH"},
                {"AttributeName": f"{index}SK", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }
        for index in ("GSI1", "GSI2")
    ],
    "BillingMode": "PAY_PER_REQUEST",
}

# Contacts are also indexed by expiry (one GSI1 partition: a handful of proposals a day) so that a scheduled
# purge_expired deletes personal data on the promised date with a Query; TTL, which may lag by days, is the backstop.
CONTACT_EXPIRY_PK = "CONTACT_EXPIRY"

# Votes and tally shards (docs/storage.md): PK VOTES#<challenge>#<shard>, SK V#<voter> or #TALLY.
VOTE_PREFIX = "V#"
TALLY_SK = "#TALLY"  # "#" sorts before "V": the counter comes first in its partition
# A tally read is one BatchGetItem, which takes 100 keys at most.
MAX_SHARDS = 100

# How often a transaction cancelled by a concurrent one (TransactionConflict) is tried, in all.
TRANSACTION_ATTEMPTS = 10
_sleep = time.sleep  # replaced by tests


def _backoff(attempt: int) -> None:
    """Full jitter, 10 ms doubling up to 320 ms: about 1.6 s at most over all attempts."""
    _sleep(random.uniform(0, 0.01 * 2 ** min(attempt, 5)))


def create_table(client, table_name: str) -> None:
    """Create the table (TABLE_DEFINITION), wait until it is active and turn TTL on `expires_at`."""
    client.create_table(TableName=table_name, **TABLE_DEFINITION)
    client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    client.update_time_to_live(
        TableName=table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE}
    )


def client_config():
    from botocore.config import Config

    # DynamoDB answers in milliseconds: a stuck call is abandoned and retried well within the Lambda timeout (10 s).
    # Retries are safe for transactions (same ClientRequestToken); a retried counter update may count twice.
    return Config(
        max_pool_connections=50,
        retries={"mode": "standard", "max_attempts": 3},
        connect_timeout=1,
        read_timeout=3,
    )


def make_client(endpoint_url: str | None = None, **kwargs):
    import boto3

    endpoint_url = endpoint_url or os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or None
    # A session of our own: boto3's default session is not thread-safe to create clients from.
    return boto3.session.Session().client("dynamodb", endpoint_url=endpoint_url, config=client_config(), **kwargs)


def shard_of(voter: str, shards: int) -> int:
    """The shard a voter's vote is stored and counted in: always the same one for a given number of shards.

    The shard is part of the vote's key, so the "one vote per voter" condition holds only while `shards` stays the
    same: never change TALLY_SHARDS while a challenge is open (docs/storage.md, "Changing TALLY_SHARDS").
    """
    return int.from_bytes(hashlib.sha256(voter.encode("utf-8")).digest(), "big") % shards


# Typed attribute values (the low-level client: numbers travel as strings, never as Decimal).
def _s(value: str) -> dict:
    return {"S": value}


def _n(value: int) -> dict:
    return {"N": str(int(value))}


def _int(attribute: dict | None) -> int:
    return int(attribute["N"]) if attribute else 0


def _str(attribute: dict | None) -> str | None:
    return attribute["S"] if attribute and "S" in attribute else None


def _key(pk: str, sk: str) -> dict:
    return {"PK": _s(pk), "SK": _s(sk)}


def _cancellation_codes(error: ClientError) -> list[str]:
    """Why each item of a cancelled transaction failed ("None", "ConditionalCheckFailed", "TransactionConflict"...).

    botocore parses CancellationReasons from the error body; should an SDK or an emulator leave it out, the same
    codes are in the message: "Transaction cancelled, please refer cancellation reasons for specific reasons
    [None, ConditionalCheckFailed]".
    """
    reasons = error.response.get("CancellationReasons")
    if reasons:
        return [str(reason.get("Code")) for reason in reasons]
    found = re.search(r"\[([^\]]*)\]\s*$", error.response.get("Error", {}).get("Message", ""))
    return [code.strip() for code in found.group(1).split(",")] if found else []


class _Cancelled(Exception):
    """A transaction was cancelled because one of its conditions failed (index of the first failing item)."""

    def __init__(self, index: int):
        super().__init__(index)
        self.index = index


class DynamoDBStore(Store):
    def __init__(self, table_name: str, shards: int = 10, client=None, endpoint_url: str | None = None):
        if not 1 <= shards <= MAX_SHARDS:
            raise ValueError(f"shards must be between 1 and {MAX_SHARDS} (one BatchGetItem reads them all)")
        self.table = table_name
        self.shards = shards
        self._client = client
        self._endpoint_url = endpoint_url
        self._client_lock = threading.Lock()

    @property
    def client(self):
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    self._client = make_client(self._endpoint_url)
        return self._client

    # Transactions
    def _transact(self, items: list[dict]) -> None:
        """Run TransactWriteItems; raise _Cancelled if a condition failed; retry when cancelled by a conflict.

        Each attempt gets a fresh ClientRequestToken (botocore fills it in): the SDK's own retries of one attempt
        reuse it, so an attempt that committed but whose answer was lost is not applied twice. A cancelled
        transaction wrote nothing, so trying again with a new token is safe.
        """
        for item in items:
            next(iter(item.values()))["TableName"] = self.table
        for attempt in range(TRANSACTION_ATTEMPTS):
            try:
                self.client.transact_write_items(TransactItems=items)
                return
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                    raise
                codes = _cancellation_codes(error)
                if "ConditionalCheckFailed" in codes:
                    raise _Cancelled(codes.index("ConditionalCheckFailed")) from error
                retryable = {"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"}
                if not retryable.intersection(codes) or attempt == TRANSACTION_ATTEMPTS - 1:
                    raise
            _backoff(attempt)

    def _update_if(self, **kwargs) -> bool:
        """A conditional UpdateItem: False if its condition failed."""
        try:
            self.client.update_item(TableName=self.table, **kwargs)
            return True
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise

    def _put_new(self, item: dict, duplicate: str) -> None:
        """PutItem unless the key exists: a duplicate id raises ValueError (SQLite raises IntegrityError)."""
        try:
            self.client.put_item(TableName=self.table, Item=item, ConditionExpression="attribute_not_exists(PK)")
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise ValueError(duplicate) from error
            raise

    def _get(self, pk: str, sk: str, consistent: bool = True) -> dict | None:
        return self.client.get_item(TableName=self.table, Key=_key(pk, sk), ConsistentRead=consistent).get("Item")

    def _query(self, **kwargs):
        """Every item of a Query, page after page (LastEvaluatedKey)."""
        while True:
            answer = self.client.query(TableName=self.table, **kwargs)
            yield from answer.get("Items", [])
            if "LastEvaluatedKey" not in answer:
                return
            kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    # Votes: a vote item and its tally shard share one partition, VOTES#<challenge>#<shard> (docs/storage.md).
    def _partition(self, challenge: str, shard: int) -> str:
        return f"VOTES#{challenge}#{shard}"

    def _vote_key(self, challenge: str, voter: str) -> dict:
        return _key(self._partition(challenge, shard_of(voter, self.shards)), f"{VOTE_PREFIX}{voter}")

    def _tally_key(self, challenge: str, shard: int) -> dict:
        return _key(self._partition(challenge, shard), TALLY_SK)

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
                            "ExpressionAttributeValues": {":delta": _n(delta)},
                        }
                    },
                ]
            )
        except _Cancelled:
            return False
        return True

    def cast_vote(self, challenge: str, voter: str, at: str) -> bool:
        item = {
            **self._vote_key(challenge, voter),
            "type": _s("vote"),
            "challenge": _s(challenge),
            "voter": _s(voter),
            "created_at": _s(at),
        }
        put = {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}
        return self._vote_transaction(challenge, voter, put, 1)

    def withdraw_vote(self, challenge: str, voter: str) -> bool:
        delete = {"Delete": {"Key": self._vote_key(challenge, voter), "ConditionExpression": "attribute_exists(PK)"}}
        return self._vote_transaction(challenge, voter, delete, -1)

    def has_voted(self, challenge: str, voter: str) -> bool:
        key = self._vote_key(challenge, voter)
        answer = self.client.get_item(TableName=self.table, Key=key, ConsistentRead=True, ProjectionExpression="PK")
        return "Item" in answer

    def tally(self, challenge: str) -> int:
        """ONE BatchGetItem request of the shards' counters, strongly consistent (docs/storage.md says why).

        Another request only for keys DynamoDB leaves unprocessed (throttling): never in normal operation.
        """
        request = {
            self.table: {
                "Keys": [self._tally_key(challenge, shard) for shard in range(self.shards)],
                "ConsistentRead": True,
                "ProjectionExpression": "#n",
                "ExpressionAttributeNames": {"#n": "n"},
            }
        }
        total = 0
        for attempt in range(TRANSACTION_ATTEMPTS):
            answer = self.client.batch_get_item(RequestItems=request)
            total += sum(_int(item.get("n")) for item in answer.get("Responses", {}).get(self.table, []))
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                return total
            _backoff(attempt)
        raise RuntimeError(f"DynamoDB left tally keys of '{challenge}' unprocessed {TRANSACTION_ATTEMPTS} times")

    def vote_records(self, challenge: str) -> list[str]:
        """One Query per shard partition (audits and exports only), strongly consistent: the base table, no index."""
        voters: list[str] = []
        for shard in range(self.shards):
            for item in self._query(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :vote)",
                ExpressionAttributeValues={":pk": _s(self._partition(challenge, shard)), ":vote": _s(VOTE_PREFIX)},
                ProjectionExpression="#voter",
                ExpressionAttributeNames={"#voter": "voter"},
                ConsistentRead=True,
            ):
                voters.append(item["voter"]["S"])
        return sorted(voters)

    # Comments
    @staticmethod
    def _comment_index(comment_id: str, challenge: str, program: str, created_at: str, status: str) -> dict:
        """The sparse index keys of a comment: GSI1 while published, GSI2 (moderation queue) while pending/hidden."""
        sort = _s(f"{created_at}#{comment_id}")
        if status == "published":
            return {"GSI1PK": _s(f"COMMENTS#{challenge}"), "GSI1SK": sort}
        if status in ("pending", "hidden"):
            return {"GSI2PK": _s(f"MODQ#{program}"), "GSI2SK": sort}
        return {}

    def add_comment(self, comment: Comment) -> None:
        item = {
            **_key(f"COMMENT#{comment.id}", "C"),
            "type": _s("comment"),
            "id": _s(comment.id),
            "challenge": _s(comment.challenge),
            "program": _s(comment.program),
            "text": _s(comment.text),
            "status": _s(comment.status),
            "created_at": _s(comment.created_at),
            "author": _s(comment.author),
            "reports": _n(comment.reports),
            **self._comment_index(comment.id, comment.challenge, comment.program, comment.created_at, comment.status),
        }
        if comment.display_name is not None:
            item["display_name"] = _s(comment.display_name)
        self._put_new(item, f"comment '{comment.id}' already exists")

    @staticmethod
    def _comment(item: dict) -> Comment:
        return Comment(
            id=item["id"]["S"],
            challenge=item["challenge"]["S"],
            program=item["program"]["S"],
            text=item["text"]["S"],
            display_name=_str(item.get("display_name")),
            status=item["status"]["S"],
            created_at=item["created_at"]["S"],
            author=item["author"]["S"],
            reports=_int(item.get("reports")),
        )

    def get_comment(self, comment_id: str) -> Comment | None:
        item = self._get(f"COMMENT#{comment_id}", "C")
        return self._comment(item) if item else None

    def published_comments(
        self, challenge: str, newest_first: bool, limit: int, after: Cursor | None
    ) -> tuple[list[Comment], Cursor | None]:
        # GSI reads are eventually consistent: a comment published a moment ago may show up a moment later.
        condition = "GSI1PK = :pk"
        values = {":pk": _s(f"COMMENTS#{challenge}")}
        if after is not None:
            condition += " AND GSI1SK < :after" if newest_first else " AND GSI1SK > :after"
            values[":after"] = _s(f"{after[0]}#{after[1]}")
        rows: list[Comment] = []
        for item in self._query(
            IndexName="GSI1",
            KeyConditionExpression=condition,
            ExpressionAttributeValues=values,
            ScanIndexForward=not newest_first,
            Limit=limit + 1,
        ):
            rows.append(self._comment(item))
            if len(rows) > limit:
                break
        page = rows[:limit]
        cursor = (page[-1].created_at, page[-1].id) if len(rows) > limit else None
        return page, cursor

    def report_comment(self, comment_id: str, reporter: str, reason: str, at: str, hide_at: int) -> ReportResult:
        pk = f"COMMENT#{comment_id}"
        comment = self._get(pk, "C")
        if comment is None:
            raise LookupError(f"comment '{comment_id}' does not exist")
        report = {
            **_key(pk, f"REPORT#{reporter}"),
            "type": _s("report"),
            "comment_id": _s(comment_id),
            "reporter": _s(reporter),
            "reason": _s(reason),
            "created_at": _s(at),
        }
        try:
            self._transact(
                [
                    {"Put": {"Item": report, "ConditionExpression": "attribute_not_exists(PK)"}},
                    {
                        "Update": {
                            "Key": _key(pk, "C"),
                            "UpdateExpression": "ADD #reports :one",
                            "ConditionExpression": "attribute_exists(PK)",
                            "ExpressionAttributeNames": {"#reports": "reports"},
                            "ExpressionAttributeValues": {":one": _n(1)},
                        }
                    },
                ]
            )
        except _Cancelled as cancelled:
            if cancelled.index == 0:
                return ReportResult(new=False, hidden=False)
            raise LookupError(f"comment '{comment_id}' does not exist") from cancelled
        if comment["status"]["S"] != "published":
            return ReportResult(new=True, hidden=False)  # only a published comment is hidden by reports
        # Only one report can move the comment from published to hidden: the condition is checked atomically.
        queue = self._comment_index(comment_id, "", comment["program"]["S"], comment["created_at"]["S"], "hidden")
        hidden = self._update_if(
            Key=_key(pk, "C"),
            UpdateExpression="SET #status = :hidden, GSI2PK = :queue, GSI2SK = :sort REMOVE GSI1PK, GSI1SK",
            ConditionExpression="attribute_exists(PK) AND #status = :published AND #reports >= :hide_at",
            ExpressionAttributeNames={"#status": "status", "#reports": "reports"},
            ExpressionAttributeValues={
                ":hidden": _s("hidden"),
                ":published": _s("published"),
                ":hide_at": _n(hide_at),
                ":queue": queue["GSI2PK"],
                ":sort": queue["GSI2SK"],
            },
        )
        return ReportResult(new=True, hidden=hidden)

    # Proposals
    def add_proposal(self, proposal: Proposal, contact: str | None, contact_expires: int | None) -> None:
        pk = f"PROPOSAL#{proposal.id}"
        item = {
            **_key(pk, "P"),
            "type": _s("proposal"),
            "id": _s(proposal.id),
            "program": _s(proposal.program),
            "title": _s(proposal.title),
            "description": _s(proposal.description),
            "created_at": _s(proposal.created_at),
            "author": _s(proposal.author),
            "status": _s(proposal.status),
        }
        if proposal.theme is not None:
            item["theme"] = _s(proposal.theme)
        if proposal.status == "pending":
            item["GSI2PK"] = _s(f"MODQ#{proposal.program}")
            item["GSI2SK"] = _s(f"{proposal.created_at}#P#{proposal.id}")
        put = {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}
        if contact is None:
            self._put_new(item, f"proposal '{proposal.id}' already exists")
            return
        if contact_expires is None:
            raise ValueError("a contact needs an expiry (contact_expires)")
        contact_item = {
            **_key(pk, "CONTACT"),
            "type": _s("contact"),
            "email_encrypted": _s(contact),
            TTL_ATTRIBUTE: _n(contact_expires),
            "GSI1PK": _s(CONTACT_EXPIRY_PK),
            "GSI1SK": _s(f"{int(contact_expires):012d}#{proposal.id}"),
        }
        try:
            self._transact([put, {"Put": {"Item": contact_item}}])
        except _Cancelled as cancelled:
            raise ValueError(f"proposal '{proposal.id}' already exists") from cancelled

    def get_proposal(self, proposal_id: str) -> Proposal | None:
        # One strongly consistent Query of the proposal's partition returns the proposal and its contact, if any.
        items = {
            item["SK"]["S"]: item
            for item in self._query(
                KeyConditionExpression="PK = :pk",
                ExpressionAttributeValues={":pk": _s(f"PROPOSAL#{proposal_id}")},
                ConsistentRead=True,
            )
        }
        item = items.get("P")
        if item is None:
            return None
        return Proposal(
            id=item["id"]["S"],
            program=item["program"]["S"],
            title=item["title"]["S"],
            description=item["description"]["S"],
            theme=_str(item.get("theme")),
            created_at=item["created_at"]["S"],
            author=item["author"]["S"],
            status=item["status"]["S"],
            # Until purged (or deleted by TTL), like the SQLite store; get_contact is the one that checks the date.
            has_contact="CONTACT" in items,
        )

    def get_contact(self, proposal_id: str, now: int) -> str | None:
        # TTL deletes expired items only eventually (up to days later): the expiry is checked here too.
        item = self._get(f"PROPOSAL#{proposal_id}", "CONTACT")
        if item is None or _int(item.get(TTL_ATTRIBUTE)) <= now:
            return None
        return item["email_encrypted"]["S"]

    # Rate limits
    def count_hit(self, key: str, expires: int) -> int:
        answer = self.client.update_item(
            TableName=self.table,
            Key=_key(f"RL#{key}", "R"),
            UpdateExpression="ADD #n :one SET #expires = if_not_exists(#expires, :expires)",
            ExpressionAttributeNames={"#n": "n", "#expires": TTL_ATTRIBUTE},
            ExpressionAttributeValues={":one": _n(1), ":expires": _n(expires)},
            ReturnValues="UPDATED_NEW",
        )
        return _int(answer["Attributes"]["n"])

    # Housekeeping
    def purge_expired(self, now: int) -> int:
        """Delete the contact emails expired at `now`: a Query of the expiry index, then one DeleteItem each.

        Counters are left to TTL (a window's counter is never read once the window is over). Run this on a
        schedule so that personal data goes on the promised date; TTL alone may take days.
        """
        removed = 0
        for item in list(
            self._query(
                IndexName="GSI1",
                KeyConditionExpression="GSI1PK = :pk AND GSI1SK < :bound",
                ExpressionAttributeValues={":pk": _s(CONTACT_EXPIRY_PK), ":bound": _s(f"{max(now + 1, 0):012d}")},
                ProjectionExpression="PK, SK",
            )
        ):
            try:
                self.client.delete_item(
                    TableName=self.table,
                    Key={"PK": item["PK"], "SK": item["SK"]},
                    ConditionExpression="#expires <= :now",
                    ExpressionAttributeNames={"#expires": TTL_ATTRIBUTE},
                    ExpressionAttributeValues={":now": _n(now)},
                )
                removed += 1
            except ClientError as error:
                # Already gone (TTL or another purge): nothing to do.
                if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise
        return removed

    def ping(self) -> None:
        """A GetItem on a key that never exists: checks reachability, credentials, permission and the table."""
        self.client.get_item(TableName=self.table, Key=_key("PING", "PING"))
