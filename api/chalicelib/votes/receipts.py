"""Vote receipts, the vote log's entries (docs/staff.md, "Vote log"): per-challenge salts, receipts, offline entries.

No storage, no web framework: the same few lines as scripts/verify_tally.py, so anyone can recompute them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

HASH = "sha256(bytes.fromhex(salt) + token)"

# The voter code a resident reads: the cookie's 16 random bytes in Crockford's base32 (no I, L, O or U; read
# aloud without "is it a zero or an O?"), then two check characters (the bytes as a number modulo 1021, a prime:
# any single mistyped character and any swap of two neighbours is caught), in groups of four:
# "0Q5K-D3M8-...". The cookie's own form (22 characters of URL-safe base64, mixed case) is still accepted.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_MODULUS = 1021
CODE_LENGTH = 28  # 26 characters for 128 bits, 2 for the check
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_OLD_FORM = re.compile(r"^[A-Za-z0-9_-]{22}$")


class NotACode(ValueError):
    """Text that is neither form of a voter code; `mistyped`: it has a code's shape but a character is wrong."""

    def __init__(self, mistyped: bool):
        super().__init__("mistyped" if mistyped else "not a code")
        self.mistyped = mistyped


def code(token: str) -> str | None:
    """The voter code of a cookie token, grouped; None for a token that is not 16 bytes' canonical base64."""
    try:
        raw = base64.urlsafe_b64decode(token + "==")
    except ValueError:
        return None
    if len(raw) != 16 or base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != token:
        return None
    number = int.from_bytes(raw, "big")
    value = (number << 10) | (number % CHECK_MODULUS)
    digits = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH)))
    return "-".join(digits[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def token_from_code(text: str) -> str:
    """The cookie token a voter code stands for (either form); NotACode otherwise."""
    text = text.strip()
    if _OLD_FORM.match(text):
        return text
    compact = re.sub(r"[\s-]", "", text).upper().translate(_LOOKALIKES)
    if len(compact) != CODE_LENGTH or any(ch not in ALPHABET for ch in compact):
        raise NotACode(mistyped=len(compact) == CODE_LENGTH)
    value = 0
    for ch in compact:
        value = value * 32 + ALPHABET.index(ch)
    number, check = value >> 10, value & 1023
    if number >> 128 or number % CHECK_MODULUS != check:
        raise NotACode(mistyped=True)
    return base64.urlsafe_b64encode(number.to_bytes(16, "big")).rstrip(b"=").decode()


def salt(hash_key: bytes, challenge: str) -> str:
    """salt_c = HMAC-SHA256(hash_key, "vote-log-salt:" + c), hex: secret while open, published once closed."""
    return hmac.new(hash_key, f"vote-log-salt:{challenge}".encode(), hashlib.sha256).hexdigest()


def entry(salt_hex: str, text: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt_hex) + text.encode("utf-8")).hexdigest()


def receipt(salt_hex: str, token: str) -> str:
    """What an online vote stores: sha256(salt_c + the voter's cookie token); the token itself is never stored."""
    return entry(salt_hex, token)


def import_entry(salt_hex: str, import_id: str, line: int) -> str:
    """An offline vote's entry: sha256(salt_c + "import:<import_id>:<line>")."""
    return entry(salt_hex, f"import:{import_id}:{line}")


def legacy_entry(salt_hex: str, voter_key: str) -> str:
    """An online vote stored without a receipt (cast before receipts existed): counted, but no voter can find it."""
    return entry(salt_hex, f"voter-key:{voter_key}")
