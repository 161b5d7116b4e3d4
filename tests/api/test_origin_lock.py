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


# --- Enforced by the API: every route, before anything else -----------------------------------------------------

from chalicelib.adapters.secrets import OriginSecret  # noqa: E402
from chalicelib.adapters.sqlite import SQLiteStore  # noqa: E402
from chalicelib.kernel.storage import StoreUnavailable  # noqa: E402

from .conftest import serve_api  # noqa: E402


class FakeSecret:
    """Secrets Manager's answers, one after the other (an exception is raised), counting the calls."""

    def __init__(self, *answers):
        self.answers, self.calls = list(answers), 0

    def __call__(self, name):
        assert name == "datacity/test/origin-verify"
        self.calls += 1
        answer = self.answers[min(self.calls, len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer


def locked(tmp_path, fetch, clock=None):
    secret = OriginSecret("datacity/test/origin-verify", fetch=fetch, monotonic=clock or (lambda: 0.0))
    return serve_api(SQLiteStore(tmp_path / "api.sqlite3"), tmp_path, origin=secret)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/health"),
        ("GET", "/challenges/leaks/tally"),
        ("PUT", "/challenges/leaks/vote"),
        ("POST", "/challenges/leaks/comments"),
        ("GET", "/staff/programs/live-post/vote-log"),
        ("GET", "/programs/live-post/moderation"),
    ],
)
def test_a_request_without_the_origin_header_is_refused_with_403_and_nothing_is_recorded(tmp_path, method, path):
    fetch = FakeSecret(json.dumps({"current": CURRENT, "previous": ""}))
    for api in locked(tmp_path, fetch):
        for headers in ({}, {HEADER: PREVIOUS}, {HEADER: CURRENT[:-1]}):
            response = api.request(method, path, {"body": "a comment long enough"}, headers=headers)
            assert response.status_code == 403, (path, headers)
            assert response.headers["Content-Type"] == "application/problem+json"
            problem = api.json(response)
            assert problem["type"] == "/api/problems/direct-access"
            assert "site" in problem["detail"]
            assert "Set-Cookie" not in response.headers  # refused before any cookie is issued
        assert api.service.store.tally("leaks") == 0 and not api.service.store.vote_records("leaks")


def test_the_current_or_the_previous_value_lets_the_request_through(tmp_path):
    fetch = FakeSecret(json.dumps({"current": CURRENT, "previous": PREVIOUS}))
    for api in locked(tmp_path, fetch):
        assert api.request("PUT", "/challenges/leaks/vote", headers={HEADER: CURRENT}).status_code == 200
        api.cookie = None
        assert api.request("PUT", "/challenges/leaks/vote", headers={HEADER: PREVIOUS}).status_code == 200
        assert api.service.store.tally("leaks") == 2
        assert fetch.calls == 1  # kept in the container, not fetched per request


def test_the_secret_is_read_again_after_a_minute_so_a_rotation_takes_effect(tmp_path):
    now = [0.0]
    fetch = FakeSecret(
        json.dumps({"current": CURRENT, "previous": ""}), json.dumps({"current": PREVIOUS, "previous": CURRENT})
    )
    for api in locked(tmp_path, fetch, clock=lambda: now[0]):
        assert api.request("GET", "/health", headers={HEADER: PREVIOUS}).status_code == 403
        now[0] = 59.0
        assert api.request("GET", "/health", headers={HEADER: PREVIOUS}).status_code == 403
        now[0] = 60.0
        assert api.request("GET", "/health", headers={HEADER: PREVIOUS}).status_code == 200
        assert api.request("GET", "/health", headers={HEADER: CURRENT}).status_code == 200
        assert fetch.calls == 2


@pytest.mark.parametrize(
    "failure", [StoreUnavailable("secretsmanager: timeout"), None, json.dumps({"current": "short"})], ids=str
)
def test_a_secret_that_cannot_be_read_refuses_with_503_never_lets_through(tmp_path, failure):
    for api in locked(tmp_path, FakeSecret(failure)):
        response = api.request("PUT", "/challenges/leaks/vote", headers={HEADER: CURRENT})
        assert response.status_code == 503
        assert api.json(response)["type"] == "/api/problems/unavailable"
        assert api.service.store.tally("leaks") == 0


def test_the_refusal_is_logged_as_the_direct_access_metric_filter_counts_it(tmp_path, caplog):
    fetch = FakeSecret(json.dumps({"current": CURRENT, "previous": ""}))
    for api in locked(tmp_path, fetch):
        with caplog.at_level("INFO", logger="datacity.api"):
            api.request("PUT", "/challenges/leaks/vote")
            api.request("GET", "/challenges/leaks/tally", headers={HEADER: CURRENT})
    lines = [r for r in caplog.records if getattr(r, "event", None) == "request"]
    assert [(r.route, r.status, getattr(r, "problem", None)) for r in lines] == [
        ("/challenges/{challenge_id}/vote", 403, "direct-access"),
        ("/challenges/{challenge_id}/tally", 200, None),
    ]
    assert lines[0].challenge == "leaks" and lines[0].method == "PUT"
    # SQLite has no capacity units: the fields are left out rather than written as zeros.
    assert not any(hasattr(r, "read_units") or hasattr(r, "write_units") for r in lines)
    text = " ".join(str(vars(r)) for r in lines)
    assert "203.0.113.7" not in text and CURRENT not in text and "dc_voter" not in text


def test_the_production_runtime_refuses_to_start_without_the_lock(monkeypatch):
    from chalicelib import runtime

    monkeypatch.setenv("STORE", "dynamodb")
    monkeypatch.delenv("ORIGIN_SECRET_NAME", raising=False)
    runtime.install(None)
    with pytest.raises(ValueError, match="ORIGIN_SECRET_NAME"):
        runtime.service()
