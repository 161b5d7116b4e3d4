"""Signing in with an OpenID provider, end to end against a real one (oidc-provider, started by the tests).

From the API's start route, through the provider's own sign-in and consent pages, back to the callback; and each
answer the callback must refuse: a wrong or unknown state, another browser, a replay, an expired sign-in, a wrong
nonce, a cancelled sign-in. Nothing of the protocol is mocked.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest

from chalicelib.adapters.sqlite import SQLiteStore
from chalicelib.oidc import rules

from .conftest import OPEN, SITE, catalog_data, serve_api

PROGRAM = "verified"


@pytest.fixture
def signing(oidc_provider, tmp_path):
    """The API with a program whose residents sign in at the test provider, its client secret in DATA_DIR."""
    (tmp_path / "oidc_clients.json").write_text(json.dumps({PROGRAM: oidc_provider.client_secret}))
    for api in serve_api(SQLiteStore(tmp_path / "api.sqlite3"), tmp_path):
        data = catalog_data()
        data["programs"].append(
            {
                **data["programs"][0],
                "id": PROGRAM,
                "window": OPEN,
                "urls": {"fr": f"{PROGRAM}/", "en": f"en/{PROGRAM}/"},
                "oidc": {"issuer": oidc_provider.issuer, "client_id": oidc_provider.client_id},
            }
        )
        api.catalog_path.write_text(json.dumps(data), encoding="utf-8")
        yield api


def start(api, back="/verified/challenges/leaks/") -> str:
    answer = api.request("GET", f"/programs/{PROGRAM}/oidc/start?{urlencode({'back': back})}", content_type=None)
    assert answer.status_code == 303, answer.body
    assert api.cookie, "the start gives the browser its voter cookie, which the sign-in is bound to"
    return answer.headers["Location"]


def callback(api, url: str, **headers):
    """The provider's redirect, followed by the browser to our API (its path below /api)."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == SITE and parts.path == "/api/oidc/callback", url
    sent = {"Accept-Language": "en", **headers}
    return api.request("GET", f"/oidc/callback?{parts.query}", content_type=None, headers=sent)


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_a_resident_signs_in_at_the_provider_and_comes_back_to_the_challenge(signing, oidc_provider):
    url = start(signing)
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(oidc_provider.issuer)
    assert query["response_type"] == ["code"] and query["scope"] == ["openid"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 43 and len(query["nonce"][0]) >= 43
    back = oidc_provider.sign_in(url, "resident-7f3a")
    answer = callback(signing, back)
    assert answer.status_code == 303, answer.body
    assert answer.headers["Location"] == f"{SITE}/verified/challenges/leaks/"


def test_the_same_resident_gets_the_same_identity_key_and_another_resident_another(signing, oidc_provider):
    service = signing.service.sign_ins
    keys = []
    for login in ("resident-a", "resident-a", "resident-b"):
        signing.cookie = None  # another browser each time
        url = start(signing)
        state = parse_qs(urlsplit(url).query)["state"][0]
        back = oidc_provider.sign_in(url, login)
        done = service.finish({k: v[0] for k, v in parse_qs(urlsplit(back).query).items()}, _participant(signing))
        assert done.program == PROGRAM and state not in done.identity
        keys.append(done.identity)
    assert keys[0] == keys[1] != keys[2]
    expected = rules.identity_key(signing.service.keys.hash_key, oidc_provider.issuer, "resident-a")
    assert keys[0] == expected


def _participant(api):
    return api.service.identity.participant(api.cookie, api.ip, False)


def refusal(answer, reason: str) -> str:
    assert answer.status_code == 400, answer.body
    assert answer.headers["Content-Type"].startswith("text/html")
    page = answer.body.decode()
    assert 'role="alert"' in page
    reasons = {"state", "browser", "replayed", "expired", "nonce", "denied", "token"}
    assert reason in reasons
    return page


def test_an_answer_with_a_state_this_site_never_sent_is_refused(signing, oidc_provider):
    back = oidc_provider.sign_in(start(signing), "resident-1")
    answer = callback(signing, with_query(back, state="x" * 43))
    page = refusal(answer, "state")
    assert "matches no sign-in" in page
    # The genuine answer still works afterwards: a wrong state consumed nothing.
    assert callback(signing, back).status_code == 303


def test_an_answer_without_a_state_is_refused(signing, oidc_provider):
    back = oidc_provider.sign_in(start(signing), "resident-1")
    parts = urlsplit(back)
    query = {k: v[0] for k, v in parse_qs(parts.query).items() if k != "state"}
    assert callback(signing, urlunsplit(parts._replace(query=urlencode(query)))).status_code == 400


def test_the_answer_of_one_sign_in_with_the_state_of_another_is_refused(signing, oidc_provider):
    first = start(signing)
    second = start(signing)
    back = oidc_provider.sign_in(first, "resident-1")
    other_state = parse_qs(urlsplit(second).query)["state"][0]
    # The code was issued for the first sign-in's PKCE challenge: the second's verifier does not redeem it.
    answer = callback(signing, with_query(back, state=other_state))
    assert "could not be checked" in refusal(answer, "token")


def test_an_answer_carried_to_another_browser_is_refused(signing, oidc_provider):
    back = oidc_provider.sign_in(start(signing), "resident-1")
    signing.cookie = None  # the victim's browser, which never started this sign-in (login CSRF)
    page = refusal(callback(signing, back), "browser")
    assert "another browser" in page


def test_a_replayed_answer_is_refused(signing, oidc_provider):
    back = oidc_provider.sign_in(start(signing), "resident-1")
    assert callback(signing, back).status_code == 303
    page = refusal(callback(signing, back), "replayed")
    assert "already used" in page


def test_an_expired_sign_in_is_refused(signing, oidc_provider):
    back = oidc_provider.sign_in(start(signing), "resident-1")
    signing.clock.advance(minutes=10, seconds=1)
    page = refusal(callback(signing, back), "expired")
    assert "longer than 10 minutes" in page


def test_an_id_token_with_another_nonce_is_refused(signing, oidc_provider):
    # The authorisation request reaches the provider with another nonce (an attacker's link, a tampering proxy):
    # the provider signs that nonce into the ID token, which is not the one this sign-in keeps.
    url = start(signing)
    back = oidc_provider.sign_in(with_query(url, nonce="n" * 43), "resident-1")
    page = refusal(callback(signing, back), "nonce")
    assert "belongs to another sign-in" in page


def test_a_sign_in_cancelled_at_the_provider_records_nothing(signing, oidc_provider):
    back = oidc_provider.sign_in(start(signing), "resident-1", consent=False)
    assert "error=access_denied" in back
    page = refusal(callback(signing, back), "denied")
    assert "cancelled" in page


def test_refusals_are_in_the_residents_language(signing, oidc_provider):
    back = oidc_provider.sign_in(start(signing), "resident-1")
    assert callback(signing, back).status_code == 303
    answer = callback(signing, back, **{"Accept-Language": "fr"})
    assert "déjà" in answer.body.decode()


def test_the_start_refuses_a_program_without_a_provider_and_keeps_back_to_the_site(signing):
    answer = signing.request("GET", "/programs/live-post/oidc/start", content_type=None)
    assert answer.status_code == 404 and answer.headers["Content-Type"].startswith("text/html")
    url = start(signing, back="https://elsewhere.example/")
    assert "elsewhere" not in url


def test_a_provider_that_cannot_be_reached_is_a_502_page(signing, tmp_path):
    data = json.loads(signing.catalog_path.read_text())
    data["programs"][-1]["oidc"]["issuer"] = "http://127.0.0.1:9"
    signing.catalog_path.write_text(json.dumps(data))
    answer = signing.request("GET", f"/programs/{PROGRAM}/oidc/start", content_type=None)
    assert answer.status_code == 502 and answer.headers["Content-Type"].startswith("text/html")


def test_no_stored_file_holds_a_subject_in_clear(signing, oidc_provider, tmp_path):
    subject = "subject-in-clear-5b1e"
    back = oidc_provider.sign_in(start(signing), subject)
    assert callback(signing, back).status_code == 303
    found = [p for p in Path(tmp_path).rglob("*") if p.is_file() and subject.encode() in p.read_bytes()]
    assert found == []
    # The sign-in's record holds no name either: the provider's claims never reach the store.
    db = sqlite3.connect(tmp_path / "api.sqlite3")
    rows = db.execute("SELECT * FROM oidc_sign_ins").fetchall()
    assert rows and not any(re.search("Camille|Martin|example.org", str(row)) for row in rows)
