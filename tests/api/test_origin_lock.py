"""The origin lock accepts CloudFront's current or previous secret value, and nothing else."""

from __future__ import annotations

import json

import pytest

from chalicelib import origin_lock
from chalicelib.origin_lock import HEADER, OriginLock, OriginSecretError

CURRENT = "c" * 20 + "0123456789ABCDEFGHIJ"
PREVIOUS = "p" * 20 + "0123456789abcdefghij"


def test_the_current_value_is_accepted_whatever_the_case_of_the_header_name():
    lock = OriginLock(CURRENT)
    assert lock.allows({HEADER: CURRENT})
    assert lock.allows({"X-DataCity-Origin-Verify": CURRENT})
    assert lock.allows({"X-DATACITY-ORIGIN-VERIFY": CURRENT, "host": "x"})


def test_during_a_rotation_both_values_are_accepted_and_after_it_only_the_new_one():
    rotating = OriginLock.from_secret(json.dumps({"current": CURRENT, "previous": PREVIOUS}))
    assert rotating.allows({HEADER: CURRENT}) and rotating.allows({HEADER: PREVIOUS})
    done = OriginLock.from_secret(json.dumps({"current": CURRENT, "previous": ""}))
    assert done.allows({HEADER: CURRENT}) and not done.allows({HEADER: PREVIOUS})


@pytest.mark.parametrize(
    "headers",
    [
        None,
        {},
        {"host": "abc.execute-api.eu-west-3.amazonaws.com"},
        {HEADER: ""},
        {HEADER: CURRENT[:-1]},
        {HEADER: CURRENT + "x"},
        {HEADER: CURRENT.lower()},
        {HEADER: f" {CURRENT}"},
        {HEADER: "é" * 40},
        {HEADER: "\udcff" * 40},  # undecodable bytes as API Gateway may hand them over
        {"x-datacity-origin-verify-2": CURRENT},
    ],
)
def test_anything_else_is_refused(headers):
    assert not OriginLock(CURRENT, PREVIOUS).allows(headers)


def test_an_empty_previous_value_never_matches_an_empty_header():
    assert not OriginLock(CURRENT, "").allows({HEADER: ""})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ("[]", '"current" string'),
        ("{}", '"current" string'),
        ('{"current": 5}', '"current" string'),
        (json.dumps({"current": "short"}), "at least 32"),
        (json.dumps({"current": CURRENT, "previous": 3}), '"previous" must be a string'),
        (json.dumps({"current": CURRENT, "previous": "short"}), '"previous" must be at least'),
        (json.dumps({"current": "a" * 31 + " b"}), "only letters"),
        (json.dumps({"current": "a" * 32 + "\n"}), "only letters"),
    ],
)
def test_an_unusable_secret_is_refused_with_the_member_named(text, message):
    with pytest.raises(OriginSecretError, match=message):
        OriginLock.from_secret(text)


def test_a_secret_as_cloudformation_generates_it_loads():
    # GenerateSecretString with SecretStringTemplate {"previous": ""} and GenerateStringKey "current".
    generated = json.dumps({"previous": "", "current": "Ab3" * 16})
    lock = OriginLock.from_secret(generated)
    assert lock.previous == "" and lock.allows({HEADER: "Ab3" * 16})


def test_the_module_is_pure():
    source = origin_lock.__loader__.get_source(origin_lock.__name__)
    for forbidden in ("boto3", "chalice", "sqlite3", "urllib", "requests"):
        assert f"import {forbidden}" not in source
