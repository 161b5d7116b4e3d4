"""Record ids: 16 letters and digits (about 95 bits), which ITEM_ID_RE accepts.

Letters and digits only, so that an id never starts with '-' (a command line would read it as an option) and can be
copied from a terminal or an email whole. An id is either random, or derived from what makes a submission itself
(keyed_id), so that the same submission sent twice is one record (docs/api.md, "Sent twice").
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

ALPHABET = string.ascii_letters + string.digits
LENGTH = 16


def _letters(data: bytes) -> str:
    """128 bits as 16 base-62 digits (62**16 is about 2**95: the bias of the modulo is below 2**-32)."""
    number = int.from_bytes(data[:16], "big")
    out = []
    for _ in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        out.append(ALPHABET[digit])
    return "".join(out)


def new_id() -> str:
    return _letters(secrets.token_bytes(16))


def keyed_id(key: bytes, *parts: str) -> str:
    """The id of the record these parts describe, the same every time, unguessable without the server's key."""
    return _letters(hmac.new(key, "\x1f".join(parts).encode("utf-8"), hashlib.sha256).digest())
