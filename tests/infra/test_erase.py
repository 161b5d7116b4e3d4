"""infra.erase removes one voter's data, keeps everyone else's, fixes the tallies and proves it (DynamoDB Local)."""

from __future__ import annotations

import json
import secrets

import pytest

from chalicelib.adapters.dynamodb import DynamoDBStore
from chalicelib.comments.store import Comment
from chalicelib.identity import rules as identity
from chalicelib.kernel.keys import Keys
from chalicelib.proposals.store import Contact, Proposal
from infra import erase
from tests.api.test_store_contract import add, report

from .test_table_contract import create_from_template

pytestmark = pytest.mark.slow
AT = "2026-11-26T12:00:00.000000+00:00"
SHARDS = 10


def comment(cid: str, author: str) -> Comment:
    return Comment(
        id=cid,
        challenge="leaks",
        program="p",
        text="t",
        display_name=None,
        status="published",
        created_at=AT,
        author=author,
    )


@pytest.fixture
def table(dynamodb_local, prod):
    name = create_from_template(dynamodb_local.client, prod)
    yield name
    dynamodb_local.drop_table(name)


def populate(store: DynamoDBStore, me: str, other: str) -> None:
    for challenge in ("leaks", "noise"):
        store.cast_vote(challenge, me, AT)
    store.cast_vote("leaks", other, AT)
    add(store, comment("c-mine", me))
    report(store, "c-mine", other, hide_at=5)
    add(store, comment("c-theirs", other))
    report(store, "c-theirs", me, hide_at=5, reason="abuse")
    store.add_proposal(
        Proposal(id="p-mine", program="p", title="T", description="D", theme=None, created_at=AT, author=me),
        contact=Contact("ciphertext", 4_102_444_800),
        counters={"proposals:received": 1},
    )
    store.count_hit("votes", "t", me, 1764158400, 4_102_444_800)
    store.count_hit("votes", "t", other, 1764158400, 4_102_444_800)


def test_the_token_gives_the_same_key_as_the_api():
    keys = Keys.from_json(Keys.generate_json())
    token = secrets.token_urlsafe(16)
    api_side = identity.resolve(keys.hash_key, f"dc_voter={token}", "203.0.113.7", create=True).voter_key
    assert erase.voter_key(keys.hash_key, token) == api_side
    with pytest.raises(ValueError):
        erase.voter_key(keys.hash_key, "not-a-token")


def test_erasure_removes_one_voter_and_keeps_the_others(dynamodb_local, table):
    client = dynamodb_local.client
    store = DynamoDBStore(table, shards=SHARDS, client=client)
    keys_json = Keys.generate_json()
    token = secrets.token_urlsafe(16)
    me = erase.voter_key(Keys.from_json(keys_json).hash_key, token)
    other = "f" * 40
    populate(store, me, other)
    before = list(erase.scan(client, table))

    dry = erase.erase(client, table, me, SHARDS, dry_run=True)
    assert sorted(dry.votes_withdrawn) == ["leaks", "noise"] and dry.remaining > 0
    assert list(erase.scan(client, table)) == before  # a dry run changes nothing

    report = erase.erase(client, table, me, SHARDS)
    assert sorted(report.votes_withdrawn) == ["leaks", "noise"]
    assert report.comments_deleted == ["c-mine"] and report.proposals_deleted == ["p-mine"]
    assert report.reports_deleted == 1 and report.other_items_deleted == 1  # the rate-limit counter
    assert report.related_items_deleted == 2  # the report on my comment, my proposal's contact
    assert report.remaining == 0

    # Tallies follow; everyone else's data stays.
    assert store.tally("leaks") == 1 and store.tally("noise") == 0
    assert store.vote_records("leaks") == [other] and store.vote_records("noise") == []
    assert store.get_comment("c-mine") is None and store.get_proposal("p-mine") is None
    assert store.get_comment("c-theirs").author == other
    assert not any(me in json.dumps(item) for item in erase.scan(client, table))
    assert any(other in json.dumps(item) for item in erase.scan(client, table))


def test_the_command_line_erases_and_proves_it(dynamodb_local, table, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    store = DynamoDBStore(table, shards=SHARDS, client=dynamodb_local.client)
    keys_json = Keys.generate_json()
    token = secrets.token_urlsafe(16)
    me = erase.voter_key(Keys.from_json(keys_json).hash_key, token)
    store.cast_vote("leaks", me, AT)
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(keys_json)
    code = erase.main(
        [
            "--table",
            table,
            f"--token={token}",
            "--keys-file",
            str(keys_file),
            "--shards",
            str(SHARDS),
            "--endpoint-url",
            dynamodb_local.endpoint_url,
            "--region",
            "eu-west-3",
        ]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert json.loads(out.out)["remaining"] == 0 and "Erased" in out.err
    assert store.tally("leaks") == 0
