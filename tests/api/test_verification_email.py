"""Verification by email over HTTP, with a real SMTP server (aiosmtpd) started by the test: one-time links and
codes, expiry, reuse, rate limits, the same answer for every address, 50 at once, and no email kept."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.adapters.mail import SMTPMailer
from chalicelib.adapters.sqlite import SQLiteStore
from tests.never_stored import remember

from .conftest import serve_api
from .smtp_server import link_and_code, smtp_server
from .test_verification import verified_catalog

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def smtp():
    with smtp_server() as running:
        yield running


def serve_verified(store, tmp_path, smtp, **overrides):
    inbox, port = smtp
    for api in serve_api(store, tmp_path, **overrides):
        api.catalog_path.write_text(json.dumps(verified_catalog()), encoding="utf-8")
        api.service.email_verification.mailer = mailer = SMTPMailer("127.0.0.1", port)
        mailer.sender = "DataCity <no-reply@consultation.example.org>"
        api.inbox = inbox
        yield api


@pytest.fixture
def eapi(tmp_path, smtp):
    yield from serve_verified(SQLiteStore(tmp_path / "api.sqlite3"), tmp_path, smtp)


def ask(api, email: str, lang: str = "en", **more):
    if "@" in email:  # an address: no stored file may hold it (tests/never_stored.py)
        remember(email), remember(email.strip().lower())
    return api.request(
        "POST",
        "/programs/verified/verify/email",
        {"email": email, "return": "/en/verified/challenges/potholes/", **more},
        headers={"Accept-Language": lang},
        cookie=False,
    )


def use_link(api, link: str):
    query = parse_qs(urlsplit(link).query)
    return api.request(
        "POST", "/programs/verified/verify/email/link", {"r": query["r"][0], "s": query["s"][0]}, cookie=False
    )


def vote_with(api, set_cookie: str):
    return api.request(
        "PUT", "/challenges/potholes/vote", headers={"Cookie": set_cookie.split(";", 1)[0]}, cookie=False
    )


def test_a_resident_verifies_by_the_link_in_a_real_message_and_votes(eapi):
    asked = ask(eapi, "  Ana@Example.org ")
    assert asked.status_code == 202
    assert eapi.json(asked)["expires_in"] == 15 * 60
    (message,) = eapi.inbox.to("ana@example.org")
    assert message["From"] == "DataCity <no-reply@consultation.example.org>"
    assert message["Subject"] == "Confirm your participation: verified"
    link, code = link_and_code(message)
    assert link.startswith("http://testserver.local/api/programs/verified/verify/email/link?") and len(code) == 6
    # The link opens a page with a button: following it (a mail scanner) verifies nothing.
    page = eapi.request("GET", link.split("/api", 1)[1], cookie=False)
    assert page.status_code == 200 and "<form" in page.body.decode()
    used = use_link(eapi, link)
    assert used.status_code == 200 and eapi.json(used)["verified"] is True
    cookie = used.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/api" in cookie
    assert eapi.json(vote_with(eapi, cookie))["count"] == 1
    counters = eapi.service.store.moderation_counters("verified")
    assert counters["verification:email:requested"] == 1 and counters["verification:email:completed"] == 1


def test_the_message_is_in_french_for_a_french_page(eapi):
    ask(eapi, "bea@example.org", lang="fr")
    (message,) = eapi.inbox.to("bea@example.org")
    assert message["Subject"].startswith("Confirmez votre participation")
    assert "ouvrez ce lien" in message.get_content() and message["Content-Language"] == "fr"


def test_the_same_email_from_two_browsers_counts_one_vote(eapi):
    ask(eapi, "chloe@example.org")
    ask(eapi, "CHLOE@example.org")
    first, second = (link_and_code(m)[0] for m in eapi.inbox.to("chloe@example.org"))
    phone, laptop = use_link(eapi, first).headers["Set-Cookie"], use_link(eapi, second).headers["Set-Cookie"]
    assert phone.split(";")[0] != laptop.split(";")[0]
    assert eapi.json(vote_with(eapi, phone))["changed"] is True
    again = eapi.json(vote_with(eapi, laptop))
    assert again["changed"] is False and again["count"] == 1


def test_a_code_typed_in_the_page_verifies_once(eapi):
    request = eapi.json(ask(eapi, "dan@example.org"))["request"]
    _, code = link_and_code(eapi.inbox.to("dan@example.org")[0])
    body = {"request": request, "code": f"{code[:3]} {code[3:]}"}
    typed = eapi.request("POST", "/programs/verified/verify/email/code", body, cookie=False)
    assert typed.status_code == 200 and "dc_verified=" in typed.headers["Set-Cookie"]
    reused = eapi.request("POST", "/programs/verified/verify/email/code", body, cookie=False)
    assert reused.status_code == 409


def test_a_wrong_code_says_how_many_tries_are_left_then_the_request_is_burned(eapi):
    request = eapi.json(ask(eapi, "eve@example.org"))["request"]
    _, code = link_and_code(eapi.inbox.to("eve@example.org")[0])
    wrong = "000000" if code != "000000" else "111111"
    answers = [
        eapi.request("POST", "/programs/verified/verify/email/code", {"request": request, "code": wrong}, cookie=False)
        for _ in range(5)
    ]
    assert [a.status_code for a in answers] == [422, 422, 422, 422, 409]
    assert "essais restants : 3" in eapi.json(answers[1])["detail"]  # French by default
    right = eapi.request(
        "POST", "/programs/verified/verify/email/code", {"request": request, "code": code}, cookie=False
    )
    assert right.status_code == 409
    assert eapi.service.store.moderation_counters("verified")["verification:email:refused"] == 6


def test_an_expired_link_and_a_reused_link_are_refused(eapi):
    ask(eapi, "finn@example.org")
    ask(eapi, "finn@example.org")
    old, fresh = (link_and_code(m)[0] for m in eapi.inbox.to("finn@example.org"))
    eapi.clock.advance(minutes=15, seconds=1)
    expired = use_link(eapi, old)
    assert expired.status_code == 409 and "a expiré ou a déjà servi" in eapi.json(expired)["detail"]
    eapi.clock.advance(minutes=-15, seconds=-1)
    assert use_link(eapi, fresh).status_code == 200
    assert use_link(eapi, fresh).status_code == 409
    tampered = fresh.replace("s=", "s=x", 1)
    assert use_link(eapi, tampered).status_code in (409, 422)


def test_a_form_post_gets_the_code_page_and_the_link_takes_the_resident_back(eapi):
    sent = eapi.request(
        "POST",
        "/programs/verified/verify/email",
        raw=b"email=gil%40example.org&return=%2Fen%2Fverified%2Fchallenges%2Fpotholes%2F&lang=en",
        content_type=FORM,
        cookie=False,
    )
    assert sent.status_code == 200 and 'name="code"' in sent.body.decode()
    link, _ = link_and_code(eapi.inbox.to("gil@example.org")[0])
    query = parse_qs(urlsplit(link).query)
    back = eapi.request(
        "POST",
        "/programs/verified/verify/email/link",
        raw=f"r={query['r'][0]}&s={query['s'][0]}&lang=en".encode(),
        content_type=FORM,
        cookie=False,
    )
    assert back.status_code == 303
    assert back.headers["Location"] == "http://testserver.local/en/verified/challenges/potholes/"
    assert "dc_verified=" in back.headers["Set-Cookie"]


def test_the_verification_pages_post_their_forms_under_the_form_prefix(eapi):
    """In production only /api/form/ takes a browser form's unsigned body (web/function_url.py FORM_PREFIX); a form
    posting to /api/ itself would be refused by CloudFront's origin access control before reaching the API."""
    from chalicelib.web.function_url import FORM_PREFIX

    def actions(html: str) -> list[str]:
        found = re.findall(r'<form method="post" action="([^"]+)"', html)
        assert found
        return found

    start = eapi.request("GET", "/programs/verified/verify?format=html&lang=en&return=/en/", cookie=False)
    sent = eapi.request("POST", "/programs/verified/verify/email", raw=b"email=ha%40example.org&lang=en",
                        content_type=FORM, cookie=False)  # fmt: skip
    link, _ = link_and_code(eapi.inbox.to("ha@example.org")[0])
    opened = eapi.request("GET", urlsplit(link).path.removeprefix("/api") + "?" + urlsplit(link).query, cookie=False)
    for answer in (start, sent, opened):
        assert answer.status_code == 200, answer.body
        assert all(a.startswith(f"/api{FORM_PREFIX}/programs/verified/verify/") for a in actions(answer.body.decode()))


def test_every_address_gets_the_same_answer_and_bad_input_a_plain_4xx(eapi):
    shapes = [sorted(eapi.json(ask(eapi, email))) for email in ("known@example.org", "nobody@example.net")]
    assert shapes[0] == shapes[1] == ["expires_in", "program", "request", "return"]
    bad = ask(eapi, "not an address")
    assert bad.status_code == 422 and eapi.json(bad)["field"] == "email"
    assert (
        eapi.request("POST", "/programs/live-post/verify/email", {"email": "a@b.org"}, cookie=False).status_code == 404
    )
    assert ask(eapi, "a@b.org", extra="x").status_code == 422


def test_requests_are_limited_per_email_hash_and_per_address(eapi):
    answers = [ask(eapi, f"{'HAL' if i % 2 else 'hal'}@example.org").status_code for i in range(6)]
    assert answers == [202] * 5 + [429]
    assert len(eapi.inbox.to("hal@example.org")) == 5
    # Another address from the same client is still served, until the per-address limit (30).
    assert ask(eapi, "ivy@example.org").status_code == 202
    codes = [ask(eapi, f"person{i}@example.org").status_code for i in range(30)]
    assert codes == [202] * 23 + [429] * 7
    # 30 per client address, refused requests counted too: 6 + 1 + 23 were counted before the limit.


def test_no_email_is_stored_in_clear(eapi, tmp_path):
    ask(eapi, "jo.secret@example.org")
    use_link(eapi, link_and_code(eapi.inbox.to("jo.secret@example.org")[0])[0])
    eapi.service.store.close()
    dump = "\n".join(sqlite3.connect(tmp_path / "api.sqlite3").iterdump()).lower()
    assert "jo.secret" not in dump and "example.org" not in dump


def test_50_concurrent_verifications_of_one_email_give_one_voter(store, tmp_path, smtp):
    """On SQLite and on DynamoDB Local: 50 requests for one address, their 50 links used at once, then 50 votes at
    once, and the same link used 50 times at once: one voter, one vote, one use."""
    for api in serve_verified(
        store,
        tmp_path,
        smtp,
        **{f"RATE_{a}_PER_{b}": "200" for a in ("VOTES", "VERIFICATIONS") for b in ("TOKEN", "IP")},
    ):
        check_50_at_once(api, store)


def check_50_at_once(api, store) -> None:
    emails = api.service.email_verification
    for _ in range(50):
        emails.request("verified", {"email": "kim@example.org"}, False, "en", "203.0.113.9")
    links = [link_and_code(m)[0] for m in api.inbox.to("kim@example.org")]
    assert len(links) == 50
    cookies, start = [], threading.Barrier(50)

    def confirm(link: str) -> None:
        query = parse_qs(urlsplit(link).query)
        start.wait()
        cookies.append(emails.confirm_link("verified", query["r"][0], query["s"][0])[0])

    run_all([lambda link=link: confirm(link) for link in links])
    assert len(cookies) == 50
    voters = {api.service.verification.session(c.split(";")[0]).voter_key for c in cookies}
    assert len(voters) == 1
    catalog = api.service.context.catalog
    challenge, program = catalog.require_challenge("potholes")
    changed = []
    start = threading.Barrier(50)

    def vote(cookie: str) -> None:
        voter = api.service.verification.participant(program, cookie.split(";")[0], "203.0.113.9")
        start.wait()
        changed.append(api.service.votes.change(challenge, program, voter, cast=True)["changed"])

    run_all([lambda c=c: vote(c) for c in cookies])
    assert sorted(changed) == [False] * 49 + [True]
    assert api.service.votes.c.store.tally("potholes") == 1

    emails.request("verified", {"email": "kim@example.org"}, False, "en", "203.0.113.9")
    once = parse_qs(urlsplit(link_and_code(api.inbox.to("kim@example.org")[-1])[0]).query)
    won, start = [], threading.Barrier(50)

    def use() -> None:
        start.wait()
        try:
            emails.confirm_link("verified", once["r"][0], once["s"][0])
            won.append(True)
        except Exception as refused:  # the ApiError 409 of every other use
            assert getattr(refused, "kind", None) == "conflict"
            won.append(False)

    run_all([use] * 50)
    assert sorted(won) == [False] * 49 + [True]
    if hasattr(store, "client"):  # DynamoDB Local: the whole table, read back, holds no address
        items = store.client.scan(TableName=store.table)["Items"]
        assert items and "kim@example.org" not in json.dumps(items).lower()


def run_all(jobs) -> None:
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
