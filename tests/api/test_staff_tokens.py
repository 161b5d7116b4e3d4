"""Staff credentials without HTTP: token parsing and comparison, the secret's 60-second cache, the IAM mapping."""

from __future__ import annotations

import hashlib
import json

import pytest

from chalicelib.adapters import secrets
from chalicelib.kernel.errors import ApiError
from chalicelib.settings import Settings
from chalicelib.staff_access import rules as staff

TOKEN = "dcs_1a2b3c4d_" + "A" * 43


def document(**changes) -> str:
    record = {
        "id": "1a2b3c4d",
        "name": "Alice",
        "programs": ["paris-2017"],
        "sha256": hashlib.sha256(TOKEN.encode()).hexdigest(),
        "created_at": "2026-11-26T10:00:00Z",
        "revoked_at": None,
        **changes,
    }
    return json.dumps({"tokens": [record, {"id": "bad"}, "not even an object"]})


def refused(records, header) -> ApiError:
    with pytest.raises(ApiError) as caught:
        staff.authenticate(records, header)
    return caught.value


def test_a_valid_token_names_its_actor_and_programs():
    actor = staff.authenticate(staff.parse_document(document()), f"Bearer {TOKEN}")
    assert actor == staff.Actor("1a2b3c4d", "Alice", ("paris-2017",))
    assert staff.authenticate(staff.parse_document(document()), f"bearer   {TOKEN}  ") == actor
    staff.authorize(actor, "paris-2017")
    with pytest.raises(ApiError) as caught:
        staff.authorize(actor, "lyon-2018")
    assert caught.value.status == 403


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", f"Token {TOKEN}", "Bearer dcs_1A2B3C4D_" + "A" * 43, "Bearer " + TOKEN[:-1], TOKEN],
)
def test_missing_or_malformed_tokens_are_401_with_a_bearer_challenge(header):
    error = refused(staff.parse_document(document()), header)
    assert error.status == 401 and error.headers()["WWW-Authenticate"].startswith('Bearer realm="datacity-staff"')


def test_unknown_wrong_and_revoked_tokens_are_401():
    records = staff.parse_document(document())
    assert refused(records, "Bearer dcs_ffffffff_" + "A" * 43).status == 401
    assert refused(records, "Bearer dcs_1a2b3c4d_" + "B" * 43).status == 401
    revoked = staff.parse_document(document(revoked_at="2026-11-27T00:00:00Z"))
    assert "révoqué" in refused(revoked, f"Bearer {TOKEN}").detail["fr"]
    assert refused({}, f"Bearer {TOKEN}").status == 401


def test_the_local_file_is_read_again_when_it_changes(tmp_path):
    tokens = secrets.TokenFile(tmp_path / "staff_tokens.json")
    assert tokens.records() == {}  # no file: no token
    (tmp_path / "staff_tokens.json").write_text(document())
    assert set(tokens.records()) == {"1a2b3c4d"}
    (tmp_path / "staff_tokens.json").write_text(document(revoked_at="2026-11-27T00:00:00Z", name="Alice B."))
    assert tokens.records()["1a2b3c4d"].revoked


def test_the_secret_is_fetched_at_most_every_sixty_seconds():
    now, fetched = [0.0], []
    values = iter([document(), document(revoked_at="2026-11-27T00:00:00Z")])

    def fetch(name):
        fetched.append(name)
        return next(values)

    tokens = secrets.TokenSecret("datacity/prod/staff-tokens", fetch=fetch, monotonic=lambda: now[0])
    assert not tokens.records()["1a2b3c4d"].revoked
    now[0] = 59.9
    assert not tokens.records()["1a2b3c4d"].revoked and len(fetched) == 1
    now[0] = 60.0
    assert tokens.records()["1a2b3c4d"].revoked and fetched == ["datacity/prod/staff-tokens"] * 2


def test_an_empty_secret_means_no_token():
    assert secrets.TokenSecret("s", fetch=lambda name: None).records() == {}


def test_the_iam_mapping():
    role = "arn:aws:iam::123456789012:role/datacity-moderators"
    user = "arn:aws:iam::123456789012:user/alice"
    mapping = {role: ("paris-2017",), user: ("lyon-2018", "paris-2017")}
    assert staff.iam_actor(mapping, user) == staff.Actor("iam", user, ("lyon-2018", "paris-2017"))
    session = "arn:aws:sts::123456789012:assumed-role/datacity-moderators/alice@example.org"
    assert staff.iam_actor(mapping, session).programs == ("paris-2017",)
    assert staff.iam_actor(mapping, "arn:aws:iam::123456789012:user/mallory").programs == ()
    with pytest.raises(ApiError) as caught:
        staff.iam_actor(mapping, None)
    assert caught.value.status == 401


def test_staff_settings():
    settings = Settings.load(environ={"STAFF_AUTH": "iam", "STAFF_IAM_PROGRAMS": '{"arn:x": ["p"]}'})
    assert settings.staff_auth == "iam" and settings.staff_iam_programs == {"arn:x": ("p",)}
    assert Settings.load(environ={}).staff_tokens_secret == ""
    for bad in ({"STAFF_AUTH": "basic"}, {"STAFF_IAM_PROGRAMS": '{"arn:x": "p"}'}, {"STAFF_IAM_PROGRAMS": "[]"}):
        with pytest.raises(ValueError):
            Settings.load(environ=bad)


def test_iam_mode_routes_use_the_callers_arn(tmp_path):
    """STAFF_AUTH=iam through the service: API Gateway checked the signature; the ARN picks the programs."""
    from chalicelib.adapters.sqlite import SQLiteStore
    from chalicelib.consultation import Consultation
    from chalicelib.kernel.catalog import CatalogFile
    from chalicelib.kernel.clock import FixedClock
    from chalicelib.kernel.keys import Keys

    from .conftest import INSIDE, catalog_data

    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps(catalog_data()))
    settings = Settings.load(
        environ={"STAFF_AUTH": "iam", "STAFF_IAM_PROGRAMS": '{"arn:aws:iam::1:user/a": ["live-post"]}'}
    )
    service = Consultation(
        settings, SQLiteStore(tmp_path / "s.sqlite3"), CatalogFile(catalog), Keys.from_json(Keys.generate_json()),
        FixedClock(INSIDE),
    )  # fmt: skip
    actor = service.staff.actor(None, "arn:aws:iam::1:user/a")
    assert service.staff.audit(actor, "live-post", None)["entries"] == []
    with pytest.raises(ApiError) as caught:
        service.staff.audit(actor, "old", None)
    assert caught.value.status == 403


def test_the_console_writes_the_same_file_the_staff_commands_read_and_write(tmp_path):
    from staff import tokens as commands

    backend = commands.FileBackend(tmp_path)
    doc = commands.empty_document()
    commands.create(doc, ["paris-2017"], "Alice (setup)", manage_tokens=True)
    backend.save(doc)
    source = secrets.TokenFile(tmp_path / "staff_tokens.json")
    (alice,) = source.records().values()
    assert alice.rights == (staff.MANAGE_TOKENS,)
    manager = staff.Actor(alice.id, alice.name, alice.programs, alice.rights)
    token, record = source.update(lambda d: staff.add_token(d, "Bob", ["paris-2017"], [], "2026-12-02T10:00:00Z"))
    assert (tmp_path / "staff_tokens.json").stat().st_mode & 0o777 == 0o600
    assert staff.authenticate(source.records(), f"Bearer {token}").name == "Bob"  # seen at once, same clock tick
    listed = {r["id"]: r for r in backend.load()["tokens"]}  # what `datacity staff-token list` reads
    # staff/tokens.py create and the API's add_token each build the record (neither side may import the other's).
    assert set(listed[alice.id]) == set(listed[record["id"]])
    assert listed[record["id"]]["sha256"] == hashlib.sha256(token.encode()).hexdigest() and token not in json.dumps(
        listed
    )
    source.update(lambda d: staff.revoke_in(d, manager, record["id"], "2026-12-02T11:00:00Z"))
    assert backend.load()["tokens"][1]["revoked_at"] == "2026-12-02T11:00:00Z"
    assert refused(source.records(), f"Bearer {token}").status == 401


def test_the_console_puts_a_new_version_of_the_secret_the_staff_commands_use(monkeypatch):
    """On moto's Secrets Manager: the API's write is what `datacity staff-token list --secret-name` then reads."""
    moto = pytest.importorskip("moto")
    from staff import tokens as commands

    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with moto.mock_aws():
        import boto3

        boto3.client("secretsmanager").create_secret(Name="datacity/prod/staff-tokens")  # as the stack: no value
        source = secrets.TokenSecret("datacity/prod/staff-tokens")
        assert source.records() == {}
        token, record = source.update(lambda d: staff.add_token(d, "Bob", ["paris-2017"], [], "2026-12-02T10:00:00Z"))
        assert staff.authenticate(source.records(), f"Bearer {token}").token == record["id"]  # no 60 s wait here
        (listed,) = commands.SecretBackend("datacity/prod/staff-tokens").load()["tokens"]
        assert listed["id"] == record["id"] and "sha256" in listed and token not in json.dumps(listed)


def test_new_tokens_only_within_the_managers_programs_and_rights():
    manager = staff.Actor("1a2b3c4d", "Alice", ("a", "b"), (staff.MANAGE_TOKENS,))
    assert staff.check_new_token(manager, " Bob ", ["b", "a", "a"], []) == ("Bob", ["a", "b"], [])
    for name, programs, rights, status in [
        ("", ["a"], [], 422),
        ("x" * 121, ["a"], [], 422),
        ("Bob", [], [], 422),
        ("Bob", ["c"], [], 403),
        ("Bob", ["a"], ["admin"], 422),
    ]:
        with pytest.raises(ApiError) as caught:
            staff.check_new_token(manager, name, programs, rights)
        assert caught.value.status == status, (name, programs, rights)
    plain = staff.Actor("1a2b3c4d", "Alice", ("a",))
    with pytest.raises(ApiError) as caught:
        staff.require_token_right(plain, "a")
    assert caught.value.status == 403
