"""The DynamoDB client, wrapped: created lazily, transactions retried on conflicts, botocore's errors turned into
the project's own (kernel/storage.py), like Chalice's TypedAWSClient does for its deployer.

The boto3 client is created on first use (moto patches only clients created after it is active, and a Lambda
container should not pay for it at import). Pass `client` (tests) or `endpoint_url`; otherwise boto3's own
configuration applies, including AWS_ENDPOINT_URL_DYNAMODB and the Lambda runtime's region and credentials.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import threading
import time
from collections.abc import Iterator

from botocore.exceptions import BotoCoreError, ClientError

from ...kernel import usage
from ...kernel.storage import AlreadyExists, StoreUnavailable
from .table import MAX_SHARDS, key, s

# How often a transaction cancelled by a concurrent one (TransactionConflict) is tried, in all.
TRANSACTION_ATTEMPTS = 10
_sleep = time.sleep  # replaced by tests
# Codes of faults that say "not now" rather than "never": the request may be tried again later.
UNAVAILABLE = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "ResourceNotFoundException",
    "TransactionInProgressException",
}


def backoff(attempt: int) -> None:
    """Full jitter, 10 ms doubling up to 320 ms: about 1.6 s at most over all attempts."""
    _sleep(random.uniform(0, 0.01 * 2 ** min(attempt, 5)))


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


# Operations whose consumed capacity is read capacity (the others that report it write).
READ_OPERATIONS = {"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"}


def report_capacity(client) -> None:
    """Have every call of `client` ask for its consumed capacity and add it to the request's usage (kernel/usage.py).

    Through botocore's events, once per client (unique ids). INDEXES rather than TOTAL: the same price (none), and
    the tests' CapacityMeter asks for it too. A call that fails (a failed condition, a cancelled transaction)
    reports nothing: its units are missing from the log line, not invented.
    """
    events = client.meta.events
    events.register("provide-client-params.dynamodb.*", _ask_capacity, unique_id="datacity-ask-capacity")
    events.register("after-call.dynamodb.*", _count_capacity, unique_id="datacity-count-capacity")


def _ask_capacity(params, model, **_) -> None:
    if "ReturnConsumedCapacity" in model.input_shape.members:
        params.setdefault("ReturnConsumedCapacity", "INDEXES")


def _count_capacity(parsed, model, **_) -> None:
    consumed = parsed.get("ConsumedCapacity") if isinstance(parsed, dict) else None
    if not consumed:
        return
    read = write = 0.0
    for entry in consumed if isinstance(consumed, list) else [consumed]:
        if "ReadCapacityUnits" in entry or "WriteCapacityUnits" in entry:
            read += entry.get("ReadCapacityUnits", 0.0)
            write += entry.get("WriteCapacityUnits", 0.0)
        elif model.name in READ_OPERATIONS:
            read += entry.get("CapacityUnits", 0.0)
        else:
            write += entry.get("CapacityUnits", 0.0)
    usage.add(read, write)


def error_code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


def cancellation_codes(error: ClientError) -> list[str]:
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


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """botocore's faults as the store's: throttled, unreachable or missing table is StoreUnavailable."""
    try:
        yield
    except ClientError as error:
        if error_code(error) in UNAVAILABLE:
            raise StoreUnavailable(f"DynamoDB: {error_code(error)}") from error
        raise
    except BotoCoreError as error:
        raise StoreUnavailable(f"DynamoDB: {error}") from error


class Cancelled(Exception):
    """A transaction was cancelled because one of its conditions failed (index of the first failing item)."""

    def __init__(self, index: int):
        super().__init__(index)
        self.index = index


class Table:
    """The table, as the store's rooms use it."""

    def __init__(self, table_name: str, shards: int = 10, client=None, endpoint_url: str | None = None):
        if not 1 <= shards <= MAX_SHARDS:
            raise ValueError(f"shards must be between 1 and {MAX_SHARDS} (one BatchGetItem reads them all)")
        self.table = table_name
        self.shards = shards
        self._client = client
        if client is not None:
            report_capacity(client)
        self._endpoint_url = endpoint_url
        self._client_lock = threading.Lock()

    @property
    def client(self):
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    created = make_client(self._endpoint_url)
                    report_capacity(created)
                    self._client = created
        return self._client

    def _transact(self, items: list[dict]) -> None:
        """Run TransactWriteItems; raise Cancelled if a condition failed; retry when cancelled by a conflict.

        Each attempt gets a fresh ClientRequestToken (botocore fills it in): the SDK's own retries of one attempt
        reuse it, so an attempt that committed but whose answer was lost is not applied twice. A cancelled
        transaction wrote nothing, so trying again with a new token is safe.
        """
        items = [item for item in items if item]
        for item in items:
            next(iter(item.values()))["TableName"] = self.table
        for attempt in range(TRANSACTION_ATTEMPTS):
            try:
                with translated():
                    self.client.transact_write_items(TransactItems=items)
                return
            except ClientError as error:
                if error_code(error) != "TransactionCanceledException":
                    raise
                codes = cancellation_codes(error)
                if "ConditionalCheckFailed" in codes:
                    raise Cancelled(codes.index("ConditionalCheckFailed")) from error
                retryable = {"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"}
                if not retryable.intersection(codes):
                    raise
                if attempt == TRANSACTION_ATTEMPTS - 1:
                    raise StoreUnavailable(f"DynamoDB: transaction cancelled {TRANSACTION_ATTEMPTS} times") from error
            backoff(attempt)

    def _transact_new(self, items: list[dict], what: str) -> None:
        """A transaction whose first item is a new record: AlreadyExists if its key is taken."""
        try:
            self._transact(items)
        except Cancelled as cancelled:
            raise AlreadyExists(what) from cancelled

    def _put_new(self, item: dict) -> bool:
        """PutItem unless the key exists; False if it does."""
        try:
            with translated():
                self.client.put_item(TableName=self.table, Item=item, ConditionExpression="attribute_not_exists(PK)")
            return True
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise

    def _delete_if(self, item_key: dict, **condition) -> bool:
        """DeleteItem if the condition holds; False if it does not (or the item is gone)."""
        try:
            with translated():
                self.client.delete_item(TableName=self.table, Key=item_key, **condition)
            return True
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise

    def _update_if(self, item_key: dict, **update) -> dict | None:
        """UpdateItem if its condition holds: the attributes it returns ({} if none asked); None if it does not."""
        try:
            with translated():
                answer = self.client.update_item(TableName=self.table, Key=item_key, **update)
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return None
            raise
        return answer.get("Attributes", {})

    def _add_new(self, pk: str, sk: str, kind: str, attributes: dict, what: str) -> None:
        """PutItem of a new item of `kind`; AlreadyExists(what) if its key is taken."""
        if not self._put_new({**key(pk, sk), "type": s(kind), **attributes}):
            raise AlreadyExists(what)

    def _get(self, pk: str, sk: str, consistent: bool = True, **kwargs) -> dict | None:
        with translated():
            answer = self.client.get_item(TableName=self.table, Key=key(pk, sk), ConsistentRead=consistent, **kwargs)
        return answer.get("Item")

    def _query(self, **kwargs) -> Iterator[dict]:
        """Every item of a Query, page after page (LastEvaluatedKey)."""
        while True:
            with translated():
                answer = self.client.query(TableName=self.table, **kwargs)
            yield from answer.get("Items", [])
            if "LastEvaluatedKey" not in answer:
                return
            kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def _call(self, operation: str, **kwargs) -> dict:
        """Any other client call on the table, its faults translated."""
        with translated():
            return getattr(self.client, operation)(TableName=self.table, **kwargs)

    # Store-wide operations
    def ping(self) -> None:
        """A GetItem on a key that never exists: checks reachability, credentials, permission and the table."""
        self._get("PING", "PING", consistent=False)
