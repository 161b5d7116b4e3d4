"""The table exactly as the prod template declares it, created in DynamoDB Local, passes the storage contract.

Infrastructure and code cannot drift: the template's table is generated from TABLE_DEFINITION at package time, and
here the packaged resource (not TABLE_DEFINITION) is what gets created, then the contract suite of
tests/api/test_store_contract.py runs against a DynamoDBStore on it.
"""

from __future__ import annotations

import inspect
import uuid

import pytest

from chalicelib.adapters.dynamodb import DynamoDBStore, create_table
from infra.package import TABLE_PROPERTIES
from tests.api import test_store_contract as contract

pytestmark = pytest.mark.slow

# CreateTable parameters that CloudFormation's AWS::DynamoDB::Table spells the same way.
CREATE_TABLE_PROPERTIES = TABLE_PROPERTIES


def table_resource(template: dict) -> dict:
    (table,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table"]
    return table["Properties"]


def create_from_template(client, template: dict) -> str:
    """CreateTable with the template's keys, indexes and billing, then its TTL, as CloudFormation would."""
    properties = table_resource(template)
    name = f"infra-{uuid.uuid4().hex[:12]}"
    client.create_table(TableName=name, **{k: properties[k] for k in CREATE_TABLE_PROPERTIES if k in properties})
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    ttl = properties["TimeToLiveSpecification"]
    client.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": ttl["Enabled"], "AttributeName": ttl["AttributeName"]}
    )
    return name


def shape(client, name: str) -> dict:
    """What matters of a table for the code: keys, attribute types, indexes, billing, TTL."""
    table = client.describe_table(TableName=name)["Table"]
    ttl = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]

    def index(i):
        return {"name": i["IndexName"], "keys": i["KeySchema"], "projection": i["Projection"]}

    return {
        "keys": table["KeySchema"],
        "attributes": sorted((a["AttributeName"], a["AttributeType"]) for a in table["AttributeDefinitions"]),
        "global": sorted((index(i) for i in table.get("GlobalSecondaryIndexes", [])), key=lambda i: i["name"]),
        "local": sorted((index(i) for i in table.get("LocalSecondaryIndexes", [])), key=lambda i: i["name"]),
        "billing": table.get("BillingModeSummary", {}).get("BillingMode"),
        "ttl": (ttl.get("TimeToLiveStatus"), ttl.get("AttributeName")),
    }


@pytest.fixture(scope="module")
def server(dynamodb_local):
    return dynamodb_local


@pytest.fixture
def infra_store(server, prod):
    name = create_from_template(server.client, prod)
    yield DynamoDBStore(name, shards=10, client=server.client)
    server.drop_table(name)


def test_the_templates_table_is_the_table_the_code_creates(server, prod):
    from_template = create_from_template(server.client, prod)
    from_code = f"code-{uuid.uuid4().hex[:12]}"
    create_table(server.client, from_code)
    try:
        assert shape(server.client, from_template) == shape(server.client, from_code)
        assert shape(server.client, from_template)["billing"] == "PAY_PER_REQUEST"
        assert shape(server.client, from_template)["ttl"] == ("ENABLED", "expires_at")
    finally:
        server.drop_table(from_template)
        server.drop_table(from_code)


# The property-based test replays 60 random histories: it checks the store's logic, which tests/api already runs on
# DynamoDB Local; every access path and every concurrency test of the suite runs here on the template's table.
NOT_HERE = {"test_property_tally_always_equals_vote_records"}


def contract_tests() -> list[str]:
    """Every test of the contract suite that takes only the `store` fixture (Hypothesis hides what it supplies)."""
    names = [
        name
        for name, function in vars(contract).items()
        if name.startswith("test_")
        and name not in NOT_HERE
        and callable(function)
        and list(inspect.signature(function).parameters) == ["store"]
    ]
    assert len(names) >= 8, f"the contract suite shrank to {names}?"
    return sorted(names)


@pytest.mark.parametrize("name", contract_tests())
def test_storage_contract_on_the_templates_table(infra_store, name):
    getattr(contract, name)(store=infra_store)
