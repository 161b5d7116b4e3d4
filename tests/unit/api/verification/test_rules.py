"""Verified participation's pure rules: keys, receipts, cookies, emails, return paths."""

from __future__ import annotations

import hashlib

import pytest

from chalicelib.verification import rules

KEY = b"k" * 32


def test_the_verified_key_depends_on_the_method_and_the_identifier_only():
    one = rules.voter_key(KEY, "email", "ana@example.org")
    assert one == rules.voter_key(KEY, "email", "ana@example.org")
    assert one.startswith("email:") and "ana" not in one and len(one) == len("email:") + 40
    assert one != rules.voter_key(KEY, "oidc", "ana@example.org")
    assert one != rules.voter_key(b"x" * 32, "email", "ana@example.org")
    assert rules.method_of(one) == "email" and rules.method_of("ab" * 20) == "anonymous"
    with pytest.raises(ValueError):
        rules.voter_key(KEY, "sms", "x")


def test_the_receipt_token_is_per_program_and_has_a_cookie_tokens_shape():
    voter = rules.voter_key(KEY, "email", "ana@example.org")
    token = rules.receipt_token(KEY, "lyon-2027", voter)
    assert token == rules.receipt_token(KEY, "lyon-2027", voter)
    assert token != rules.receipt_token(KEY, "paris-2017", voter)
    assert len(token) == 22 and token.replace("-", "").replace("_", "").isalnum()
    # The vote log's entry is computed from it exactly as from a cookie's token (votes/receipts.py).
    salt = "00" * 32
    assert hashlib.sha256(bytes.fromhex(salt) + token.encode()).hexdigest()


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Ana.Lopez+vote@Example.ORG \n", "ana.lopez+vote@example.org"),
        ("ana@example.org", "ana@example.org"),
        ("not an email", None),
        ("a@b", None),
        ("a@@b.org", None),
        ("", None),
        (None, None),
        ("x" * 250 + "@b.org", None),
    ],
)
def test_emails_are_trimmed_and_lowercased_and_nothing_else(typed, kept):
    assert rules.normalise_email(typed) == kept


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("/fr/lyon-2027/challenges/x/", "/fr/lyon-2027/challenges/x/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/a\r\nSet-Cookie: x", "/"),
        (None, "/"),
        ("relative", "/"),
    ],
)
def test_the_way_back_is_always_a_path_of_the_site(value, safe):
    assert rules.safe_return(value) == safe


def test_the_session_cookie_is_httponly_lax_and_scoped_to_the_api():
    header = rules.cookie_header("s" * 43, secure=True, max_age=3600)
    assert header.startswith("dc_verified=" + "s" * 43)
    for part in ("Path=/api", "Max-Age=3600", "HttpOnly", "SameSite=Lax", "Secure"):
        assert part in header.split("; ")
    cleared = rules.cookie_header("", secure=False, max_age=None)
    assert "Max-Age=0" in cleared and "Secure" not in cleared
    assert rules.session_secret(f"a=b; {header.split(';')[0]}") == "s" * 43
    assert rules.session_secret("dc_verified=short") is None


def test_codes_are_six_digits_and_shapes_are_checked():
    code = rules.new_code()
    assert rules.code_shape(code) and len(code) == 6
    assert not rules.code_shape("12345a") and not rules.secret_shape("x")
    assert rules.accepts(("email", "oidc"), "oidc") and not rules.accepts(("email",), "oidc")
    assert not rules.accepts(("anonymous",), "anonymous")


def test_the_record_gives_votes_and_outcomes_by_method_and_nothing_for_an_anonymous_program():
    assert rules.verification_record({"published": 3, "hidden:spam": 1}) is None
    counters = {
        "votes:email": 4,
        "verification:email:requested": 9,
        "verification:email:completed": 5,
        "verification:email:refused": 2,
        "verification:oidc:completed": 1,
        "votes:oidc": -1,  # more withdrawn than counted after a fault: never shown below 0
        "verification:sms:requested": 7,  # not a method: ignored
    }
    assert rules.verification_record(counters) == {
        "votes": {"email": 4, "oidc": 0},
        "verifications": {
            "email": {"requested": 9, "completed": 5, "refused": 2},
            "oidc": {"requested": 0, "completed": 1, "refused": 0},
        },
    }
