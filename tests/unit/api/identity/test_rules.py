"""The caller as keyed hashes (identity/rules.py): tokens, cookies, rate windows."""

from __future__ import annotations

import datetime as dt

import pytest

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


@pytest.mark.parametrize(
    ("value", "has_port", "counted"),
    [
        # IPv4, with or without its port, as CloudFront-Viewer-Address and X-Forwarded-For give it.
        ("203.0.113.7:4242", True, "203.0.113.7"),
        ("203.0.113.7:1", False, "203.0.113.7"),
        ("203.0.113.7", False, "203.0.113.7"),
        ("203.0.113.7", True, "203.0.113.7"),
        (" 203.0.113.7 , 10.0.0.1", False, "203.0.113.7"),
        # IPv6 with its port (CloudFront writes it without brackets), bracketed, bare: its /64.
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd:46532", True, "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1:443", True, "2001:db8:1:2::/64"),
        ("[2001:db8:1:2::1]:443", False, "2001:db8:1:2::/64"),
        ("[2001:db8:1:2::1]", False, "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::FFFF", False, "2001:db8:1:2::/64"),
        ("fe80::1%eth0", False, "fe80::/64"),
        # IPv4-mapped IPv6: the IPv4 address, so one viewer is one counter whichever way it arrives.
        ("::ffff:203.0.113.7:4242", True, "203.0.113.7"),
        ("[::ffff:203.0.113.7]:4242", False, "203.0.113.7"),
        ("::ffff:cb00:7107", False, "203.0.113.7"),
        # Garbage: one shared counter.
        ("", False, rules.UNKNOWN_ADDRESS),
        ("not an address", True, rules.UNKNOWN_ADDRESS),
        ("203.0.113.7:port", True, rules.UNKNOWN_ADDRESS),
        ("999.1.1.1:80", True, rules.UNKNOWN_ADDRESS),
        ("[2001:db8::1", False, rules.UNKNOWN_ADDRESS),
        ("[2001:db8::1]x", False, rules.UNKNOWN_ADDRESS),
        ("2001:db8::zz:80", True, rules.UNKNOWN_ADDRESS),
        ("\x00\udcff", False, rules.UNKNOWN_ADDRESS),
    ],
)
def test_the_address_counted_has_no_port_and_groups_ipv6_by_64(value, has_port, counted):
    assert rules.client_address(value, has_port) == counted


def test_every_address_of_one_ipv6_64_shares_one_key_and_the_next_64_does_not():
    keys = {rules.ip_key(KEY, rules.client_address(f"2001:db8:1:2:{i:x}::{i:x}:{1000 + i}", True)) for i in range(50)}
    assert len(keys) == 1
    other = rules.ip_key(KEY, rules.client_address("2001:db8:1:3::1:443", True))
    assert other not in keys
