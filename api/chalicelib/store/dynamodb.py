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

from .base import (
    HIDDEN_BY_REPORTS,
    PROPOSALS_RECEIVED,
    AuditEntry,
    Comment,
    Cursor,
    DuplicateImport,
    ImportBatch,
    OfflineVote,
    Proposal,
    ReportResult,
    Store,
    counter_name,
)

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


# Moderation queues (GSI2, docs/storage.md): pending comments (the original MODQ#<program>), comments reported since
# their last review or hidden by reports, pending proposals. One partition each: a page is one Query, no filter.
def queue_partition(program: str, kind: str) -> str:
    return f"MODQ#{program}" if kind == "pending" else f"MODQ#{program}#{kind}"


# Per-program moderation counters (one item, read with one GetItem) and the audit log (one partition per program,
# sorted by time: the export is a Query of the table, no index).
MODSTATS_SK = "M"
# A TransactWriteItems holds at most 100 items.
MAX_TRANSACTION_ITEMS = 100

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


def _line_of(row, import_id: str) -> int:
    """The import line a row comes from: offline votes' keys and imported comments' authors carry it."""
    if isinstance(row, OfflineVote):
        return int(row.key.rsplit("#", 1)[1])
    return int(row.author.rsplit(":", 1)[1])


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

    def cast_vote(self, challenge: str, voter: str, at: str, receipt: str | None = None) -> bool:
        item = {
            **self._vote_key(challenge, voter),
            "type": _s("vote"),
            "challenge": _s(challenge),
            "voter": _s(voter),
            "created_at": _s(at),
        }
        if receipt is not None:
            # Part of the vote item: written with it in the same transaction, once (docs/staff.md, "Vote log").
            item["receipt"] = _s(receipt)
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

    def vote_receipts(self, challenge: str) -> list[tuple[str, str | None]]:
        """One strongly consistent Query per shard partition, like vote_records (staff export only)."""
        found: list[tuple[str, str | None]] = []
        for shard in range(self.shards):
            for item in self._query(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :vote)",
                ExpressionAttributeValues={":pk": _s(self._partition(challenge, shard)), ":vote": _s(VOTE_PREFIX)},
                ProjectionExpression="#voter, #receipt",
                ExpressionAttributeNames={"#voter": "voter", "#receipt": "receipt"},
                ConsistentRead=True,
            ):
                found.append((item["voter"]["S"], _str(item.get("receipt"))))
        return sorted(found)

    # Offline votes: PK OFFLINE#<challenge>, SK #TALLY (one counter attribute per channel) or I#<import id>#<line>.
    def offline_tally(self, challenge: str) -> dict[str, int]:
        item = self._get(f"OFFLINE#{challenge}", TALLY_SK) or {}
        return {name: _int(value) for name, value in item.items() if name not in ("PK", "SK", "type")}

    def offline_entries(self, challenge: str) -> list[tuple[str, str]]:
        return [
            (item["channel"]["S"], item["entry"]["S"])
            for item in self._query(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :vote)",
                ExpressionAttributeValues={":pk": _s(f"OFFLINE#{challenge}"), ":vote": _s("I#")},
                ProjectionExpression="#channel, #entry",
                ExpressionAttributeNames={"#channel": "channel", "#entry": "entry"},
                ConsistentRead=True,
            )
        ]

    # Comments
    @staticmethod
    def _comment_index(
        comment_id: str, challenge: str, program: str, created_at: str, status: str, reports: int, reason: str | None
    ) -> dict:
        """The sparse index keys of a comment in this state (docs/storage.md):

        GSI1 (the public listing) while published; GSI2 (a moderation queue) while pending, while published with
        reports since its last review, or while hidden by reports. Hidden or rejected by staff: no index.
        """
        sort = _s(f"{created_at}#{comment_id}")
        keys = {}
        if status == "published":
            keys.update({"GSI1PK": _s(f"COMMENTS#{challenge}"), "GSI1SK": sort})
        if status == "pending":
            keys.update({"GSI2PK": _s(queue_partition(program, "pending")), "GSI2SK": sort})
        elif (status == "published" and reports > 0) or (
            status == "hidden" and (reason or HIDDEN_BY_REPORTS) == HIDDEN_BY_REPORTS
        ):
            keys.update({"GSI2PK": _s(queue_partition(program, "reported")), "GSI2SK": sort})
        return keys

    def _comment_item(self, comment: Comment) -> dict:
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
            **self._comment_index(
                comment.id,
                comment.challenge,
                comment.program,
                comment.created_at,
                comment.status,
                comment.reports,
                comment.reason,
            ),
        }
        if comment.display_name is not None:
            item["display_name"] = _s(comment.display_name)
        if comment.reason is not None:
            item["reason"] = _s(comment.reason)
        if comment.channel != "online":
            item["channel"] = _s(comment.channel)
        return item

    @staticmethod
    def _counters_update(program: str, delta: dict[str, int]) -> dict | None:
        """The transaction item adding `delta` to the program's moderation counters (None if nothing changes)."""
        changes = [(name, value) for name, value in sorted(delta.items()) if value]
        if not changes:
            return None
        return {
            "Update": {
                "Key": _key(f"MODSTATS#{program}", MODSTATS_SK),
                "UpdateExpression": "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(changes))),
                "ExpressionAttributeNames": {f"#c{i}": name for i, (name, _) in enumerate(changes)},
                "ExpressionAttributeValues": {f":c{i}": _n(value) for i, (_, value) in enumerate(changes)},
            }
        }

    @staticmethod
    def _audit_put(entry: AuditEntry) -> dict:
        """Put of one audit entry, only if its key is new: an entry is never replaced (nor updated, nor deleted)."""
        item = {
            **_key(f"AUDIT#{entry.program}", f"{entry.at}#{entry.id}"),
            "type": _s("audit"),
            "id": _s(entry.id),
            "at": _s(entry.at),
            "actor_token": _s(entry.actor_token),
            "actor_name": _s(entry.actor_name),
            "program": _s(entry.program),
            "action": _s(entry.action),
            "target": _s(entry.target),
        }
        if entry.reason is not None:
            item["reason"] = _s(entry.reason)
        if entry.note is not None:
            item["note"] = _s(entry.note)
        return {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}

    def add_comment(self, comment: Comment) -> None:
        """One TransactWriteItems: the comment (if its id is new) and the program's moderation counter."""
        put = {"Put": {"Item": self._comment_item(comment), "ConditionExpression": "attribute_not_exists(PK)"}}
        counter = counter_name(comment.status, comment.reason)
        counters = self._counters_update(comment.program, {counter: 1}) if counter else None
        try:
            self._transact([put, counters] if counters else [put])
        except _Cancelled as cancelled:
            raise ValueError(f"comment '{comment.id}' already exists") from cancelled

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
            reason=_str(item.get("reason")),
            channel=_str(item.get("channel")) or "online",
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
        """The report and the comment's count in one transaction (a published comment joins the reported queue),
        then, at the threshold, the hiding and the program's counters in another."""
        pk = f"COMMENT#{comment_id}"
        report = {
            **_key(pk, f"REPORT#{reporter}"),
            "type": _s("report"),
            "comment_id": _s(comment_id),
            "reporter": _s(reporter),
            "reason": _s(reason),
            "created_at": _s(at),
        }
        for _attempt in range(TRANSACTION_ATTEMPTS):
            comment = self._get(pk, "C")
            if comment is None:
                raise LookupError(f"comment '{comment_id}' does not exist")
            status = comment["status"]["S"]
            update = {
                "Key": _key(pk, "C"),
                "UpdateExpression": "ADD #reports :one",
                # The status read above decides the index keys: a concurrent decision makes this try again.
                "ConditionExpression": "attribute_exists(PK) AND #status = :seen",
                "ExpressionAttributeNames": {"#reports": "reports", "#status": "status"},
                "ExpressionAttributeValues": {":one": _n(1), ":seen": _s(status)},
            }
            if status == "published":
                queue = self._comment_index(
                    comment_id, "", comment["program"]["S"], comment["created_at"]["S"], "published", 1, None
                )
                update["UpdateExpression"] += " SET GSI2PK = :queue, GSI2SK = :sort"
                update["ExpressionAttributeValues"].update({":queue": queue["GSI2PK"], ":sort": queue["GSI2SK"]})
            try:
                self._transact(
                    [{"Put": {"Item": report, "ConditionExpression": "attribute_not_exists(PK)"}}, {"Update": update}]
                )
                break
            except _Cancelled as cancelled:
                if cancelled.index == 0:
                    return ReportResult(new=False, hidden=False)
        else:
            raise RuntimeError(f"the comment '{comment_id}' kept changing while being reported")
        if status != "published":
            return ReportResult(new=True, hidden=False)  # only a published comment is hidden by reports
        # A strongly consistent read (1 read unit) says whether the threshold is reached: cheaper than a hiding
        # transaction cancelled by its condition on every report below the threshold. The last report to land sees
        # the final count, so the threshold is never missed; the condition below still decides who hides it.
        now = self.client.get_item(
            TableName=self.table,
            Key=_key(pk, "C"),
            ConsistentRead=True,
            ProjectionExpression="#status, #reports",
            ExpressionAttributeNames={"#status": "status", "#reports": "reports"},
        ).get("Item", {})
        if _str(now.get("status")) != "published" or _int(now.get("reports")) < hide_at:
            return ReportResult(new=True, hidden=False)
        # Only one report can move the comment from published to hidden: the condition is checked atomically. It
        # stays in the reported queue (GSI2) for staff to restore or reject; the counters move in the same transaction.
        try:
            self._transact(
                [
                    {
                        "Update": {
                            "Key": _key(pk, "C"),
                            "UpdateExpression": "SET #status = :hidden, #reason = :by_reports REMOVE GSI1PK, GSI1SK",
                            "ConditionExpression": "attribute_exists(PK) AND #status = :published"
                            " AND #reports >= :hide_at",
                            "ExpressionAttributeNames": {
                                "#status": "status",
                                "#reports": "reports",
                                "#reason": "reason",
                            },
                            "ExpressionAttributeValues": {
                                ":hidden": _s("hidden"),
                                ":published": _s("published"),
                                ":hide_at": _n(hide_at),
                                ":by_reports": _s(HIDDEN_BY_REPORTS),
                            },
                        }
                    },
                    self._counters_update(comment["program"]["S"], {"published": -1, f"hidden:{HIDDEN_BY_REPORTS}": 1}),
                ]
            )
        except _Cancelled:
            return ReportResult(new=True, hidden=False)
        return ReportResult(new=True, hidden=True)

    # Moderation
    def moderation_queue(
        self, program: str, kind: str, limit: int, after: Cursor | None
    ) -> tuple[list[Comment] | list[Proposal], Cursor | None]:
        """One Query of the queue's GSI2 partition, oldest first, `limit` + 1 items (eventually consistent)."""
        if kind not in ("pending", "reported", "proposals"):
            raise ValueError(f"unknown queue '{kind}'")
        condition = "GSI2PK = :pk"
        values = {":pk": _s(queue_partition(program, kind))}
        if after is not None:
            condition += " AND GSI2SK > :after"
            values[":after"] = _s(f"{after[0]}#{after[1]}")
        query = {
            "IndexName": "GSI2",
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": True,
            "Limit": limit + 1,
        }
        if kind == "pending":
            # Tables written before the queues were split also hold pending proposals and hidden comments in
            # MODQ#<program>: leave them out (they are none in a table created since).
            query["FilterExpression"] = "#type = :comment AND #status = :pending"
            query["ExpressionAttributeNames"] = {"#type": "type", "#status": "status"}
            values.update({":comment": _s("comment"), ":pending": _s("pending")})
        found: list = []
        for item in self._query(**query):
            found.append(self._proposal(item, False) if kind == "proposals" else self._comment(item))
            if len(found) > limit:
                break
        page = found[:limit]
        cursor = (page[-1].created_at, page[-1].id) if len(found) > limit else None
        return page, cursor

    def decide_comment(
        self, seen: Comment, status: str, reason: str | None, delta: dict[str, int], audit: AuditEntry
    ) -> bool:
        """One TransactWriteItems: the comment (conditional on its status), the counters, the audit entry."""
        reports = 0 if status == "published" else seen.reports
        keys = self._comment_index(seen.id, seen.challenge, seen.program, seen.created_at, status, reports, reason)
        names = {"#status": "status", "#reason": "reason"}
        values = {":new": _s(status), ":seen": _s(seen.status)}
        sets = ["#status = :new"]
        removes = [name for name in ("GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK") if name not in keys]
        for name, value in keys.items():
            sets.append(f"{name} = :{name}")
            values[f":{name}"] = value
        if reason is None:
            removes.append("#reason")
        else:
            sets.append("#reason = :reason")
            values[":reason"] = _s(reason)
        condition = "attribute_exists(PK) AND #status = :seen"
        if status == "published":
            sets.append("#reports = :zero")
            names["#reports"] = "reports"
            values[":zero"] = _n(0)
            if seen.status == "published":
                condition += " AND #reports > :zero"  # approving a reported comment: still reported
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        update = {
            "Update": {
                "Key": _key(f"COMMENT#{seen.id}", "C"),
                "UpdateExpression": expression,
                "ConditionExpression": condition,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }
        return self._decide(update, seen.program, delta, audit)

    def _decide(self, update: dict, program: str, delta: dict[str, int], audit: AuditEntry) -> bool:
        counters = self._counters_update(program, delta)
        items = [update, *([counters] if counters else []), self._audit_put(audit)]
        try:
            self._transact(items)
        except _Cancelled as cancelled:
            if cancelled.index == 0:
                return False
            raise ValueError(f"audit entry '{audit.id}' already exists") from cancelled
        return True

    def decide_proposal(
        self, seen: Proposal, status: str, reason: str | None, delta: dict[str, int], audit: AuditEntry
    ) -> bool:
        values = {":new": _s(status), ":seen": _s(seen.status)}
        expression = "SET #status = :new"
        if reason is not None:
            expression += ", #reason = :reason"
            values[":reason"] = _s(reason)
        # Decided: out of the pending proposals' queue.
        expression += " REMOVE GSI2PK, GSI2SK"
        update = {
            "Update": {
                "Key": _key(f"PROPOSAL#{seen.id}", "P"),
                "UpdateExpression": expression,
                "ConditionExpression": "attribute_exists(PK) AND #status = :seen",
                "ExpressionAttributeNames": {"#status": "status", **({"#reason": "reason"} if reason else {})},
                "ExpressionAttributeValues": values,
            }
        }
        return self._decide(update, seen.program, delta, audit)

    def moderation_counters(self, program: str) -> dict[str, int]:
        """One strongly consistent GetItem of MODSTATS#<program>."""
        item = self._get(f"MODSTATS#{program}", MODSTATS_SK) or {}
        return {name: _int(value) for name, value in item.items() if name not in ("PK", "SK", "type")}

    # Audit log: PK AUDIT#<program>, SK <at>#<id>; only ever Put with attribute_not_exists(PK).
    def add_audit(self, entry: AuditEntry) -> None:
        try:
            self._transact([self._audit_put(entry)])
        except _Cancelled as cancelled:
            raise ValueError(f"audit entry '{entry.id}' already exists") from cancelled

    def audit_entries(self, program: str, limit: int, after: Cursor | None) -> tuple[list[AuditEntry], Cursor | None]:
        condition = "PK = :pk"
        values = {":pk": _s(f"AUDIT#{program}")}
        if after is not None:
            condition += " AND SK > :after"
            values[":after"] = _s(f"{after[0]}#{after[1]}")
        found: list[AuditEntry] = []
        for item in self._query(
            KeyConditionExpression=condition,
            ExpressionAttributeValues=values,
            ScanIndexForward=True,
            ConsistentRead=True,
            Limit=limit + 1,
        ):
            found.append(
                AuditEntry(
                    id=item["id"]["S"],
                    at=item["at"]["S"],
                    actor_token=item["actor_token"]["S"],
                    actor_name=item["actor_name"]["S"],
                    program=item["program"]["S"],
                    action=item["action"]["S"],
                    target=item["target"]["S"],
                    reason=_str(item.get("reason")),
                    note=_str(item.get("note")),
                )
            )
            if len(found) > limit:
                break
        page = found[:limit]
        cursor = (page[-1].at, page[-1].id) if len(found) > limit else None
        return page, cursor

    # Offline imports
    def import_offline(self, batch: ImportBatch) -> None:
        """Write an import in transactions of at most 100 items, resumable (docs/storage.md, "Offline imports").

        The import's item IMPORT#<program> / <digest> records how many rows are written (`done`); each chunk's
        transaction writes its rows, their counters and `done` (condition: `done` is still where the chunk
        starts), so a chunk is written once, and a retry after a failure continues where the last chunk ended. The
        last transaction marks the import complete and adds its audit entry.
        """
        pk, sk = f"IMPORT#{batch.program}", batch.digest
        record = self._start_import(batch, pk, sk)
        rows = sorted(
            [(vote.key, vote) for vote in batch.votes] + [(f"{c.created_at}#{c.id}", c) for c in batch.comments],
            key=lambda pair: _line_of(pair[1], batch.import_id),
        )
        done = _int(record.get("done"))
        while done < len(rows):
            end, items = self._import_chunk(batch, rows, done)
            items.append(
                {
                    "Update": {
                        "Key": _key(pk, sk),
                        "UpdateExpression": "SET #done = :end",
                        "ConditionExpression": "#done = :start AND #status = :started",
                        "ExpressionAttributeNames": {"#done": "done", "#status": "status"},
                        "ExpressionAttributeValues": {
                            ":end": _n(end),
                            ":start": _n(done),
                            ":started": _s("started"),
                        },
                    }
                }
            )
            try:
                self._transact(items)
            except _Cancelled:
                # Another attempt of the same import moved on (or a row exists already): read where it stands.
                record = self._get(pk, sk) or {}
                if record.get("status", {}).get("S") == "complete":
                    raise DuplicateImport(batch.digest) from None
                if _int(record.get("done")) <= done:
                    raise
                end = _int(record.get("done"))
            done = end
        try:
            self._transact(
                [
                    {
                        "Update": {
                            "Key": _key(pk, sk),
                            "UpdateExpression": "SET #status = :complete",
                            "ConditionExpression": "#status = :started AND #done = :total",
                            "ExpressionAttributeNames": {"#status": "status", "#done": "done"},
                            "ExpressionAttributeValues": {
                                ":complete": _s("complete"),
                                ":started": _s("started"),
                                ":total": _n(len(rows)),
                            },
                        }
                    },
                    self._audit_put(batch.audit),
                ]
            )
        except _Cancelled as cancelled:
            raise DuplicateImport(batch.digest) from cancelled

    def _start_import(self, batch: ImportBatch, pk: str, sk: str) -> dict:
        """The import's record: created now, or an unfinished one with the same rows (a retry completes it)."""
        item = {
            **_key(pk, sk),
            "type": _s("import"),
            "import_id": _s(batch.import_id),
            "source": _s(batch.source),
            "rows_sha256": _s(batch.rows_sha256),
            "at": _s(batch.at),
            "status": _s("started"),
            "done": _n(0),
        }
        try:
            self.client.put_item(TableName=self.table, Item=item, ConditionExpression="attribute_not_exists(PK)")
            return item
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
        record = self._get(pk, sk) or {}
        if record.get("status", {}).get("S") != "started" or _str(record.get("rows_sha256")) != batch.rows_sha256:
            raise DuplicateImport(batch.digest)
        return record

    def _import_chunk(self, batch: ImportBatch, rows: list, start: int) -> tuple[int, list[dict]]:
        """The rows from `start` that fit in one transaction with their counters and the import's item."""
        puts: list[dict] = []
        offline: dict[str, dict[str, int]] = {}
        published = 0
        end = start
        while end < len(rows):
            _, row = rows[end]
            challenge_counters = dict(offline)
            if isinstance(row, OfflineVote):
                per_channel = dict(challenge_counters.get(row.challenge, {}))
                per_channel[row.channel] = per_channel.get(row.channel, 0) + 1
                challenge_counters[row.challenge] = per_channel
                adds_published = 0
            else:
                adds_published = 1
            size = len(puts) + 1 + len(challenge_counters) + (1 if published + adds_published else 0) + 1
            if size > MAX_TRANSACTION_ITEMS:
                break
            offline = challenge_counters
            published += adds_published
            puts.append(self._import_put(row, batch.import_id))
            end += 1
        items = list(puts)
        for challenge, per_channel in sorted(offline.items()):
            changes = sorted(per_channel.items())
            items.append(
                {
                    "Update": {
                        "Key": _key(f"OFFLINE#{challenge}", TALLY_SK),
                        "UpdateExpression": "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(changes))),
                        "ExpressionAttributeNames": {f"#c{i}": name for i, (name, _) in enumerate(changes)},
                        "ExpressionAttributeValues": {f":c{i}": _n(n) for i, (_, n) in enumerate(changes)},
                    }
                }
            )
        if published:
            items.append(self._counters_update(batch.program, {"published": published}))
        return end, items

    def _import_put(self, row, import_id: str) -> dict:
        if isinstance(row, OfflineVote):
            item = {
                **_key(f"OFFLINE#{row.challenge}", f"I#{row.key}"),
                "type": _s("offline-vote"),
                "challenge": _s(row.challenge),
                "channel": _s(row.channel),
                "entry": _s(row.entry),
                "collected_on": _s(row.collected_on),
                "import_id": _s(import_id),
            }
        else:
            item = self._comment_item(row)
        return {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}

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
            item["GSI2PK"] = _s(queue_partition(proposal.program, "proposals"))
            item["GSI2SK"] = _s(f"{proposal.created_at}#{proposal.id}")
        put = {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}
        counters = self._counters_update(proposal.program, {PROPOSALS_RECEIVED: 1})
        if contact is None:
            try:
                self._transact([put, counters])
            except _Cancelled as cancelled:
                raise ValueError(f"proposal '{proposal.id}' already exists") from cancelled
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
            self._transact([put, {"Put": {"Item": contact_item}}, counters])
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
        # Until purged (or deleted by TTL), like the SQLite store; get_contact is the one that checks the date.
        return self._proposal(item, "CONTACT" in items)

    @staticmethod
    def _proposal(item: dict, has_contact: bool) -> Proposal:
        return Proposal(
            id=item["id"]["S"],
            program=item["program"]["S"],
            title=item["title"]["S"],
            description=item["description"]["S"],
            theme=_str(item.get("theme")),
            created_at=item["created_at"]["S"],
            author=item["author"]["S"],
            status=item["status"]["S"],
            has_contact=has_contact,
            reason=_str(item.get("reason")),
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
