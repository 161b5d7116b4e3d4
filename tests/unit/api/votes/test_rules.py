"""When a challenge takes part and when its count is public (votes/rules.py), and the receipts' hashes."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from chalicelib.kernel.errors import ApiError
from chalicelib.votes import receipts, rules

from ..helpers import AFTER, BEFORE, INSIDE, challenge, program


def test_participation_follows_the_window_and_the_status():
    assert [rules.participation_state(challenge(), t) for t in (BEFORE, INSIDE, AFTER)] == [
        "upcoming",
        "open",
        "closed",
    ]
    assert rules.participation_state(challenge("selected"), INSIDE) == "closed"


def test_a_closed_or_coming_challenge_refuses_with_its_dates():
    with pytest.raises(ApiError) as refused:
        rules.require_challenge_open(challenge(), BEFORE)
    assert refused.value.status == 409 and refused.value.extra["state"] == "upcoming"
    assert "opens on 1 November 2026 (until 31 December 2026 inclusive)" in refused.value.detail["en"]
    assert "ouvre le 1 novembre 2026" in refused.value.detail["fr"]
    with pytest.raises(ApiError, match="no longer open"):
        rules.require_challenge_open(challenge("closed"), INSIDE)
    rules.require_challenge_open(challenge(), INSIDE)


def test_counts_are_public_at_once_or_after_the_close():
    assert rules.tally_visible(program(tallies="live"), challenge(), INSIDE)
    assert not rules.tally_visible(program(tallies="after-close"), challenge(), INSIDE)
    assert rules.tally_visible(program(tallies="after-close"), challenge(), AFTER)


def test_receipts_are_what_anyone_can_recompute():
    key = b"k" * 32
    salt = receipts.salt(key, "leaks")
    assert salt == hmac.new(key, b"vote-log-salt:leaks", hashlib.sha256).hexdigest()
    assert receipts.receipt(salt, "token") == hashlib.sha256(bytes.fromhex(salt) + b"token").hexdigest()
    assert receipts.import_entry(salt, "abc", 3) == receipts.entry(salt, "import:abc:3")
    assert receipts.salt(key, "noise") != salt  # votes cannot be linked across challenges
