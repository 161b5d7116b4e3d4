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
