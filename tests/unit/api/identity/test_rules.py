"""The caller as keyed hashes (identity/rules.py): tokens, cookies, rate windows."""

from __future__ import annotations

import datetime as dt

from chalicelib.identity import rules

KEY = b"k" * 32


def test_a_caller_is_only_ever_keyed_hashes():
    who = rules.resolve(KEY, None, "203.0.113.7", create=True)
    assert who.new_token and len(who.new_token) == 22 and who.token == who.new_token
    assert who.new_token not in who.voter_key and "203.0.113.7" not in who.ip_key
    again = rules.resolve(KEY, f"{rules.COOKIE_NAME}={who.new_token}", "203.0.113.7", create=True)
    assert (again.voter_key, again.ip_key, again.new_token) == (who.voter_key, who.ip_key, None)
    assert "token" not in repr(again).replace("new_token=None", "")  # the token never reaches a log


def test_a_missing_or_malformed_cookie_is_no_voter():
    assert rules.resolve(KEY, None, "x", create=False) is None
    assert rules.token_from_cookie(f"{rules.COOKIE_NAME}=short") is None
    assert rules.token_from_cookie('bad="cookie') is None


def test_the_cookie_is_first_party_http_only_and_scoped_to_the_api():
    header = rules.cookie_header("t" * 22, secure=True, max_age_days=180)
    assert header == f"{rules.COOKIE_NAME}={'t' * 22}; Path=/api; Max-Age=15552000; HttpOnly; SameSite=Lax; Secure"


def test_rate_windows_start_on_the_hour():
    now = dt.datetime(2026, 11, 26, 12, 20, tzinfo=dt.UTC)
    start, remaining = rules.rate_window(now, 3600)
    assert start == int(dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC).timestamp()) and remaining == 40 * 60
