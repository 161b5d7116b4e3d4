"""The table's design (docs/storage.md): its keys and indexes, its TTL attribute, and how values are typed.

infra/package.py reads TABLE_DEFINITION and TTL_ATTRIBUTE for the CloudFormation template, so code and
infrastructure cannot drift. No boto3 here: values are the low-level client's typed attributes.
"""

from __future__ import annotations

import hashlib
from typing import Any

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

# Votes and tally shards: PK VOTES#<challenge>#<shard>, SK V#<voter> or #TALLY.
VOTE_PREFIX = "V#"
TALLY_SK = "#TALLY"  # "#" sorts before "V": the counter comes first in its partition
# A challenge's sharding (votes/store.py Sharding), once it has been changed: PK SHARDS#<challenge>, SK S.
SHARDING_PREFIX = "SHARDS#"
SHARDING_SK = "S"
# A tally read is one BatchGetItem, which takes 100 keys at most.
MAX_SHARDS = 100
# Per-program moderation counters: one item, read with one GetItem.
MODSTATS_SK = "M"
# A TransactWriteItems holds at most 100 items.
MAX_TRANSACTION_ITEMS = 100


def create_table(client, table_name: str) -> None:
    """Create the table (TABLE_DEFINITION), wait until it is active and turn TTL on `expires_at`."""
    client.create_table(TableName=table_name, **TABLE_DEFINITION)
    client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    client.update_time_to_live(
        TableName=table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE}
    )


def shard_of(voter: str, shards: int) -> int:
    """The shard a voter's vote is stored and counted in: always the same one for a given number of shards.

    The shard is part of the vote's key, so the "one vote per voter" condition holds only while `shards` stays the
    same: never change TALLY_SHARDS while a challenge is open (docs/storage.md, "Changing TALLY_SHARDS").
    """
    return int.from_bytes(hashlib.sha256(voter.encode("utf-8")).digest(), "big") % shards


def vote_partition(challenge: str, shard: int) -> str:
    """A vote item and its tally shard share one partition."""
    return f"VOTES#{challenge}#{shard}"


def queue_partition(program: str, queue: str) -> str:
    """The GSI2 partition of a moderation queue: one partition per queue, so a page is one Query, no filter."""
    return f"MODQ#{program}" if queue == "pending" else f"MODQ#{program}#{queue}"


def queue_of_partition(program: str, partition: str | None) -> str | None:
    """The queue a comment's GSI2 partition says it waits in."""
    if partition is None:
        return None
    if partition == f"MODQ#{program}":
        return "pending"
    return partition.rsplit("#", 1)[1]


# Typed attribute values (the low-level client: numbers travel as strings, never as Decimal).
def s(value: str) -> dict:
    return {"S": value}


def n(value: int) -> dict:
    return {"N": str(int(value))}


def as_int(attribute: dict | None) -> int:
    return int(attribute["N"]) if attribute else 0


def as_str(attribute: dict | None) -> str | None:
    return attribute["S"] if attribute and "S" in attribute else None


def strings(record: object, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    """The record's fields as string attributes; an optional one is left out while it is None."""
    found = {name: s(getattr(record, name)) for name in required}
    found.update({name: s(getattr(record, name)) for name in optional if getattr(record, name) is not None})
    return found


def read_strings(item: dict, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    """The item's string attributes by name (an optional one missing is None), to build a record with."""
    return {**{name: item[name]["S"] for name in required}, **{name: as_str(item.get(name)) for name in optional}}


def expiring_attributes(record: object, texts: tuple[str, ...], numbers: tuple[str, ...] = ()) -> dict:
    """A record's `texts` as string attributes, its `numbers` as numbers, and its `expires_at` as the TTL attribute."""
    return {
        **{name: s(getattr(record, name)) for name in texts},
        **{name: n(getattr(record, name)) for name in numbers},
        TTL_ATTRIBUTE: n(record.expires_at),
    }


def expiring_fields(
    item: dict, texts: tuple[str, ...], numbers: tuple[str, ...] = (), defaults: dict | None = None
) -> dict:
    """The fields expiring_attributes wrote, to build the record with: a text missing (or empty) is its default ("" if
    none is given), a number missing is 0."""
    return {
        **{name: as_str(item.get(name)) or (defaults or {}).get(name, "") for name in texts},
        **{name: as_int(item.get(name)) for name in numbers},
        "expires_at": as_int(item.get(TTL_ATTRIBUTE)),
    }


def key(pk: str, sk: str) -> dict:
    return {"PK": s(pk), "SK": s(sk)}


def add_counters(item_key: dict, counters: dict[str, int]) -> dict | None:
    """The transaction item adding `counters` to one counters item (None if nothing changes)."""
    changes = [(name, value) for name, value in sorted(counters.items()) if value]
    if not changes:
        return None
    return {
        "Update": {
            "Key": item_key,
            "UpdateExpression": "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(changes))),
            "ExpressionAttributeNames": {f"#c{i}": name for i, (name, _) in enumerate(changes)},
            "ExpressionAttributeValues": {f":c{i}": n(value) for i, (_, value) in enumerate(changes)},
        }
    }


def moderation_counters_update(program: str, counters: dict[str, int]) -> dict | None:
    return add_counters(key(f"MODSTATS#{program}", MODSTATS_SK), counters)


def counters_of(item: dict | None) -> dict[str, int]:
    """The counters an item holds (every attribute but its key and type)."""
    return {name: as_int(value) for name, value in (item or {}).items() if name not in ("PK", "SK", "type")}


def new_item(item: dict) -> dict:
    """A Put of an item, only if its key is new."""
    return {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}
