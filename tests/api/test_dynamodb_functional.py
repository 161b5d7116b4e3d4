"""The DynamoDB store's own design, checked with moto (single-threaded): items and keys, one transaction of two
items per vote, one request per tally read, Query and never Scan, TTL attributes, ints not Decimals. Concurrency and
consumed capacity are checked against DynamoDB Local (tests/api/dynamodb_local.py): moto's transactions are not
thread-safe and moto does not account capacity like DynamoDB."""

from __future__ import annotations

import copy
import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from chalicelib.adapters.dynamodb import TABLE_DEFINITION, DynamoDBStore, create_table, shard_of
from chalicelib.adapters.dynamodb import client as dynamodb
from chalicelib.comments.store import Comment, Report
from chalicelib.kernel.storage import AlreadyExists, StoreUnavailable
from chalicelib.proposals.store import Contact, Proposal

from .dynamodb_local import CapacityMeter
from .test_store_contract import add, report

RECEIVED = {"proposals:received": 1}

TABLE = "datacity-test"
AT = "2026-11-26T12:00:00.000000+00:00"
SHARDS = 4


@pytest.fixture
def aws(monkeypatch):
    for name, value in {
        "AWS_DEFAULT_REGION": "eu-west-3",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        yield


@pytest.fixture
def raw(aws):
    """A client of the tests' own, to create the table and look at every item (Scan is fine here, not in the store)."""
    client = boto3.client("dynamodb")
    create_table(client, TABLE)
    return client


@pytest.fixture
def calls():
    return []


@pytest.fixture
def sent():
    return []


@pytest.fixture
def ddb(raw, calls, sent):
    """The store, creating its own client (lazily, inside moto); `calls` lists the operations it sends, `sent` the
    operations with their parameters."""
    store = DynamoDBStore(TABLE, shards=SHARDS)
    store.client.meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
    store.client.meta.events.register(
        "provide-client-params.dynamodb", lambda params, model, **_: sent.append((model.name, copy.deepcopy(params)))
    )
    return store


def item_size(item: dict) -> int:
    """DynamoDB's item size for string and number attributes: name bytes plus value bytes (numbers: about one byte
    per two digits, plus one)."""
    size = 0
    for name, value in item.items():
        size += len(name.encode())
        if "S" in value:
            size += len(value["S"].encode())
        elif "N" in value:
            size += (len(value["N"].lstrip("-")) + 1) // 2 + 1
        else:
            raise AssertionError(f"size of {value} not computed here")
    return size


def items(raw) -> dict[tuple[str, str], dict]:
    found, kwargs = {}, {"TableName": TABLE}
    while True:
        page = raw.scan(**kwargs)
        for item in page["Items"]:
            found[(item["PK"]["S"], item["SK"]["S"])] = item
        if "LastEvaluatedKey" not in page:
            return found
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def comment(challenge: str, n: int, status: str = "published") -> Comment:
    return Comment(
        id=f"c{n:04d}",
        challenge=challenge,
        program="prog",
        text=f"comment {n}",
        display_name=None if n % 2 else f"Name {n}",
        status=status,
        created_at=f"2026-11-26T12:00:{n:02d}.000000+00:00",
        author=f"voter-{n}",
    )


class Flaky:
    """A client that fails some calls the way DynamoDB does under contention, then behaves."""

    def __init__(self, client, **failures):
        self._client = client
        self.failures = failures  # method name -> how many calls fail
        self.calls: dict[str, int] = {}

    def __getattr__(self, name):
        return getattr(self._client, name)

    def _count(self, name: str) -> bool:
        self.calls[name] = self.calls.get(name, 0) + 1
        return self.calls[name] <= self.failures.get(name, 0)

    def transact_write_items(self, **kwargs):
        if self._count("transact_write_items"):
            reasons = [{"Code": "None"}] + [{"Code": "TransactionConflict"}] * (len(kwargs["TransactItems"]) - 1)
            raise ClientError(
                {
                    "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
                    "CancellationReasons": reasons,
                },
                "TransactWriteItems",
            )
        return self._client.transact_write_items(**kwargs)

    def batch_get_item(self, **kwargs):
        if self._count("batch_get_item"):
            # Answer the first key only, leave the others unprocessed.
            request = kwargs["RequestItems"][TABLE]
            answer = self._client.batch_get_item(RequestItems={TABLE: {**request, "Keys": request["Keys"][:1]}})
            answer["UnprocessedKeys"] = {TABLE: {**request, "Keys": request["Keys"][1:]}}
            return answer
        return self._client.batch_get_item(**kwargs)


def test_table_definition_creates_the_single_table_with_two_sparse_indexes_and_ttl(raw):
    table = raw.describe_table(TableName=TABLE)["Table"]
    assert {k["AttributeName"]: k["KeyType"] for k in table["KeySchema"]} == {"PK": "HASH", "SK": "RANGE"}
    indexes = {i["IndexName"]: i for i in table["GlobalSecondaryIndexes"]}
    assert set(indexes) == {"GSI1", "GSI2"}
    for name, index in indexes.items():
        assert [k["AttributeName"] for k in index["KeySchema"]] == [f"{name}PK", f"{name}SK"]
        assert index["Projection"]["ProjectionType"] == "ALL"
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert {a["AttributeType"] for a in table["AttributeDefinitions"]} == {"S"}
    ttl = raw.describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    assert "TableName" not in TABLE_DEFINITION  # the template and the tests name the table


def test_the_client_is_created_lazily_with_pooling_retries_and_the_endpoint_variable(monkeypatch):
    store = DynamoDBStore(TABLE)
    assert store._client is None  # nothing at construction: moto patches only clients created after it starts
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8001")
    client = store.client
    assert client is store.client  # one per store
    assert client.meta.endpoint_url == "http://127.0.0.1:8001"
    assert client.meta.config.max_pool_connections == 50
    assert client.meta.config.retries["mode"] == "standard"
    explicit = DynamoDBStore(TABLE, endpoint_url="http://127.0.0.1:9009")
    assert explicit.client.meta.endpoint_url == "http://127.0.0.1:9009"


def test_a_vote_writes_its_vote_item_and_one_tally_shard_in_one_transaction(ddb, raw, calls, sent):
    voter = "a" * 40  # voter keys are 40 hex digits
    # The challenge's sharding is read once per container every SHARDING_CACHE_SECONDS (one BatchGetItem of its
    # SHARDS# item, absent unless re-sharded); read here first, so that the vote is seen alone.
    ddb.sharding("leaks")
    calls.clear()
    sent.clear()
    assert ddb.cast_vote("leaks", voter, AT) is True
    assert calls == ["TransactWriteItems"]
    shard = shard_of(voter, SHARDS)
    partition = f"VOTES#leaks#{shard}"
    assert items(raw) == {
        (partition, f"V#{voter}"): {
            "PK": {"S": partition},
            "SK": {"S": f"V#{voter}"},
            "type": {"S": "vote"},
            "challenge": {"S": "leaks"},
            "voter": {"S": voter},
            "created_at": {"S": AT},
        },
        (partition, "#TALLY"): {"PK": {"S": partition}, "SK": {"S": "#TALLY"}, "n": {"N": "1"}},
    }
    # Exactly two items, each well under 1 KB: 2 x 2 write units = 4. No index keys on the vote: no index write.
    ((_, params),) = sent
    assert len(params["TransactItems"]) == 2
    put, update = (item["Put"] if "Put" in item else item["Update"] for item in params["TransactItems"])
    assert not {"GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK"} & set(put["Item"])
    assert item_size(put["Item"]) < 300 and item_size(update["Key"]) + item_size({"n": {"N": "9" * 12}}) < 100
    assert update["Key"] == {"PK": {"S": partition}, "SK": {"S": "#TALLY"}}  # the vote's own partition


def test_a_withdrawal_is_one_transaction_of_two_items_too(ddb, sent):
    ddb.cast_vote("leaks", "alice", AT)
    sent.clear()
    assert ddb.withdraw_vote("leaks", "alice") is True
    ((operation, params),) = sent
    assert operation == "TransactWriteItems"
    assert [next(iter(item)) for item in params["TransactItems"]] == ["Delete", "Update"]


def test_a_tally_read_is_one_batch_get_of_every_shard(ddb, calls, sent):
    for i in range(20):
        ddb.cast_vote("leaks", f"voter-{i}", AT)
    sent.clear()
    assert ddb.tally("leaks") == 20
    ((operation, params),) = sent
    assert operation == "BatchGetItem"
    request = params["RequestItems"][TABLE]
    assert request["Keys"] == [{"PK": {"S": f"VOTES#leaks#{n}"}, "SK": {"S": "#TALLY"}} for n in range(SHARDS)]
    assert request["ConsistentRead"] is True


def test_the_shard_count_is_bounded_by_one_batch_get(aws):
    assert DynamoDBStore(TABLE, shards=100).shards == 100
    for shards in (0, 101):
        with pytest.raises(ValueError, match="between 1 and 100"):
            DynamoDBStore(TABLE, shards=shards)


def test_a_failed_condition_leaves_no_partial_write(ddb, raw, calls):
    ddb.cast_vote("leaks", "alice", "2026-11-26T12:00:00.000000+00:00")
    before = items(raw)
    calls.clear()
    assert ddb.cast_vote("leaks", "alice", "2026-11-26T13:00:00.000000+00:00") is False
    assert ddb.withdraw_vote("leaks", "bob") is False
    assert calls == ["TransactWriteItems", "TransactWriteItems"]
    assert items(raw) == before  # neither the shard nor the vote's date moved; no shard was made for bob


def test_a_withdrawal_uncounts_the_shard_its_vote_counted_in(ddb, raw):
    voters = [f"voter-{i}" for i in range(40)]
    for voter in voters:
        ddb.cast_vote("leaks", voter, AT)
    shards = {pk: int(item["n"]["N"]) for (pk, sk), item in items(raw).items() if sk == "#TALLY"}
    assert len(shards) == SHARDS and sum(shards.values()) == 40
    assert all(shard_of(v, SHARDS) == shard_of(v, SHARDS) for v in voters)  # stable across calls
    for (pk, sk), item in items(raw).items():
        if sk.startswith("V#"):
            assert pk == f"VOTES#leaks#{shard_of(item['voter']['S'], SHARDS)}"  # each vote in its shard's partition
    ddb.withdraw_vote("leaks", "voter-7")
    after = {pk: int(item["n"]["N"]) for (pk, sk), item in items(raw).items() if sk == "#TALLY"}
    changed = {pk for pk in shards if shards[pk] != after[pk]}
    assert changed == {f"VOTES#leaks#{shard_of('voter-7', SHARDS)}"}
    assert ddb.tally("leaks") == 39 and ddb.vote_records("leaks") == sorted(set(voters) - {"voter-7"})


def test_no_operation_scans_and_listings_query(ddb, calls, sent):
    for i in range(5):
        ddb.cast_vote("leaks", f"v{i}", AT)
    ddb.withdraw_vote("leaks", "v0")
    ddb.has_voted("leaks", "v1")
    ddb.tally("leaks")
    calls.clear()
    sent.clear()
    assert ddb.vote_records("leaks") == ["v1", "v2", "v3", "v4"]
    assert calls == ["Query"] * SHARDS  # one shard partition of the table each, no index
    assert all("IndexName" not in params and params["ConsistentRead"] for _, params in sent)
    for n in range(4):
        add(ddb, comment("leaks", n))
    calls.clear()
    page, cursor = ddb.published_comments("leaks", newest_first=True, limit=2, after=None)
    assert [c.id for c in page] == ["c0003", "c0002"] and calls == ["Query"]
    ddb.published_comments("leaks", newest_first=True, limit=2, after=cursor)
    ddb.get_comment("c0001")
    report(ddb, "c0001", "r1", hide_at=1)
    ddb.add_proposal(
        Proposal(id="p1", program="prog", title="T", description="D", theme=None, created_at=AT, author="a"),
        contact=Contact("ciphertext", 2_000),
        counters=RECEIVED,
    )
    ddb.get_proposal("p1")
    ddb.get_contact("p1", now=1_000)
    ddb.count_hit("votes", "t", "x", 0, 3_600)
    ddb.purge_expired(now=3_000)
    ddb.ping()
    assert "Scan" not in calls
    assert set(calls) <= {"Query", "GetItem", "BatchGetItem", "PutItem", "UpdateItem", "DeleteItem",
                          "TransactWriteItems"}  # fmt: skip


def test_comment_index_keys_follow_the_status(ddb, raw):
    add(ddb, comment("leaks", 1))
    add(ddb, comment("leaks", 2, status="pending"))
    add(ddb, comment("leaks", 3, status="rejected"))
    stored = items(raw)
    published, pending, rejected = (stored[(f"COMMENT#c000{n}", "C")] for n in (1, 2, 3))
    assert published["GSI1PK"] == {"S": "COMMENTS#leaks"}
    assert published["GSI1SK"] == {"S": "2026-11-26T12:00:01.000000+00:00#c0001"}
    assert "GSI2PK" not in published
    assert pending["GSI2PK"] == {"S": "MODQ#prog"} and "GSI1PK" not in pending
    assert not {"GSI1PK", "GSI2PK"} & set(rejected)
    assert "display_name" not in published and pending["display_name"] == {"S": "Name 2"}

    assert report(ddb, "c0001", "r1", hide_at=2) == (True, False)
    assert report(ddb, "c0001", "r2", hide_at=2, reason="abuse") == (True, True)
    stored = items(raw)
    hidden = stored[("COMMENT#c0001", "C")]
    assert hidden["status"] == {"S": "hidden"} and hidden["reports"] == {"N": "2"}
    assert "GSI1PK" not in hidden and "GSI1SK" not in hidden
    # Hidden by reports: in the reported queue, with the pseudo-reason "reports", counted in the program's record.
    assert hidden["GSI2PK"] == {"S": "MODQ#prog#reported"} and hidden["reason"] == {"S": "reports"}
    assert hidden["GSI2SK"] == {"S": "2026-11-26T12:00:01.000000+00:00#c0001"}
    assert stored[("COMMENT#c0001", "REPORT#r2")]["reason"] == {"S": "abuse"}
    assert stored[("MODSTATS#prog", "M")]["hidden:reports"] == {"N": "1"}
    assert stored[("MODSTATS#prog", "M")]["published"] == {"N": "0"}


def test_a_first_report_puts_a_published_comment_in_the_reported_queue(ddb, raw):
    add(ddb, comment("leaks", 1))
    assert report(ddb, "c0001", "r1", hide_at=5) == (True, False)
    reported = items(raw)[("COMMENT#c0001", "C")]
    assert reported["status"] == {"S": "published"} and reported["GSI1PK"] == {"S": "COMMENTS#leaks"}
    assert reported["GSI2PK"] == {"S": "MODQ#prog#reported"}
    page, _ = ddb.moderation_queue("prog", "reported", 10, None)
    assert [c.id for c in page] == ["c0001"] and ddb.moderation_queue("prog", "pending", 10, None)[0] == []


def test_contact_and_counter_items_carry_the_ttl_attribute(ddb, raw):
    proposal = Proposal(id="p1", program="prog", title="T", description="D", theme="water", created_at=AT, author="a")
    ddb.add_proposal(proposal, contact=Contact("ciphertext", 1_900_000_000), counters=RECEIVED)
    stored = items(raw)
    contact = stored[("PROPOSAL#p1", "CONTACT")]
    assert contact["expires_at"] == {"N": "1900000000"} and contact["email_encrypted"] == {"S": "ciphertext"}
    assert "expires_at" not in stored[("PROPOSAL#p1", "P")]  # the proposal itself stays
    assert stored[("PROPOSAL#p1", "P")]["GSI2PK"] == {"S": "MODQ#prog#proposals"}
    assert stored[("PROPOSAL#p1", "P")]["GSI2SK"] == {"S": f"{AT}#p1"}
    assert stored[("MODSTATS#prog", "M")]["proposals:received"] == {"N": "1"}

    assert ddb.count_hit("votes", "t", "abc", 0, 3_600) == 1
    assert ddb.count_hit("votes", "t", "abc", 0, 7_200) == 2  # the first expiry stays
    counter = items(raw)[("RL#votes:t:abc:0", "R")]
    assert counter["expires_at"] == {"N": "3600"} and counter["n"] == {"N": "2"}


def test_numbers_come_back_as_ints(ddb):
    ddb.cast_vote("leaks", "alice", AT)
    add(ddb, comment("leaks", 1))
    report(ddb, "c0001", "r1", hide_at=5)
    values = [ddb.tally("leaks"), ddb.get_comment("c0001").reports, ddb.count_hit("votes", "t", "k", 0, 10)]
    assert values == [1, 1, 1] and all(type(v) is int for v in values)


def test_purge_deletes_expired_contacts_with_a_query(ddb, raw, calls):
    for pid, expires in (("old", 1_000), ("edge", 2_000), ("new", 3_000)):
        proposal = Proposal(id=pid, program="prog", title="T", description="D", theme=None, created_at=AT, author="a")
        ddb.add_proposal(proposal, contact=Contact(f"mail-{pid}", expires), counters=RECEIVED)
    calls.clear()
    assert ddb.purge_expired(now=2_000) == 2
    assert calls == ["Query", "DeleteItem", "DeleteItem"]
    assert {sk for (pk, sk) in items(raw) if sk == "CONTACT"} == {"CONTACT"}
    assert ddb.get_contact("new", now=0) == "mail-new" and ddb.get_contact("edge", now=0) is None
    assert ddb.get_proposal("old").has_contact is False and ddb.get_proposal("new").has_contact is True
    assert ddb.purge_expired(now=2_000) == 0


def test_transaction_conflicts_are_retried_with_a_fresh_token(ddb, raw, monkeypatch):
    monkeypatch.setattr(dynamodb, "_sleep", lambda seconds: None)
    tokens = []
    ddb.client.meta.events.register(
        "before-call.dynamodb.TransactWriteItems",
        lambda params, **_: tokens.append(json.loads(params["body"])["ClientRequestToken"]),
    )
    flaky = Flaky(ddb.client, transact_write_items=2)
    ddb._client = flaky
    assert ddb.cast_vote("leaks", "alice", AT) is True
    assert flaky.calls["transact_write_items"] == 3
    assert ddb.tally("leaks") == 1 and ddb.vote_records("leaks") == ["alice"]
    # botocore fills ClientRequestToken once per call: its own retries of a call resend the same one.
    assert len(tokens) == 1 and tokens[0]


def test_cancellation_reasons_are_read_from_the_message_when_the_body_lacks_them():
    error = ClientError(
        {
            "Error": {
                "Code": "TransactionCanceledException",
                "Message": "Transaction cancelled, please refer cancellation reasons for specific reasons "
                "[None, ConditionalCheckFailed]",
            }
        },
        "TransactWriteItems",
    )
    assert dynamodb.cancellation_codes(error) == ["None", "ConditionalCheckFailed"]


def test_conflicts_that_never_clear_raise_a_clear_error(ddb, raw, monkeypatch):
    monkeypatch.setattr(dynamodb, "_sleep", lambda seconds: None)
    flaky = Flaky(ddb.client, transact_write_items=1_000)
    ddb._client = flaky
    with pytest.raises(StoreUnavailable, match="cancelled 10 times"):
        ddb.cast_vote("leaks", "alice", AT)
    assert flaky.calls["transact_write_items"] == dynamodb.TRANSACTION_ATTEMPTS
    assert items(raw) == {}


def test_tally_reads_unprocessed_keys_again(ddb, monkeypatch):
    monkeypatch.setattr(dynamodb, "_sleep", lambda seconds: None)
    voters = [f"voter-{i}" for i in range(20)]
    for voter in voters:
        ddb.cast_vote("leaks", voter, AT)
    flaky = Flaky(ddb.client, batch_get_item=1)
    ddb._client = flaky
    assert ddb.tally("leaks") == 20
    assert flaky.calls["batch_get_item"] == 2


def test_a_missing_table_is_raised_as_the_store_being_unavailable(aws):
    store = DynamoDBStore("no-such-table")
    for call in (store.ping, lambda: store.cast_vote("leaks", "alice", AT), lambda: store.tally("leaks")):
        with pytest.raises(StoreUnavailable, match="ResourceNotFoundException") as raised:
            call()
        assert isinstance(raised.value.__cause__, ClientError)  # the original error stays attached for the log


def test_reporting_a_comment_that_is_gone_writes_nothing(ddb, raw):
    gone = comment("leaks", 9)
    assert ddb.record_report(gone, gone, Report(gone.id, "r1", "spam", AT), {}) is False
    assert items(raw) == {}


def test_a_duplicate_comment_or_proposal_id_is_an_error(ddb):
    add(ddb, comment("leaks", 1))
    with pytest.raises(AlreadyExists, match="comment 'c0001'"):
        add(ddb, comment("leaks", 1))
    proposal = Proposal(id="p1", program="prog", title="T", description="D", theme=None, created_at=AT, author="a")
    ddb.add_proposal(proposal, contact=None, counters=RECEIVED)
    for contact in (Contact("ciphertext", 10), None):
        with pytest.raises(AlreadyExists, match="proposal 'p1'"):
            ddb.add_proposal(proposal, contact=contact, counters=RECEIVED)


# --- Against DynamoDB Local (AWS's engine honours ClientRequestToken; moto does not) ---------------------------------


def test_a_retried_vote_whose_answer_was_lost_counts_once_and_says_so(dynamodb_local):
    """The first attempt commits but its answer is lost: botocore resends the same ClientRequestToken and DynamoDB
    answers success without applying the transaction again."""
    from botocore.exceptions import ReadTimeoutError

    table = dynamodb_local.new_table()
    store = DynamoDBStore(table, shards=SHARDS, client=dynamodb_local.make_client())
    sent = []

    def lose_first_answer(request, **_):
        sent.append(json.loads(request.body)["ClientRequestToken"])
        if len(sent) == 1:
            store.client._endpoint.http_session.send(request)  # committed...
            raise ReadTimeoutError(endpoint_url=request.url)  # ...but the answer never came

    store.client.meta.events.register("before-send.dynamodb.TransactWriteItems", lose_first_answer)
    try:
        assert store.cast_vote("leaks", "alice", AT) is True
        assert len(sent) == 2 and sent[0] == sent[1]
        assert store.tally("leaks") == 1 and store.vote_records("leaks") == ["alice"]
    finally:
        dynamodb_local.drop_table(table)


def test_consumed_capacity_per_vote_and_per_tally_read(dynamodb_local):
    """DynamoDB Local accounts like DynamoDB: a vote is 4 write units and no index write; a tally read is one
    request of one read unit per shard (strongly consistent, items under 4 KB). Rate-limit counters are 1 each."""
    shards = 10
    table = dynamodb_local.new_table()  # with GSI1 and GSI2, as in production: an index write would show
    client = dynamodb_local.make_client()
    meter = CapacityMeter(client)
    store = DynamoDBStore(table, shards=shards, client=client)
    try:
        voters = [f"{i:040x}" for i in range(60)]  # enough voters for every shard to exist
        store.sharding("leaks")  # read once per container every SHARDING_CACHE_SECONDS: not part of each vote
        meter.take()
        for voter in voters:
            # With its vote-log receipt (64 hex): the vote item stays under 1 KB, so still 2 units.
            assert store.cast_vote("leaks", voter, AT, receipt="f" * 64)
        votes = meter.take()
        assert {(m.operation, m.table, tuple(m.indexes.items())) for m in votes} == {("TransactWriteItems", 4.0, ())}
        assert len(votes) == len(voters)

        assert store.tally("leaks") == len(voters)
        (read,) = meter.take()
        assert read.operation == "BatchGetItem" and read.table == shards * 1.0 and not read.indexes

        assert store.withdraw_vote("leaks", voters[0])
        (withdrawal,) = meter.take()
        assert (withdrawal.operation, withdrawal.units) == ("TransactWriteItems", 4.0)

        assert store.has_voted("leaks", voters[1])
        assert store.count_hit("votes", "t", "x", 0, 3_600) == 1
        assert [(m.operation, m.units) for m in meter.take()] == [("GetItem", 1.0), ("UpdateItem", 1.0)]

        # The meter does see index writes: a published comment is copied into GSI1. A comment is one transaction
        # with its program's moderation counter: 2 items x 2 units, plus the index write.
        add(store, comment("leaks", 1))
        (put,) = meter.take()
        assert put.operation == "TransactWriteItems" and put.indexes.get("GSI1", 0) >= 1.0
        assert put.table - sum(put.indexes.values()) == 4.0  # DynamoDB Local's total includes the index writes
    finally:
        dynamodb_local.drop_table(table)


def test_the_vote_path_through_the_api_is_4_2_write_units_with_the_default_limits(dynamodb_local, tmp_path):
    """All of a vote's writes, rate limits included, through the HTTP API with the production limits (120 a token,
    600 an address, RATE_LIMIT_BATCH 10): the transaction's 4 units, plus one counter write every 10 votes for each
    of the two counters, so 4.2 on average; the limit still refuses the 121st and each vote counts once."""
    from .conftest import serve_api

    table = dynamodb_local.new_table()
    client = dynamodb_local.make_client()
    meter = CapacityMeter(client)
    store = DynamoDBStore(table, shards=10, client=client)
    limits = {"RATE_VOTES_PER_TOKEN": "120", "RATE_VOTES_PER_IP": "600"}
    try:
        for api in serve_api(store, tmp_path, **limits):
            assert api.request("PUT", "/challenges/leaks/vote").status_code == 200  # hit 1 of this token
            meter.take()

            def hits(numbers, api=api):  # the voter withdraws and votes again: each one a real transaction
                return [
                    api.request("DELETE" if i % 2 == 0 else "PUT", "/challenges/leaks/vote").status_code
                    for i in numbers
                ]

            assert hits(range(2, 101)) == [200] * 99
            writes = [m for m in meter.take() if not m.is_read]
            assert [m.operation for m in writes].count("TransactWriteItems") == 99
            # Far from the limits each counter is written at hits 10, 20, ... 100: 20 writes of 1 unit.
            assert [m.units for m in writes if m.operation == "UpdateItem"] == [1.0] * 20
            assert sum(m.units for m in writes) == 99 * 4 + 20  # 4.2 write units a vote
            # Within 10 of the token's limit every hit is written, so that the limit stays exact.
            assert hits(range(101, 121)) == [200] * 20
            counters = [m for m in meter.take() if m.operation == "UpdateItem"]
            assert len(counters) == 11 + 2  # token: at 110, then 111..120; address (600): at 110 and 120
            refused = api.request("PUT", "/challenges/leaks/vote")  # the 121st of this token in the window
            assert refused.status_code == 429
            assert not [m for m in meter.take() if m.operation == "TransactWriteItems"]  # nothing voted
            assert store.tally("leaks") == 0 and store.vote_records("leaks") == []  # the last one was a DELETE
    finally:
        dynamodb_local.drop_table(table)


def test_an_interrupted_import_is_completed_by_its_retry_and_counted_once(dynamodb_local):
    """Transactions hold at most 100 items: a large import is written chunk by chunk, each chunk recording its end
    in the import's item. A failure after the first chunk leaves it 'started'; the retry continues from there."""
    from dataclasses import replace

    from chalicelib.imports.store import DuplicateImport

    from .test_store_contract import import_batch

    table = dynamodb_local.new_table()
    store = DynamoDBStore(table, shards=SHARDS, client=dynamodb_local.make_client())
    sizes = []
    store.client.meta.events.register(
        "provide-client-params.dynamodb.TransactWriteItems",
        lambda params, **_: sizes.append(len(params["TransactItems"])),
    )
    batch = import_batch("prog", "leaks", votes=250, comments=20)
    real = store._transact
    calls = []

    def fail_on_the_second_chunk(items):
        calls.append(len(items))
        if len(calls) == 2:
            raise ClientError({"Error": {"Code": "InternalServerError", "Message": "lost"}}, "TransactWriteItems")
        return real(items)

    try:
        store._transact = fail_on_the_second_chunk
        with pytest.raises(ClientError):
            store.import_offline(batch)
        store._transact = real
        partial = store.offline_tally("leaks")
        assert 0 < sum(partial.values()) < 250  # the first chunk only
        with pytest.raises(DuplicateImport):  # the same digest with other rows does not complete it
            store.import_offline(replace(batch, rows_sha256="x" * 64))
        store.import_offline(batch)
        assert store.offline_tally("leaks") == {"workshop": 125, "paper": 125}
        assert len(store.offline_entries("leaks")) == 250
        assert len(store.published_comments("leaks", False, 100, None)[0]) == 20
        assert store.moderation_counters("prog") == {"published": 20}
        assert [e.action for e in store.audit_entries("prog", 10, None)[0]] == ["i"]
        assert max(sizes) <= 100 and len(sizes) >= 3
        with pytest.raises(DuplicateImport):
            store.import_offline(batch)
    finally:
        dynamodb_local.drop_table(table)


def test_the_request_log_line_carries_the_units_dynamodb_reports_and_nothing_personal(dynamodb_local, tmp_path, caplog):
    """Each `request` line says the read and write units its DynamoDB calls consumed (ReturnConsumedCapacity,
    asked by the store itself), exactly as DynamoDB reported them to the request's calls (the test's meter sees
    the same answers), split into reads and writes: a vote (its transaction, 4 units, and the answer's count), a
    tally view (reads only), nothing written for a refused vote; no voter key, cookie or address in the line. On
    SQLite the fields are absent."""
    from .conftest import serve_api

    table = dynamodb_local.new_table()
    client = dynamodb_local.make_client()
    meter = CapacityMeter(client)
    store = DynamoDBStore(table, shards=10, client=client)
    calls = []
    try:
        # No tally cache: each answer reads the shards, as at a trickle of votes.
        for api in serve_api(store, tmp_path, TALLY_CACHE_SECONDS="0"):
            with caplog.at_level("INFO", logger="datacity.api"):
                meter.take()
                for method, path in (
                    ("PUT", "/challenges/leaks/vote"),
                    ("GET", "/challenges/leaks/tally"),
                    ("PUT", "/challenges/nope/vote"),
                ):
                    api.request(method, path)
                    calls.append(meter.take())
            voter_key = store.vote_records("leaks")[0]
    finally:
        dynamodb_local.drop_table(table)
    lines = [r for r in caplog.records if getattr(r, "event", None) == "request"]
    assert [line.status for line in lines] == [200, 200, 404]
    for line, metered in zip(lines, calls, strict=True):
        reported = [m for m in metered if not m.failed]
        if not reported:
            assert not hasattr(line, "write_units")
            continue
        assert line.read_units == sum(m.units for m in reported if m.is_read)
        assert line.write_units == sum(m.units for m in reported if not m.is_read)
        assert line.store_calls == len(reported)
    vote, view, _ = lines
    assert vote.write_units >= 4.0 and view.write_units == 0.0 and view.read_units > 0
    text = " ".join(str(vars(line)) for line in lines)
    for secret in (voter_key, "dc_voter", "203.0.113"):
        assert secret not in text


def test_a_container_sees_a_new_shard_count_within_the_cache_time_and_a_check_costs_two_units(dynamodb_local):
    """Another container (a second store on the table) keeps the sharding it read for SHARDING_CACHE_SECONDS, so
    the switch waits SHARDING_WAIT_SECONDS (twice that) after the announcement; then it checks the old keys too.
    A vote on a re-sharded challenge is its transaction plus one ConditionCheck per other possible key: 2 write
    units each (4 on a challenge never re-sharded)."""
    from chalicelib.votes.store import SHARDING_CACHE_SECONDS, SHARDING_WAIT_SECONDS

    table = dynamodb_local.new_table()
    client = dynamodb_local.make_client()
    operator = DynamoDBStore(table, shards=10, client=client)
    container = DynamoDBStore(table, shards=10, client=client)
    clock = [0.0]
    container._monotonic = lambda: clock[0]
    try:
        assert container.sharding("leaks").write == 10  # read, and kept
        operator.reshard("leaks", 20, 1_000)
        assert container.sharding("leaks").pending is None  # still its copy
        clock[0] += SHARDING_CACHE_SECONDS
        assert container.sharding("leaks").pending == 20  # seen within the cache time
        operator.reshard("leaks", 20, 1_000 + SHARDING_WAIT_SECONDS)
        clock[0] += SHARDING_CACHE_SECONDS
        voter = next(v for v in (f"v{i}" for i in range(100)) if shard_of(v, 10) != shard_of(v, 20))
        sent = []
        client.meta.events.register(
            "provide-client-params.dynamodb.TransactWriteItems",
            lambda params, **_: sent.append(params["TransactItems"]),
        )
        assert container.cast_vote("leaks", voter, "2026-11-26T12:00:00.000000+00:00")
        # DynamoDB Local reports 4 units for any small transaction: count the items (2 write units each, < 1 KB).
        (items,) = sent
        assert sorted(next(iter(item)) for item in items) == ["ConditionCheck", "Put", "Update"]
        check = next(item["ConditionCheck"] for item in items if "ConditionCheck" in item)
        assert check["Key"]["PK"]["S"] == f"VOTES#leaks#{shard_of(voter, 10)}"
        assert not operator.cast_vote("leaks", voter, "2026-11-26T12:00:01.000000+00:00")
        assert operator.tally("leaks") == 1 == container.tally("leaks")
    finally:
        dynamodb_local.drop_table(table)
