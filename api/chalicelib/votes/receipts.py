"""Vote receipts, the vote log's entries (docs/staff.md, "Vote log"): per-challenge salts, receipts, offline entries.

No storage, no web framework: the same few lines as scripts/verify_tally.py, so anyone can recompute them.
"""

from __future__ import annotations

import hashlib
import hmac

HASH = "sha256(bytes.fromhex(salt) + token)"


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
