"""Signing in with an OpenID provider, end to end against a real one (oidc-provider, started by the tests).

From the API's start route, through the provider's own sign-in and consent pages, back to the callback, to a verified
session and a vote that counts once per resident whatever the browser; and each answer the callback must refuse: a wrong or unknown state, another browser, a replay, an expired sign-in, a wrong
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

from .conftest import SITE, serve_api
from .test_verification import verified_catalog

PROGRAM = "verified"


def serve_signing(store, oidc_provider, tmp_path):
    (tmp_path / "oidc_clients.json").write_text(json.dumps({PROGRAM: oidc_provider.client_secret}))
    for api in serve_api(store, tmp_path, RATE_SIGN_INS_PER_TOKEN="5"):
        data = verified_catalog()
        entry = next(p for p in data["programs"] if p["id"] == PROGRAM)
        entry["oidc"] = {"issuer": oidc_provider.issuer, "client_id": oidc_provider.client_id, "name": "TestConnect"}
        api.catalog_path.write_text(json.dumps(data), encoding="utf-8")
        yield api


@pytest.fixture
def signing(oidc_provider, tmp_path):
    """The API with a program whose residents verify by email or at the test provider, its client secret in
    DATA_DIR as `make serve` reads it."""
    yield from serve_signing(SQLiteStore(tmp_path / "api.sqlite3"), oidc_provider, tmp_path)


@pytest.fixture
def signing_on_store(store, oidc_provider, tmp_path):
    """The same on each store of the contract suite (SQLite, DynamoDB Local)."""
    yield from serve_signing(store, oidc_provider, tmp_path)


class Browser:
    """A resident's browser before the API: its own cookies (the voter cookie, then the verified session)."""

    def __init__(self, api):
        self.api, self.jar = api, {}

    def get(self, path: str, **headers):
        sent = {"Accept-Language": "en", **headers}
        if self.jar:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        answer = self.api.request("GET", path, content_type=None, headers=sent, cookie=False)
        set_cookie = answer.headers.get("Set-Cookie")
        if set_cookie:
            name, _, value = set_cookie.split(";", 1)[0].partition("=")
            self.jar[name] = value
        return answer

    def put(self, path: str):
        cookie = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        return self.api.request("PUT", path, headers={"Cookie": cookie}, cookie=False)

    def start(self, back: str = "/en/verified/challenges/potholes/") -> str:
        answer = self.get(f"/programs/{PROGRAM}/oidc/start?{urlencode({'return': back})}")
        assert answer.status_code == 303, answer.body
        assert "dc_voter" in self.jar, "the start gives the browser its voter cookie, which the sign-in is bound to"
        return answer.headers["Location"]

    def callback(self, url: str, **headers):
        """The provider's redirect, followed to our API (its path below /api)."""
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == SITE and parts.path == "/api/oidc/callback", url
        return self.get(f"/oidc/callback?{parts.query}", **headers)


def start(api) -> str:
    api.browser = Browser(api)
    return api.browser.start()


def callback(api, url: str, **headers):
    return api.browser.callback(url, **headers)


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_a_resident_signs_in_at_the_provider_and_comes_back_to_vote(signing, oidc_provider):
    browser = Browser(signing)
    assert browser.put("/challenges/potholes/vote").status_code == 403  # a verified program: confirm first
    url = browser.start()
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(oidc_provider.issuer)
    assert query["response_type"] == ["code"] and query["scope"] == ["openid"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 43 and len(query["nonce"][0]) >= 43
    answer = browser.callback(oidc_provider.sign_in(url, "oidc-sub-7f3a"))
    assert answer.status_code == 303, answer.body
    assert answer.headers["Location"] == f"{SITE}/en/verified/challenges/potholes/"
    assert "dc_verified" in browser.jar
    status = json.loads(browser.get(f"/programs/{PROGRAM}/verification").body)
    assert status["verified"] and status["method"] == "oidc"
    vote = browser.put("/challenges/potholes/vote")
    assert vote.status_code == 200 and json.loads(vote.body)["count"] == 1


def test_on_every_store_a_sign_in_verifies_once_and_its_replay_is_refused(signing_on_store, oidc_provider):
    browser = Browser(signing_on_store)
    back = oidc_provider.sign_in(browser.start(), "oidc-sub-store")
    assert browser.callback(back).status_code == 303
    assert json.loads(browser.put("/challenges/potholes/vote").body)["count"] == 1
    assert "already used" in refusal(browser.callback(back), "replayed")
    other = Browser(signing_on_store)  # the same resident elsewhere: counted once
    assert other.callback(oidc_provider.sign_in(other.start(), "oidc-sub-store")).status_code == 303
    assert json.loads(other.put("/challenges/potholes/vote").body)["count"] == 1


def test_the_same_resident_on_two_browsers_counts_once_and_another_resident_counts(signing, oidc_provider):
    counts = []
    for login in ("oidc-sub-a", "oidc-sub-a", "oidc-sub-b"):
        browser = Browser(signing)  # another device each time
        assert browser.callback(oidc_provider.sign_in(browser.start(), login)).status_code == 303
        counts.append(json.loads(browser.put("/challenges/potholes/vote").body)["count"])
    assert counts == [1, 1, 2]


def test_the_verify_page_offers_the_provider_without_javascript(signing, oidc_provider):
    browser = Browser(signing)
    page = browser.get(f"/programs/{PROGRAM}/verify?format=html&lang=en&return=/en/verified/").body.decode()
    assert "Sign in with TestConnect" in page
    link = re.search(r'href="([^"]*/oidc/start[^"]*)"', page).group(1).replace("&amp;", "&")
    assert link.startswith(f"{SITE}/api/programs/{PROGRAM}/oidc/start?")
    answer = browser.get(link[len(SITE) + len("/api") :])
    assert answer.status_code == 303 and answer.headers["Location"].startswith(oidc_provider.issuer)
    french = browser.get(f"/programs/{PROGRAM}/verify?format=html&lang=fr&return=/verified/").body.decode()
    assert "Se connecter avec TestConnect" in french


def counted(tmp_path) -> dict:
    db = sqlite3.connect(tmp_path / "api.sqlite3")
    found = db.execute(
        "SELECT name, n FROM moderation_counts WHERE program = ? AND name LIKE 'verification:oidc:%'", (PROGRAM,)
    )
    return {name.rsplit(":", 1)[1]: n for name, n in found}


def test_requests_completions_and_refusals_are_counted_for_the_program(signing, oidc_provider, tmp_path):
    browser = Browser(signing)
    back = oidc_provider.sign_in(browser.start(), "oidc-sub-1")
    assert browser.callback(back).status_code == 303
    assert browser.callback(back).status_code == 400  # replayed
    browser.start()  # started, never finished
    assert counted(tmp_path) == {"requested": 2, "completed": 1, "refused": 1}


def refusal(answer, reason: str) -> str:
    assert answer.status_code == 400, answer.body
    assert answer.headers["Content-Type"].startswith("text/html")
    page = answer.body.decode()
    assert 'role="alert"' in page
    reasons = {"state", "browser", "replayed", "expired", "nonce", "denied", "token"}
    assert reason in reasons
    return page


def test_an_answer_with_a_state_this_site_never_sent_is_refused(signing, oidc_provider):
    back = oidc_provider.sign_in(start(signing), "oidc-sub-1")
    answer = callback(signing, with_query(back, state="x" * 43))
    page = refusal(answer, "state")
    assert "matches no sign-in" in page
    # The genuine answer still works afterwards: a wrong state consumed nothing.
    assert callback(signing, back).status_code == 303


def test_an_answer_without_a_state_is_refused(signing, oidc_provider):
    back = oidc_provider.sign_in(start(signing), "oidc-sub-1")
    parts = urlsplit(back)
    query = {k: v[0] for k, v in parse_qs(parts.query).items() if k != "state"}
    assert callback(signing, urlunsplit(parts._replace(query=urlencode(query)))).status_code == 400


def test_the_answer_of_one_sign_in_with_the_state_of_another_is_refused(signing, oidc_provider):
    first = start(signing)
    second = signing.browser.start()  # the same browser
    back = oidc_provider.sign_in(first, "oidc-sub-1")
    other_state = parse_qs(urlsplit(second).query)["state"][0]
    # The code was issued for the first sign-in's PKCE challenge: the second's verifier does not redeem it.
    answer = callback(signing, with_query(back, state=other_state))
    assert "could not be checked" in refusal(answer, "token")


def test_an_answer_carried_to_another_browser_is_refused(signing, oidc_provider):
    back = oidc_provider.sign_in(start(signing), "oidc-sub-1")
    victim = Browser(signing)  # a browser that never started this sign-in (login CSRF)
    page = refusal(victim.callback(back), "browser")
    assert "another browser" in page


def test_a_replayed_answer_is_refused(signing, oidc_provider):
    back = oidc_provider.sign_in(start(signing), "oidc-sub-1")
    assert callback(signing, back).status_code == 303
    page = refusal(callback(signing, back), "replayed")
    assert "already used" in page


def test_an_expired_sign_in_is_refused(signing, oidc_provider):
    back = oidc_provider.sign_in(start(signing), "oidc-sub-1")
    signing.clock.advance(minutes=10, seconds=1)
    page = refusal(callback(signing, back), "expired")
    assert "longer than 10 minutes" in page


def test_an_id_token_with_another_nonce_is_refused(signing, oidc_provider):
    # The authorisation request reaches the provider with another nonce (an attacker's link, a tampering proxy):
    # the provider signs that nonce into the ID token, which is not the one this sign-in keeps.
    url = start(signing)
    back = oidc_provider.sign_in(with_query(url, nonce="n" * 43), "oidc-sub-1")
    page = refusal(callback(signing, back), "nonce")
    assert "belongs to another sign-in" in page


def test_a_sign_in_cancelled_at_the_provider_records_nothing(signing, oidc_provider):
    back = oidc_provider.sign_in(start(signing), "oidc-sub-1", consent=False)
    assert "error=access_denied" in back
    page = refusal(callback(signing, back), "denied")
    assert "cancelled" in page


def test_refusals_are_in_the_residents_language(signing, oidc_provider):
    back = oidc_provider.sign_in(start(signing), "oidc-sub-1")
    assert callback(signing, back).status_code == 303
    answer = callback(signing, back, **{"Accept-Language": "fr"})
    assert "déjà" in answer.body.decode()


def test_the_start_refuses_a_program_without_a_provider_and_keeps_back_to_the_site(signing, oidc_provider):
    answer = signing.request("GET", "/programs/live-post/oidc/start", content_type=None)
    assert answer.status_code == 404 and answer.headers["Content-Type"].startswith("text/html")
    browser = Browser(signing)
    back = browser.callback(oidc_provider.sign_in(browser.start(back="https://elsewhere.example/"), "oidc-sub-1"))
    assert back.headers["Location"] == f"{SITE}/"


def test_a_provider_that_cannot_be_reached_is_a_502_page(signing, tmp_path):
    data = json.loads(signing.catalog_path.read_text())
    next(p for p in data["programs"] if p["id"] == PROGRAM)["oidc"]["issuer"] = "http://127.0.0.1:9"
    signing.catalog_path.write_text(json.dumps(data))
    answer = signing.request("GET", f"/programs/{PROGRAM}/oidc/start", content_type=None)
    assert answer.status_code == 502 and answer.headers["Content-Type"].startswith("text/html")


def test_no_stored_file_holds_a_subject_in_clear(signing, oidc_provider, tmp_path):
    subject = "subject-in-clear-5b1e"
    back = oidc_provider.sign_in(start(signing), subject)
    assert callback(signing, back).status_code == 303
    found = [p for p in Path(tmp_path).rglob("*") if p.is_file() and subject.encode() in p.read_bytes()]
    assert found == []
    # Nor the issuer with it, nor any claim of the provider's (names, email): only keyed hashes reach the store.
    db = sqlite3.connect(tmp_path / "api.sqlite3")
    for table in ("oidc_sign_ins", "verified_sessions"):
        rows = db.execute(f"SELECT * FROM {table}").fetchall()
        assert rows and not any(re.search(f"Camille|Martin|example.org|{subject}|127.0.0.1", str(r)) for r in rows)


def test_sign_ins_started_from_one_browser_are_rate_limited(signing, oidc_provider):
    browser = Browser(signing)
    for _ in range(5):
        browser.start()
    answer = browser.get(f"/programs/{PROGRAM}/oidc/start")
    assert answer.status_code == 429 and answer.headers["Content-Type"].startswith("text/html")
    assert "Too many requests" in answer.body.decode() and "Retry-After" in answer.headers
