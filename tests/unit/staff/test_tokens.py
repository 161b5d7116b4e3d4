"""Staff tokens: shown once, stored as sha256 only, in a private file or a secret; revocation; the client's care."""

from __future__ import annotations

import hashlib
import json
import stat

import boto3
import pytest
from click.testing import CliRunner
from moto import mock_aws

from site_builder.cli import main
from staff import tokens
from staff.client import ApiProblem, StaffError, api_base, problem_from, read_token


def test_token_shape_and_hash():
    token_id, token = tokens.new_token()
    assert tokens.TOKEN_RE.match(token)
    assert token.startswith(f"dcs_{token_id}_") and len(token.split("_", 2)[2]) == 43
    assert tokens.token_id(token) == token_id
    assert tokens.hash_token(token) == hashlib.sha256(token.encode()).hexdigest()
    assert tokens.new_token()[1] != token


def test_create_and_revoke_in_a_document():
    doc = tokens.empty_document()
    token, record = tokens.create(doc, ["paris-2017", "paris-2017"], " Alice (moderation) ", now="2026-11-26T10:00:00Z")
    assert record == {
        "id": tokens.token_id(token),
        "name": "Alice (moderation)",
        "programs": ["paris-2017"],
        "sha256": tokens.hash_token(token),
        "created_at": "2026-11-26T10:00:00Z",
        "revoked_at": None,
    }
    assert token not in json.dumps(doc)
    tokens.revoke(doc, record["id"], now="2026-11-27T10:00:00Z")
    assert doc["tokens"][0]["revoked_at"] == "2026-11-27T10:00:00Z"
    with pytest.raises(tokens.TokenError, match="already revoked"):
        tokens.revoke(doc, record["id"])
    with pytest.raises(tokens.TokenError, match="no token has the id 'ffffffff'"):
        tokens.revoke(doc, "ffffffff")
    with pytest.raises(tokens.TokenError, match="not a program id"):
        tokens.create(doc, ["Paris 2017"], "Bob")


def test_cli_create_writes_a_private_file_and_prints_the_token_once(tmp_path):
    data = tmp_path / "data"
    runner = CliRunner()
    result = runner.invoke(
        main, ["staff-token", "create", "-p", "paris-2017", "--name", "Alice", "--data-dir", str(data)]
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert tokens.TOKEN_RE.match(token)
    assert result.output.count(token) == 1
    path = data / "staff_tokens.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    doc = json.loads(path.read_text())
    assert token not in path.read_text()
    assert doc["tokens"][0]["sha256"] == tokens.hash_token(token)
    assert doc["tokens"][0]["programs"] == ["paris-2017"]

    assert "rights" not in doc["tokens"][0]
    lead = ["staff-token", "create", "-p", "lyon-2018", "--name", "Bob", "--may-manage-tokens", "--data-dir", str(data)]
    second = runner.invoke(main, lead)
    assert second.exit_code == 0
    assert json.loads(path.read_text())["tokens"][1]["rights"] == ["manage-tokens"]  # the console's Staff tokens page
    listing = runner.invoke(main, ["staff-token", "list", "--data-dir", str(data)])
    assert "Alice" in listing.output and "Bob" in listing.output and "sha256" not in listing.output
    assert "manage-tokens" in listing.output
    token_id = doc["tokens"][0]["id"]
    revoked = runner.invoke(main, ["staff-token", "revoke", token_id, "--data-dir", str(data)])
    assert revoked.exit_code == 0 and f"Revoked token {token_id}" in revoked.output
    records = json.loads(runner.invoke(main, ["staff-token", "list", "--json", "--data-dir", str(data)]).output)
    assert [r["revoked_at"] is not None for r in records] == [True, False]
    assert all("sha256" not in r for r in records)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = runner.invoke(main, ["staff-token", "revoke", token_id, "--data-dir", str(data)])
    assert again.exit_code == 1 and "already revoked" in again.output


def test_a_broken_token_file_is_reported_not_overwritten(tmp_path):
    (tmp_path / "staff_tokens.json").write_text("{oops", encoding="utf-8")
    result = CliRunner().invoke(main, ["staff-token", "create", "-p", "p", "--name", "N", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1 and "is not valid JSON" in result.output
    assert (tmp_path / "staff_tokens.json").read_text() == "{oops"


def test_secrets_manager_backend(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    with mock_aws():
        runner = CliRunner()
        result = runner.invoke(
            main, ["staff-token", "create", "-p", "paris-2017", "--name", "Alice", "--secret-name", "datacity/staff"]
        )
        assert result.exit_code == 0, result.output
        token = result.stdout.strip()
        client = boto3.client("secretsmanager")
        doc = json.loads(client.get_secret_value(SecretId="datacity/staff")["SecretString"])
        assert doc["tokens"][0]["sha256"] == tokens.hash_token(token)
        revoked = runner.invoke(
            main, ["staff-token", "revoke", doc["tokens"][0]["id"], "--secret-name", "datacity/staff"]
        )
        assert revoked.exit_code == 0 and "within a minute" in revoked.output
        doc = json.loads(client.get_secret_value(SecretId="datacity/staff")["SecretString"])
        assert doc["tokens"][0]["revoked_at"]


# --- the client: where the token comes from, where it may go, how errors read --------------------------------------

TOKEN = "dcs_1a2b3c4d_" + "b" * 43


def test_token_only_from_the_environment_or_a_file_and_never_echoed(tmp_path):
    assert read_token(environ={"DATACITY_STAFF_TOKEN": f" {TOKEN}\n"}) == TOKEN
    with pytest.raises(StaffError, match="no staff token"):
        read_token(environ={})
    with pytest.raises(StaffError) as caught:
        read_token(environ={"DATACITY_STAFF_TOKEN": "dcs_secret-but-wrong"})
    assert "secret-but-wrong" not in str(caught.value)
    file = tmp_path / "token"
    file.write_text(TOKEN + "\n")
    assert read_token(file, environ={}) == TOKEN


def test_api_base_refuses_clear_text_except_locally():
    assert api_base(None, environ={}) == "http://127.0.0.1:8000/api"
    assert api_base(None, environ={"DATACITY_API": "https://x.example.org/api/"}) == "https://x.example.org/api"
    assert api_base("http://localhost:8000/api", environ={}) == "http://localhost:8000/api"
    with pytest.raises(StaffError, match="clear text"):
        api_base("http://consultation.example.org/api", environ={})
    with pytest.raises(StaffError, match="not an API address"):
        api_base("consultation.example.org", environ={})


def test_problem_json_is_shown_as_its_message():
    body = json.dumps({"title": "Conflict", "status": 409, "detail": "The comment is published, not pending."})
    problem = problem_from(409, body.encode(), "POST", "/staff/comments/c1/decision")
    assert isinstance(problem, ApiProblem) and problem.status == 409
    assert str(problem) == "POST /staff/comments/c1/decision: 409 The comment is published, not pending."
    unauthorized = problem_from(401, b"", "GET", "/staff/programs/p/queue")
    assert "401 HTTP 401" in str(unauthorized) and "DATACITY_STAFF_TOKEN" in str(unauthorized)


def test_unreachable_api_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("DATACITY_STAFF_TOKEN", TOKEN)
    result = CliRunner().invoke(main, ["moderate", "queue", "-p", "paris-2017", "--api", "http://127.0.0.1:9/api"])
    assert result.exit_code == 1
    assert result.output.startswith("error: cannot reach the API at http://127.0.0.1:9/api")
    assert TOKEN not in result.output and "Traceback" not in result.output


def test_reason_is_required_for_reject_and_hide_and_refused_for_approve(monkeypatch):
    monkeypatch.setenv("DATACITY_STAFF_TOKEN", TOKEN)
    runner = CliRunner()
    assert "Missing option '--reason'" in runner.invoke(main, ["moderate", "hide", "c1"]).output
    assert "'spamm' is not one of" in runner.invoke(main, ["moderate", "reject", "c1", "--reason", "spamm"]).output
    assert "No such option '--reason'" in runner.invoke(main, ["moderate", "approve", "c1", "--reason", "spam"]).output
