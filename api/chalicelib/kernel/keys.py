"""Server secrets: the HMAC key for voter tokens and IP addresses, and the key that encrypts contact emails.

Where they are kept is an adapter's business (adapters/secrets.py: Secrets Manager in production, a 0600 file
locally); here only what they are and do.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken


@dataclass(frozen=True)
class Keys:
    hash_key: bytes
    email_key: bytes  # a Fernet key (AES-128-CBC + HMAC-SHA256)
    # During a rotation of hash_key (docs/operations.md, "Rotating the keys"): the other keys a voter's votes may
    # be recorded under (the next key while it is announced, the previous one after the switch). Votes are looked up
    # under hash_key and each of these, new ones written under hash_key only. Empty outside a rotation.
    lookup_hash_keys: tuple[bytes, ...] = ()

    @classmethod
    def from_json(cls, text: str) -> Keys:
        data = json.loads(text)
        others = tuple(base64.urlsafe_b64decode(k) for k in data.get("lookup_hash_keys") or ())
        return cls(base64.urlsafe_b64decode(data["hash_key"]), data["email_key"].encode(), others)

    @staticmethod
    def generate_json() -> str:
        return json.dumps(
            {
                "hash_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
                "email_key": Fernet.generate_key().decode(),
            }
        )

    def encrypt(self, text: str) -> str:
        return Fernet(self.email_key).encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str | None:
        try:
            return Fernet(self.email_key).decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            return None
