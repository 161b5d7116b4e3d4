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


def test_the_voter_code_stands_for_the_token_and_catches_any_single_typo():
    token = "VcohXMGTOehPZnQtgpsTHA"
    code = receipts.code(token)
    assert code == "2NS8-GNSG-CK77-M4YS-KM5P-19P4-RWG9"
    assert receipts.token_from_code(code) == token
    assert receipts.token_from_code(" " + code.lower().replace("-", "") + " ") == token
    assert receipts.token_from_code(code.replace("1", "l").replace("0", "o")) == token  # look-alikes read back
    assert receipts.token_from_code(token) == token  # the old form
    for i, ch in enumerate(code):
        for other in receipts.ALPHABET:
            if ch != "-" and other != ch:
                with pytest.raises(receipts.NotACode):
                    receipts.token_from_code(code[:i] + other + code[i + 1 :])
    swapped = code[:5] + code[6] + code[5] + code[7:]
    with pytest.raises(receipts.NotACode):
        receipts.token_from_code(swapped)
    assert receipts.code("not-a-canonical-tokenB") is None  # 22 characters, but not 16 bytes' canonical base64
