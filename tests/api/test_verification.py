"""Verified participation over HTTP: a verified program refuses anonymous votes, counts a verified resident once on
every device, gives receipts, and stores only keyed hashes."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading

import pytest

from chalicelib.adapters.sqlite import SQLiteStore
from chalicelib.kernel.storage import AlreadyExists
from chalicelib.verification import rules, service
from chalicelib.votes import receipts

from .conftest import OPEN, catalog_data, serve_api

EMAIL = "Resident.One@Example.org"


def verified_catalog() -> dict:
    data = catalog_data()
    data["programs"].append(
        {
            "id": "verified",
            "title": {"fr": "verified", "en": "verified"},
            "window": OPEN,
            "moderation": "post",
            "tallies": "live",
            "participation": ["email", "oidc"],
            "urls": {"fr": "verified/", "en": "en/verified/"},
            "propose_urls": {"fr": "verified/propose/", "en": "en/verified/propose/"},
        }
    )
    data["challenges"].append(
        {
            "id": "potholes",
            "program": "verified",
            "status": "open",
            "title": {"fr": "potholes", "en": "potholes"},
            "window": OPEN,
            "urls": {"fr": "verified/challenges/potholes/", "en": "en/verified/challenges/potholes/"},
        }
    )
    return data


@pytest.fixture
def vapi(tmp_path):
    store = SQLiteStore(tmp_path / "api.sqlite3")
    for api in serve_api(store, tmp_path):
        api.catalog_path.write_text(json.dumps(verified_catalog()), encoding="utf-8")
        yield api


def as_cookie(header: str) -> str:
    return header.split(";", 1)[0]


def test_a_verified_program_refuses_an_anonymous_vote_with_a_link_to_verify(vapi):
    answer = vapi.request("PUT", "/challenges/potholes/vote", headers={"Accept-Language": "en"})
    assert answer.status_code == 403
    body = vapi.json(answer)
    assert body["type"] == "/api/problems/verification-required"
    assert "confirm that you live here" in body["detail"]
    assert body["verify"].startswith("http://testserver.local/api/programs/verified/verify?format=html")
    assert "return=%2Fen%2Fverified%2Fchallenges%2Fpotholes%2F" in body["verify"]
    assert body["methods"] == ["email", "oidc"]
    # No voter cookie is handed out for it, and an anonymous program still takes votes as before.
    assert vapi.cookie is None
    assert vapi.request("PUT", "/challenges/leaks/vote").status_code == 200


def test_without_javascript_vote_leads_to_confirming_residence(vapi):
    answer = vapi.request(
        "POST",
        "/challenges/potholes/vote",
        raw=b"intent=vote&lang=fr",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 303
    location = answer.headers["Location"]
    assert "/api/programs/verified/verify?format=html&lang=fr&return=%2Fverified%2Fchallenges%2Fpotholes%2F" in location
    page = vapi.request("GET", location.split("/api", 1)[1], headers={"Accept-Language": "fr"})
    assert page.status_code == 200 and "Confirmez que vous habitez ici" in page.body.decode()


def test_the_same_resident_on_two_devices_counts_once(vapi):
    c = vapi.service.context
    phone = as_cookie(service.grant(c, "verified", "email", rules.normalise_email(EMAIL)))
    laptop = as_cookie(service.grant(c, "verified", "email", rules.normalise_email("  resident.one@example.ORG")))
    assert phone != laptop
    first = vapi.request("PUT", "/challenges/potholes/vote", headers={"Cookie": phone}, cookie=False)
    assert first.status_code == 200 and vapi.json(first)["changed"] is True
    again = vapi.request("PUT", "/challenges/potholes/vote", headers={"Cookie": laptop}, cookie=False)
    assert vapi.json(again)["changed"] is False and vapi.json(again)["count"] == 1
    tally = vapi.request("GET", "/challenges/potholes/tally", headers={"Cookie": laptop}, cookie=False)
    assert vapi.json(tally)["voted"] is True and vapi.json(tally)["count"] == 1
    # Another resident is another vote; the counters say how they verified.
    other = as_cookie(service.grant(c, "verified", "oidc", "https://idp.example sub-42"))
    assert (
        vapi.json(vapi.request("PUT", "/challenges/potholes/vote", headers={"Cookie": other}, cookie=False))["count"]
        == 2
    )
    counters = c.store.moderation_counters("verified")
    assert counters["votes:email"] == 1 and counters["votes:oidc"] == 1
    assert counters["verification:email:completed"] == 2 and counters["verification:oidc:completed"] == 1
    withdrawn = vapi.request("DELETE", "/challenges/potholes/vote", headers={"Cookie": laptop}, cookie=False)
    assert vapi.json(withdrawn)["changed"] is True
    assert c.store.moderation_counters("verified")["votes:email"] == 0


def test_a_verified_voter_gets_the_same_receipt_on_every_device_and_finds_their_vote_in_the_log(vapi):
    c = vapi.service.context
    phone = as_cookie(service.grant(c, "verified", "email", "ana@example.org"))
    laptop = as_cookie(service.grant(c, "verified", "email", "ana@example.org"))
    vapi.request("PUT", "/challenges/potholes/vote", headers={"Cookie": phone}, cookie=False)
    codes = [
        vapi.json(vapi.request("GET", "/me/receipt?program=verified", headers={"Cookie": cookie}, cookie=False))
        for cookie in (phone, laptop)
    ]
    assert codes[0]["token"] == codes[1]["token"] and codes[0]["cookie"] == "dc_verified"
    salt = receipts.salt(c.keys.hash_key, "potholes")
    found, _ = c.store.vote_receipts_page("potholes", 10)
    assert [receipt for _, receipt in found] == [
        hashlib.sha256(bytes.fromhex(salt) + codes[0]["token"].encode()).hexdigest()
    ]
    missing = vapi.request("GET", "/me/receipt?program=verified", cookie=False)
    assert missing.status_code == 404


def test_an_expired_or_forgotten_session_is_refused(vapi):
    c = vapi.service.context
    cookie = as_cookie(service.grant(c, "verified", "email", "ana@example.org"))
    status = vapi.json(vapi.request("GET", "/programs/verified/verification", headers={"Cookie": cookie}, cookie=False))
    assert status["verified"] is True and status["method"] == "email"
    vapi.clock.advance(hours=c.settings.verified_session_hours, seconds=1)
    assert vapi.request("PUT", "/challenges/potholes/vote", headers={"Cookie": cookie}, cookie=False).status_code == 403
    vapi.clock.advance(hours=-c.settings.verified_session_hours)
    forgotten = vapi.request("DELETE", "/programs/verified/verification", headers={"Cookie": cookie}, cookie=False)
    assert "Max-Age=0" in forgotten.headers["Set-Cookie"]
    assert vapi.request("PUT", "/challenges/potholes/vote", headers={"Cookie": cookie}, cookie=False).status_code == 403


def test_grant_refuses_a_method_the_program_does_not_offer(vapi):
    c = vapi.service.context
    with pytest.raises(ValueError):
        service.grant(c, "live-post", "email", "ana@example.org")
    with pytest.raises(ValueError):
        service.grant(c, "nowhere", "email", "ana@example.org")


def test_only_keyed_hashes_are_stored(vapi, tmp_path):
    c = vapi.service.context
    header = service.grant(c, "verified", "email", "ana@example.org")
    secret = header.split(";", 1)[0].split("=", 1)[1]
    vapi.request("PUT", "/challenges/potholes/vote", headers={"Cookie": f"dc_verified={secret}"}, cookie=False)
    c.store.close()
    dump = "\n".join(sqlite3.connect(tmp_path / "api.sqlite3").iterdump())
    assert secret not in dump and "ana@example.org" not in dump and "ana" not in dump


# --- The storage contract, on SQLite and on DynamoDB Local ----------------------------------------------------


def request_record(key: str = "r" * 40, expires: int = 2_000_000_000) -> rules.EmailRequest:
    return rules.EmailRequest(key, "verified", "email:" + "a" * 40, "l" * 40, "c" * 40, "/", "fr", 1, expires)


def test_sessions_and_requests_on_every_store(store):
    session = rules.VerifiedSession("k" * 40, "verified", "email:" + "a" * 40, "email", 1, 2)
    store.add_verified_session(session)
    assert store.get_verified_session("k" * 40) == session
    with pytest.raises(AlreadyExists):
        store.add_verified_session(session)
    store.end_verified_session("k" * 40)
    assert store.get_verified_session("k" * 40) is None
    store.add_email_request(request_record())
    assert store.get_email_request("r" * 40) == request_record()
    assert [store.count_code_attempt("r" * 40) for _ in range(3)] == [1, 2, 3]
    assert store.get_email_request("r" * 40).attempts == 3
    assert store.use_email_request("r" * 40) is True
    assert store.use_email_request("r" * 40) is False and store.count_code_attempt("r" * 40) == 0
    store.count_verification("verified", {"verification:email:requested": 2})
    store.count_verification("verified", {"verification:email:requested": 1, "votes:email": 1})
    assert store.moderation_counters("verified") == {"verification:email:requested": 3, "votes:email": 1}


def test_a_request_is_used_once_among_50_at_once(store):
    store.add_email_request(request_record())
    won, start = [], threading.Barrier(50)

    def use():
        start.wait()
        won.append(store.use_email_request("r" * 40))

    threads = [threading.Thread(target=use) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False] * 49 + [True]


def test_the_moderation_record_shows_votes_by_method_and_verification_outcomes(vapi):
    c = vapi.service.context
    cookie = as_cookie(service.grant(c, "verified", "email", "ana@example.org"))
    service.record(c, "verified", "email", "requested", 2)
    service.record(c, "verified", "email", "refused")
    vapi.request("PUT", "/challenges/potholes/vote", headers={"Cookie": cookie}, cookie=False)
    record = vapi.json(vapi.request("GET", "/programs/verified/moderation"))
    assert record["verification"] == {
        "votes": {"email": 1},
        "verifications": {"email": {"requested": 2, "completed": 1, "refused": 1}},
    }
    assert "verification" not in vapi.json(vapi.request("GET", "/programs/live-post/moderation"))
    page = vapi.request("GET", "/programs/verified/moderation?format=html&lang=en").body.decode()
    assert "Confirmations of residence, by way of confirming" in page and "<td>1</td><td>2</td>" in page


def test_the_verify_page_of_a_verified_resident_offers_to_forget_without_javascript(vapi):
    c = vapi.service.context
    cookie = as_cookie(service.grant(c, "verified", "email", "ana@example.org"))
    page = vapi.request(
        "GET",
        "/programs/verified/verify?format=html&lang=en&return=/en/verified/",
        headers={"Cookie": cookie},
        cookie=False,
    ).body.decode()
    assert "You are confirmed" in page and "/api/programs/verified/verification/forget" in page
    forgot = vapi.request(
        "POST",
        "/programs/verified/verification/forget",
        raw=b"return=%2Fen%2Fverified%2F&lang=en",
        content_type="application/x-www-form-urlencoded",
        headers={"Cookie": cookie},
        cookie=False,
    )
    assert forgot.status_code == 303 and "Max-Age=0" in forgot.headers["Set-Cookie"]
    assert "/api/programs/verified/verify?format=html&lang=en&return=%2Fen%2Fverified%2F" in forgot.headers["Location"]
    status = vapi.request("GET", "/programs/verified/verification", headers={"Cookie": cookie}, cookie=False)
    assert vapi.json(status)["verified"] is False
