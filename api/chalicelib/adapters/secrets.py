"""Where the server's secrets are kept: AWS Secrets Manager in production, files in DATA_DIR locally.

- The keys (kernel/keys.py): the secret SECRET_NAME, or DATA_DIR/secret.json created on first start with mode 0600.
- The origin lock (origin_lock.py): the secret ORIGIN_SECRET_NAME, read again at most every 60 seconds (a rotation
  relies on that, docs/operations.md), or no lock at all when it is empty (local use).
- The staff tokens' hashes (staff_access/rules.py): the secret STAFF_TOKENS_SECRET, read again at most every 60
  seconds, or DATA_DIR/staff_tokens.json, read again whenever it changes. The console's "Staff tokens" page writes
  the same document the `datacity staff-token` commands write (staff/tokens.py): the file replaced whole under an
  advisory lock (mode 0600), or a new version of the secret (the Lambda may put only that one secret's value).
- The programs' OpenID client secrets (oidc/): the secret OIDC_CLIENTS_SECRET, read again at most every 60 seconds,
  or DATA_DIR/oidc_clients.json, read again whenever it changes; both a JSON object {"<program>": "<secret>"}.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..kernel.keys import Keys
from ..kernel.storage import StoreUnavailable
from ..origin_lock import OriginLock, OriginSecretError
from ..staff_access.rules import TokenRecord, document_of, parse_document

log = logging.getLogger("datacity.secrets")

TOKENS_FILE = "staff_tokens.json"
OIDC_CLIENTS_FILE = "oidc_clients.json"
KEYS_FILE = "secret.json"
SECRET_TTL_SECONDS = 60
T = TypeVar("T")


def load_keys(secret_name: str, data_dir: Path) -> Keys:
    if secret_name:
        return Keys.from_json(_fetch_secret(secret_name, missing_ok=False) or "")
    path = data_dir / KEYS_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(Keys.generate_json())
    return Keys.from_json(path.read_text())


class TokenFile:
    """DATA_DIR/staff_tokens.json, parsed again whenever its modification time or size changes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._records: dict[str, TokenRecord] = {}

    def records(self) -> dict[str, TokenRecord]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return {}
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp:
                self._records = parse_document(self.path.read_text(encoding="utf-8"))
                self._stamp = stamp
            return self._records

    def update(self, change: Callable[[dict], T]) -> T:
        """Apply `change` to the whole document and write it back; one writer at a time (an advisory lock that the
        staff commands do not take: they are run by hand, rarely at the same moment as a console change)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(f".{self.path.name}.lock")
        with self._lock, open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            text = self.path.read_text(encoding="utf-8") if self.path.exists() else None
            doc = document_of(text)
            answer = change(doc)
            _replace_private(self.path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
            self._stamp = None  # read again at the next request, whatever the clock's resolution
            return answer


def parse_client_secrets(text: str | None) -> dict[str, str]:
    """{"<program>": "<client secret>"}; anything else is StoreUnavailable (a sign-in answers 503, never a 500)."""
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise StoreUnavailable('the OpenID client secrets are not a JSON object {"<program>": "<secret>"}')
    return data


class ClientSecretFile:
    """DATA_DIR/oidc_clients.json, parsed again whenever its modification time or size changes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._secrets: dict[str, str] = {}

    def secret(self, program: str) -> str | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp:
                self._secrets = parse_client_secrets(self.path.read_text(encoding="utf-8"))
                self._stamp = stamp
            return self._secrets.get(program)


class _CachedSecret:
    """A Secrets Manager secret, fetched and parsed again at most every `ttl` seconds (a Lambda container keeps it
    between requests; a rotation reaches every container within `ttl`)."""

    def __init__(
        self,
        name: str,
        fetch: Callable[[str], str | None],
        ttl: float = SECRET_TTL_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.name = name
        self._fetch = fetch
        self.ttl = ttl
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._fetched_at: float | None = None
        self._parsed = None

    def _parse(self, text: str | None):
        raise NotImplementedError

    def _current(self):
        with self._lock:
            now = self._monotonic()
            if self._fetched_at is None or now - self._fetched_at >= self.ttl:
                self._parsed = self._parse(self._fetch(self.name))
                self._fetched_at = now
            return self._parsed


class TokenSecret(_CachedSecret):
    """The Secrets Manager secret STAFF_TOKENS_SECRET."""

    def __init__(
        self,
        name: str,
        fetch: Callable[[str], str | None] | None = None,
        put: Callable[[str, str], None] | None = None,
        **timing,
    ):
        super().__init__(name, fetch or _fetch_secret, **timing)
        self._put = put or _put_secret

    def _parse(self, text: str | None) -> dict[str, TokenRecord]:
        return parse_document(text)

    def records(self) -> dict[str, TokenRecord]:
        return self._current()

    def update(self, change: Callable[[dict], T]) -> T:
        """Apply `change` to the secret's current value and put it as its new version (PutSecretValue, the only write
        the Lambda's role may make). Two containers writing in the same instant: the later one wins, as with two
        `datacity staff-token` commands; token changes are rare and each is in the audit log."""
        with self._write_lock:
            doc = document_of(self._fetch(self.name))
            answer = change(doc)
            self._put(self.name, json.dumps(doc, separators=(",", ":"), ensure_ascii=False))
            with self._lock:
                self._fetched_at = None  # this container sees the change at once; the others within the TTL
            return answer


class OriginSecret(_CachedSecret):
    """The Secrets Manager secret ORIGIN_SECRET_NAME.

    A secret that cannot be read or parsed is StoreUnavailable: the request is answered 503, never let through.
    """

    def __init__(self, name: str, fetch: Callable[[str], str | None] | None = None, **timing):
        super().__init__(name, fetch or (lambda secret: _fetch_secret(secret, missing_ok=False)), **timing)

    def _parse(self, text: str | None) -> OriginLock:
        try:
            return OriginLock.from_secret(text or "")
        except OriginSecretError as error:
            raise StoreUnavailable(f"secret {self.name}: {error}") from None

    def lock(self) -> OriginLock:
        return self._current()

    def allows(self, headers) -> bool:
        return self.lock().allows(headers)


class ClientSecretSecret(_CachedSecret):
    """The Secrets Manager secret OIDC_CLIENTS_SECRET."""

    def __init__(self, name: str, fetch: Callable[[str], str | None] | None = None, **timing):
        super().__init__(name, fetch or _fetch_secret, **timing)

    def _parse(self, text: str | None) -> dict[str, str]:
        return parse_client_secrets(text)

    def secret(self, program: str) -> str | None:
        return self._current().get(program)


def _fetch_secret(name: str, missing_ok: bool = True) -> str | None:
    """The secret's string; None if it holds no value yet (and missing_ok). Faults are StoreUnavailable."""
    import boto3  # production only: local use needs no AWS library
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return boto3.client("secretsmanager").get_secret_value(SecretId=name)["SecretString"]
    except ClientError as error:
        # Created empty by the stack and not filled yet: no token is valid.
        if missing_ok and error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            log.warning("secret %s holds no value yet: every staff request is refused", name)
            return None
        raise StoreUnavailable(f"secret {name}: {error}") from error
    except BotoCoreError as error:
        raise StoreUnavailable(f"secret {name}: {error}") from error


def _put_secret(name: str, text: str) -> None:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        boto3.client("secretsmanager").put_secret_value(SecretId=name, SecretString=text)
    except (ClientError, BotoCoreError) as error:
        raise StoreUnavailable(f"secret {name}: {error}") from error


def _replace_private(path: Path, text: str) -> None:
    """Write a private temporary file next to `path`, then rename it: no reader ever sees half a document."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
