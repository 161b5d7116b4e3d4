"""Server secrets: the HMAC key for voter tokens and IP addresses, and the key that encrypts contact emails.

Production reads them from AWS Secrets Manager (SECRET_NAME); local use keeps them in DATA_DIR/secret.json,
created on first start with mode 0600.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken


@dataclass(frozen=True)
class Keys:
    hash_key: bytes
    email_key: bytes  # a Fernet key (AES-128-CBC + HMAC-SHA256)

    @classmethod
    def from_json(cls, text: str) -> Keys:
        data = json.loads(text)
        return cls(base64.urlsafe_b64decode(data["hash_key"]), data["email_key"].encode())

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


def load_keys(secret_name: str, data_dir: Path) -> Keys:
    if secret_name:
        import boto3  # only in production; local use needs no AWS library call

        value = boto3.client("secretsmanager").get_secret_value(SecretId=secret_name)["SecretString"]
        return Keys.from_json(value)
    path = data_dir / "secret.json"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(Keys.generate_json())
    return Keys.from_json(path.read_text())
