"""Exports of any size: 200,000 votes on one challenge in DynamoDB Local, exported through the API in answers that
each stay far under Lambda's 6 MB (the vote log in pages with a cursor; the results document holds counts).

The votes are written straight into the table with BatchWriteItem, as the store writes them (the vote item and its
shard counters), so that seeding takes well under a minute instead of 200,000 transactions. Runs in `make test`.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.adapters.dynamodb import DynamoDBStore
from chalicelib.adapters.dynamodb.table import TALLY_SK, VOTE_PREFIX, key, n, s, shard_of, vote_partition
from chalicelib.votes import receipts

from .conftest import serve_api
from .test_staff import AFTER, Staff, new_token

VOTES = 200_000
SHARDS = 10
LAMBDA_ANSWER_LIMIT = 6 * 1024 * 1024
AT = "2026-11-26T12:00:00.000000+00:00"

pytestmark = pytest.mark.large


def seed(client, table: str, challenge: str, hash_key: bytes) -> list[str]:
    """VOTES votes on `challenge` as cast_vote writes them, and their shards' counters; the receipts written."""
    salt = receipts.salt(hash_key, challenge)
    voters = [f"{i:040x}" for i in range(VOTES)]
    written = [receipts.receipt(salt, f"token-{i:018d}") for i in range(VOTES)]
    per_shard = [0] * SHARDS
    items = []
    for voter, receipt in zip(voters, written, strict=True):
        shard = shard_of(voter, SHARDS)
        per_shard[shard] += 1
        items.append(
            {
                **key(vote_partition(challenge, shard), f"{VOTE_PREFIX}{voter}"),
                "type": s("vote"),
                "challenge": s(challenge),
                "voter": s(voter),
                "created_at": s(AT),
                "receipt": s(receipt),
            }
        )
    items += [{**key(vote_partition(challenge, i), TALLY_SK), "n": n(per_shard[i])} for i in range(SHARDS)]

    def write(start: int) -> None:
        request = {table: [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]}
        while request:
            request = client.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(0, len(items), 25)))
    return written


@pytest.fixture
def large(dynamodb_local, tmp_path):
    table = dynamodb_local.new_table()
    store = DynamoDBStore(table, shards=SHARDS, client=dynamodb_local.client)
    try:
        for api in serve_api(store, tmp_path):
            yield api, table, dynamodb_local.client
    finally:
        dynamodb_local.drop_table(table)


def test_200000_votes_on_one_challenge_export_in_answers_under_lambdas_limit(large):
    api, table, client = large
    started = time.monotonic()
    written = seed(client, table, "leaks", api.service.keys.hash_key)
    seeded = time.monotonic() - started
    assert api.service.store.tally("leaks") == VOTES
    token, _ = new_token(api, ["live-post"])
    staff = Staff(api, token)
    api.clock.now = AFTER

    entries, pages, cursor, sizes, timings = [], 0, None, [], []
    while True:
        path = "/staff/programs/live-post/vote-log" + (f"?cursor={cursor}" if cursor else "")
        began = time.monotonic()
        response = staff("GET", path)
        timings.append(time.monotonic() - began)
        assert response.status_code == 200, response.body[:500]
        sizes.append(len(response.body))
        page = json.loads(response.body)
        pages += 1
        for challenge in page["challenges"]:
            if challenge["id"] == "leaks":
                entries += [e["entry"] for e in challenge["entries"] if e["channel"] == "online"]
        cursor = page.get("next")
        if cursor is None:
            break
        assert pages <= VOTES // 20_000 + 2
    assert max(sizes) < LAMBDA_ANSWER_LIMIT / 2
    assert len(entries) == len(set(entries)) == VOTES
    assert sorted(entries) == sorted(written)  # every vote exactly once, and only those

    results = staff("GET", "/staff/programs/live-post/results")
    assert results.status_code == 200 and len(results.body) < LAMBDA_ANSWER_LIMIT
    (leaks,) = [c for c in json.loads(results.body)["challenges"] if c["id"] == "leaks"]
    assert leaks["votes_total"] == VOTES
    tallies = {
        t["challenge"]: t["count"] for t in api.json(api.request("GET", "/programs/live-post/tallies"))["tallies"]
    }
    assert tallies["leaks"] == VOTES
    print(
        f"\nseeded {VOTES} votes in {seeded:.1f} s; vote log: {pages} answers, largest {max(sizes) / 1e6:.2f} MB, "
        f"slowest {max(timings):.2f} s, total {sum(timings):.1f} s"
    )
