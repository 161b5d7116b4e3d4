"""infra.secret fills the empty secret CloudFormation creates, once, with keys the API loads (moto)."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from chalicelib.kernel.keys import Keys
from infra import secret


@pytest.fixture
def client(monkeypatch):
    for name, value in {
        "AWS_DEFAULT_REGION": "eu-west-3",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        sm = boto3.client("secretsmanager", region_name="eu-west-3")
        sm.create_secret(Name="datacity/test")  # as the stack does: no value
        yield sm


def test_generated_keys_have_the_shape_the_api_loads():
    value = secret.generate()
    assert set(json.loads(value)) == {"hash_key", "email_key"}
    keys = Keys.from_json(value)
    assert len(keys.hash_key) == 32 and keys.decrypt(keys.encrypt("a@b.c")) == "a@b.c"
    assert secret.problem(value) is None
    assert secret.problem(None) and secret.problem("hunter2") and secret.problem('{"hash_key": "x"}')


def test_init_fills_an_empty_secret_once(client):
    assert secret.main(["check", "--secret-id", "datacity/test"]) == 1
    assert secret.init(client, "datacity/test").startswith("filled")
    first = client.get_secret_value(SecretId="datacity/test")["SecretString"]
    assert secret.problem(first) is None
    assert secret.init(client, "datacity/test").startswith("unchanged")
    assert client.get_secret_value(SecretId="datacity/test")["SecretString"] == first
    assert secret.main(["check", "--secret-id", "datacity/test"]) == 0


def test_init_replaces_a_placeholder_and_force_rotates(client):
    client.put_secret_value(SecretId="datacity/test", SecretString="generated-password")
    assert secret.init(client, "datacity/test").startswith("filled (the value is not JSON")
    before = client.get_secret_value(SecretId="datacity/test")["SecretString"]
    assert secret.init(client, "datacity/test", force=True).startswith("replaced")
    assert client.get_secret_value(SecretId="datacity/test")["SecretString"] != before


def test_a_hash_key_rotation_is_announced_switched_and_ended_keeping_email_key(client):
    """The commands of docs/operations.md "Rotating the keys": each step the API loads, in order, never two at once."""
    secret.init(client, "datacity/test")
    start = Keys.from_json(client.get_secret_value(SecretId="datacity/test")["SecretString"])

    def step(name: str) -> Keys:
        assert secret.main([name, "--secret-id", "datacity/test"]) == 0
        value = client.get_secret_value(SecretId="datacity/test")["SecretString"]
        assert secret.problem(value) is None
        return Keys.from_json(value)

    announced = step("announce-hash-key")
    assert announced.hash_key == start.hash_key and len(announced.lookup_hash_keys) == 1
    assert announced.lookup_hash_keys[0] != start.hash_key and len(announced.lookup_hash_keys[0]) == 32
    assert secret.main(["announce-hash-key", "--secret-id", "datacity/test"]) == 1  # one rotation at a time
    switched = step("switch-hash-key")
    assert switched.hash_key == announced.lookup_hash_keys[0] and switched.lookup_hash_keys == (start.hash_key,)
    ended = step("end-rotation")
    assert ended.hash_key == switched.hash_key and ended.lookup_hash_keys == ()
    assert ended.email_key == start.email_key  # contact emails stay readable throughout
    assert secret.main(["switch-hash-key", "--secret-id", "datacity/test"]) == 1  # nothing announced
