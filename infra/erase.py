"""Erase one voter's data from the DynamoDB table (GDPR right to erasure), then prove nothing of it is left.

The voter gives their token: the value of the `dc_voter` cookie (22 characters; the privacy page explains where to
find it). The store never saw the token, only voter_key = HMAC-SHA256(hash_key, "voter:" + token) (first 40 hex
characters, api/chalicelib/identity/rules.py), so the token and the server's hash_key together find the voter's items:

    python -m infra.erase --table datacity-prod --secret-id datacity/prod --token <cookie value> [--dry-run]
    python -m infra.erase --table datacity-prod --voter-key <40 hex>      # when the key is already known

What it does, in this order:
1. votes (type "vote", voter = key): withdrawn through the store (DynamoDBStore.withdraw_vote), so each tally
   shard is decremented in the same transaction; this changes the counts of closed consultations too;
2. comments written by the voter (type "comment", author = key): deleted with the reports made on them;
3. proposals made by the voter (type "proposal", author = key): deleted with their contact email;
4. reports made by the voter (type "report", reporter = key): deleted (the comment's report count is kept: it
   names no one);
5. any other item containing the key (rate-limit counters, whose keys embed it): deleted;
6. proof: a full, strongly consistent Scan finds no item in which the key appears anywhere, and says so.

Needs credentials allowed to Scan, Query, DeleteItem, UpdateItem and TransactWriteItems on the table (an operator's,
not the API's role, which has no Scan). A Scan reads the whole table: about 1 read unit per 8 KB, so cents for
millions of items. Point-in-time backups keep erased data until they age out (35 days): see docs/operations.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _api():
    api = str(ROOT / "api")
    if api not in sys.path:
        sys.path.insert(0, api)
    from chalicelib.adapters.dynamodb import DynamoDBStore
    from chalicelib.identity import rules as identity

    return identity, DynamoDBStore


def voter_key(hash_key: bytes, token: str) -> str:
    """The key the store knows the voter by, computed exactly as the API does."""
    identity, _ = _api()
    participant = identity.resolve(hash_key, f"{identity.COOKIE_NAME}={token}", "", create=False)
    if participant is None:
        raise ValueError("not a voter token: expected the 22-character value of the dc_voter cookie")
    return participant.voter_key


@dataclass
class Report:
    voter_key: str
    dry_run: bool
    votes_withdrawn: list[str] = field(default_factory=list)  # challenge ids
    comments_deleted: list[str] = field(default_factory=list)
    proposals_deleted: list[str] = field(default_factory=list)
    reports_deleted: int = 0
    other_items_deleted: int = 0
    related_items_deleted: int = 0  # reports on deleted comments, contacts of deleted proposals
    remaining: int = -1  # items still containing the key after erasure (0 = proven gone); -1 = not checked

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _strings(value) -> list[str]:
    """Every string inside a DynamoDB attribute value (S, SS, L, M...)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _contains(item: dict, key: str) -> bool:
    return any(key in text for text in _strings(item))


def _s(item: dict, name: str) -> str | None:
    value = item.get(name)
    return value.get("S") if isinstance(value, dict) else None


def scan(client, table: str):
    """Every item of the table, strongly consistent, page after page."""
    kwargs = {"TableName": table, "ConsistentRead": True}
    while True:
        page = client.scan(**kwargs)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _key_names(client, table: str) -> list[str]:
    return [k["AttributeName"] for k in client.describe_table(TableName=table)["Table"]["KeySchema"]]


def _collection(client, table: str, hash_name: str, hash_value: dict) -> list[dict]:
    items, kwargs = (
        [],
        {
            "TableName": table,
            "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": hash_name},
            "ExpressionAttributeValues": {":pk": hash_value},
            "ConsistentRead": True,
        },
    )
    while True:
        page = client.query(**kwargs)
        items += page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def erase(client, table: str, key: str, shards: int, dry_run: bool = False) -> Report:
    _, DynamoDBStore = _api()
    store = DynamoDBStore(table, shards=shards, client=client)
    names = _key_names(client, table)
    report = Report(voter_key=key, dry_run=dry_run)
    found = [item for item in scan(client, table) if _contains(item, key)]

    def delete(item: dict) -> None:
        if not dry_run:
            client.delete_item(TableName=table, Key={name: item[name] for name in names})

    # 1. Votes, through the store: the vote and its tally shard change together.
    for item in found:
        if _s(item, "type") == "vote" and _s(item, "voter") == key:
            challenge = _s(item, "challenge")
            if not dry_run and not store.withdraw_vote(challenge, key):
                raise RuntimeError(
                    f"the vote on '{challenge}' exists but withdraw_vote found none: is --shards ({shards}) the "
                    "deployed TALLY_SHARDS? Nothing else was deleted for this vote."
                )
            report.votes_withdrawn.append(challenge)
    # 2-3. Comments and proposals the voter wrote, with what hangs on them (same partition).
    for item in found:
        kind, own_id = _s(item, "type"), _s(item, "id")
        if kind not in ("comment", "proposal") or _s(item, "author") != key:
            continue
        for other in _collection(client, table, names[0], item[names[0]]):
            other_kind = _s(other, "type")
            if other_kind == kind and _s(other, "id") == own_id:
                delete(other)
            elif (kind == "comment" and other_kind == "report" and _s(other, "comment_id") == own_id) or (
                kind == "proposal" and other_kind == "contact"
            ):
                delete(other)
                report.related_items_deleted += 1
        (report.comments_deleted if kind == "comment" else report.proposals_deleted).append(own_id)
    # 4-5. Reports the voter made, and anything else still carrying the key (rate-limit counters...).
    for item in found:
        kind = _s(item, "type")
        if kind == "vote" and _s(item, "voter") == key:
            continue
        if kind in ("comment", "proposal") and _s(item, "author") == key:
            continue
        delete(item)
        if kind == "report" and _s(item, "reporter") == key:
            report.reports_deleted += 1
        else:
            report.other_items_deleted += 1
    # 6. Proof.
    report.remaining = sum(1 for item in scan(client, table) if _contains(item, key))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", required=True)
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--token", help="the dc_voter cookie value the voter gave")
    who.add_argument("--voter-key", help="the 40-hex-character key, if already computed")
    keys = parser.add_mutually_exclusive_group()
    keys.add_argument("--secret-id", help="Secrets Manager secret holding the keys (with --token)")
    keys.add_argument("--keys-file", type=Path, help="a JSON file holding the keys (with --token)")
    parser.add_argument("--shards", type=int, help="the deployed TALLY_SHARDS (default: api/chalicelib/settings.py)")
    parser.add_argument("--region")
    parser.add_argument("--endpoint-url", help="DynamoDB endpoint (tests, DynamoDB Local)")
    parser.add_argument("--dry-run", action="store_true", help="report what would be erased; change nothing")
    args = parser.parse_args(argv)

    import boto3

    session = boto3.session.Session(region_name=args.region)
    key = args.voter_key
    if args.token:
        if args.keys_file:
            text = args.keys_file.read_text(encoding="utf-8")
        elif args.secret_id:
            text = session.client("secretsmanager").get_secret_value(SecretId=args.secret_id)["SecretString"]
        else:
            parser.error("--token needs --secret-id or --keys-file")
        sys.path.insert(0, str(ROOT / "api"))
        from chalicelib.kernel.keys import Keys

        key = voter_key(Keys.from_json(text).hash_key, args.token)
    shards = args.shards
    if shards is None:
        sys.path.insert(0, str(ROOT / "api"))
        from chalicelib.settings import DEFAULTS

        shards = int(DEFAULTS["TALLY_SHARDS"])
    client = session.client("dynamodb", endpoint_url=args.endpoint_url)
    report = erase(client, args.table, key, shards, dry_run=args.dry_run)
    print(json.dumps(report.as_dict(), indent=2))
    if args.dry_run:
        return 0
    if report.remaining:
        print(f"NOT ERASED: {report.remaining} item(s) still contain the voter key", file=sys.stderr)
        return 1
    print("Erased: a full scan finds no item containing the voter key.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
