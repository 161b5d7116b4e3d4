"""Staff tokens: created here, shown once, stored only as sha256 in the JSON document the API reads.

`dcs_<id>_<secret>`: <id> is 8 lowercase hex characters (names the token in the audit log and for revocation),
<secret> is 43 URL-safe characters (256 bits). See docs/staff.md, "Staff tokens".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from site_builder.staff_text import S_, text

TOKEN_RE = re.compile(r"^dcs_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$")
# The rights a token may hold besides its programs (the API's staff_access/rules.py reads the same names).
MANAGE_TOKENS = "manage-tokens"
FILE_NAME = "staff_tokens.json"
PROGRAM_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class TokenError(Exception):
    """A refused token operation, with a message for staff."""


def new_token() -> tuple[str, str]:
    """(id, token) for a fresh token."""
    token_id = secrets.token_hex(4)
    return token_id, f"dcs_{token_id}_{secrets.token_urlsafe(32)}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_id(token: str) -> str | None:
    match = TOKEN_RE.match(token)
    return match.group(1) if match else None


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def empty_document() -> dict:
    return {"tokens": []}


def check_document(doc: object, where: str) -> dict:
    if not isinstance(doc, dict) or not isinstance(doc.get("tokens"), list):
        raise TokenError(
            text(
                S_("{where} is not a staff token document ({document}); fix or remove it"),
                where=where,
                document='{"tokens": [...]}',
            )
        )
    return doc


def create(
    doc: dict, programs: list[str], name: str, now: str | None = None, manage_tokens: bool = False
) -> tuple[str, dict]:
    """Add a token for `programs` to `doc`; return (the token, to show once, and its record). `manage_tokens`: it may
    list, create and revoke tokens of its programs in the console."""
    name = name.strip()
    if not name or len(name) > 120:
        raise TokenError(text(S_("--name must be 1 to 120 characters, e.g. 'Alice (moderation)'")))
    if not programs:
        raise TokenError(text(S_("give at least one --program")))
    for program in programs:
        if not PROGRAM_RE.match(program):
            raise TokenError(
                text(S_("'{program}' is not a program id (lowercase letters, digits and hyphens)"), program=program)
            )
    taken = {record.get("id") for record in doc["tokens"]}
    token_id, token = new_token()
    while token_id in taken:  # 1 in 4 billion, but an id must name exactly one token
        token_id, token = new_token()
    record = {
        "id": token_id,
        "name": name,
        "programs": sorted(set(programs)),
        "sha256": hash_token(token),
        "created_at": now or utc_now(),
        "revoked_at": None,
    }
    if manage_tokens:  # absent otherwise: records of tokens without a right stay as they always were
        record["rights"] = [MANAGE_TOKENS]
    doc["tokens"].append(record)
    return token, record


def revoke(doc: dict, token_id: str, now: str | None = None) -> dict:
    for record in doc["tokens"]:
        if record.get("id") == token_id:
            if record.get("revoked_at"):
                raise TokenError(
                    text(S_("token {id} was already revoked on {date}"), id=token_id, date=record["revoked_at"])
                )
            record["revoked_at"] = now or utc_now()
            return record
    known = ", ".join(r.get("id", "?") for r in doc["tokens"]) or text(S_("none"))
    raise TokenError(
        text(
            S_("no token has the id '{id}' (known: {known}); see: datacity staff-token list"), id=token_id, known=known
        )
    )


def public_view(record: dict) -> dict:
    """A record without its hash, for listing."""
    return {key: value for key, value in record.items() if key != "sha256"}


# --- Where the document lives ----------------------------------------------------------------------------------


@dataclass
class FileBackend:
    """DATA_DIR/staff_tokens.json, readable and writable by its owner only (mode 0600)."""

    data_dir: Path

    @property
    def path(self) -> Path:
        return self.data_dir / FILE_NAME

    def describe(self) -> str:
        return str(self.path)

    def load(self) -> dict:
        if not self.path.exists():
            return empty_document()
        try:
            return check_document(json.loads(self.path.read_text(encoding="utf-8")), str(self.path))
        except (ValueError, UnicodeDecodeError) as exc:
            raise TokenError(
                text(S_("{path} is not valid JSON ({error}); fix or remove it"), path=self.path, error=exc)
            ) from exc

    def save(self, doc: dict) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        # Write a private temporary file next to it, then rename: the API never reads half a document.
        fd, tmp = tempfile.mkstemp(prefix=".staff_tokens.", dir=self.data_dir)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        os.chmod(self.path, 0o600)


@dataclass
class SecretBackend:
    """The Secrets Manager secret the API reads in production (STAFF_TOKENS_SECRET)."""

    name: str
    client: object = None

    def _client(self):
        if self.client is None:
            try:
                import boto3
            except ImportError as exc:  # pragma: no cover - boto3 comes with the [api] extra
                raise TokenError(text(S_("--secret-name needs boto3: pip install -e '.[api]'"))) from exc
            self.client = boto3.client("secretsmanager")
        return self.client

    def describe(self) -> str:
        return f"Secrets Manager secret {self.name}"

    def load(self) -> dict:
        client = self._client()
        try:
            stored = client.get_secret_value(SecretId=self.name)["SecretString"]
        except client.exceptions.ResourceNotFoundException:
            return empty_document()
        try:
            return check_document(json.loads(stored), self.describe())
        except ValueError as exc:
            raise TokenError(
                text(S_("{secret} is not valid JSON; fix it in the console"), secret=self.describe())
            ) from exc

    def save(self, doc: dict) -> None:
        client = self._client()
        text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
        try:
            client.put_secret_value(SecretId=self.name, SecretString=text)
        except client.exceptions.ResourceNotFoundException:
            client.create_secret(Name=self.name, SecretString=text, Description="DataCity staff tokens (sha256 only)")
