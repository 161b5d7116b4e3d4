"""Who is on staff: Bearer tokens (docs/staff.md, "Staff tokens"), or IAM principals mapped to programs.

A token is `dcs_<id>_<secret>` (8 lowercase hex, 43 URL-safe characters). Only `sha256(token)` is stored, in a JSON
document `{"tokens": [{"id", "name", "programs", "sha256", "created_at", "revoked_at"}]}` that an adapter reads
(adapters/secrets.py: the file DATA_DIR/staff_tokens.json locally, a Secrets Manager secret in production).
No storage, no web framework.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from dataclasses import dataclass

from ..kernel.errors import ApiError

log = logging.getLogger("datacity.staff")

TOKEN_RE = re.compile(r"^dcs_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$")
REALM = 'Bearer realm="datacity-staff"'
# Compared against when the id is unknown, so that an unknown id takes as long as a wrong secret.
_NO_HASH = "0" * 64


@dataclass(frozen=True)
class TokenRecord:
    id: str
    name: str
    programs: tuple[str, ...]
    sha256: str
    revoked: bool


@dataclass(frozen=True)
class Actor:
    """The authenticated staff member: the token's id (or "iam") and name, and the programs they may act on."""

    token: str
    name: str
    programs: tuple[str, ...]

    def audit(self) -> dict:
        return {"token": self.token, "name": self.name}


def parse_document(text: str | None) -> dict[str, TokenRecord]:
    """The token records by id; records that do not have the documented shape are skipped (and logged)."""
    if not text:
        return {}
    data = json.loads(text)
    records: dict[str, TokenRecord] = {}
    tokens = data.get("tokens") if isinstance(data, dict) else None
    if not isinstance(tokens, list):
        raise ValueError('the staff tokens document must be {"tokens": [...]}')
    for raw in tokens:
        try:
            record = TokenRecord(
                id=raw["id"],
                name=str(raw.get("name") or ""),
                programs=tuple(raw["programs"]),
                sha256=raw["sha256"],
                revoked=raw.get("revoked_at") is not None,
            )
            if not re.fullmatch(r"[0-9a-f]{8}", record.id) or not re.fullmatch(r"[0-9a-f]{64}", record.sha256):
                raise ValueError(record.id)
            if not all(isinstance(p, str) for p in record.programs):
                raise ValueError(record.id)
        except (KeyError, TypeError, ValueError):
            log.warning("staff tokens: skipping a record without the documented shape")
            continue
        records[record.id] = record
    return records


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _unauthorized(fr: str, en: str, invalid: bool = True) -> ApiError:
    challenge = f'{REALM}, error="invalid_token"' if invalid else REALM
    return ApiError("unauthorized", fr, en, headers={"WWW-Authenticate": challenge})


def authenticate(records: dict[str, TokenRecord], authorization: str | None) -> Actor:
    """The actor behind `Authorization: Bearer <token>`; 401 for a missing, malformed, unknown, wrong or revoked one."""
    if not authorization:
        raise _unauthorized(
            "Cette action demande un jeton d'équipe (en-tête Authorization: Bearer dcs_…).",
            "This action needs a staff token (header Authorization: Bearer dcs_…).",
            invalid=False,
        )
    scheme, _, token = authorization.strip().partition(" ")
    match = TOKEN_RE.match(token.strip()) if scheme.lower() == "bearer" else None
    if match is None:
        raise _unauthorized(
            "Le jeton d'équipe est mal formé : attendu « Bearer dcs_<id>_<secret> ».",
            "The staff token is malformed: expected 'Bearer dcs_<id>_<secret>'.",
        )
    record = records.get(match.group(1))
    matches = hmac.compare_digest(record.sha256 if record else _NO_HASH, token_hash(token.strip()))
    if record is None or not matches:
        raise _unauthorized("Ce jeton d'équipe n'est pas reconnu.", "This staff token is not recognised.")
    if record.revoked:
        raise _unauthorized("Ce jeton d'équipe a été révoqué.", "This staff token has been revoked.")
    return Actor(record.id, record.name, record.programs)


def iam_actor(mapping: dict, arn: str | None) -> Actor:
    """STAFF_AUTH=iam: API Gateway has checked the SigV4 signature; the caller's ARN says which programs.

    An assumed-role session (arn:aws:sts::<account>:assumed-role/<role>/<session>) also matches its role's ARN
    (arn:aws:iam::<account>:role/<role>), so the mapping can name roles rather than sessions.
    """
    if not arn:
        raise _unauthorized("La requête n'est pas signée (SigV4).", "The request is not signed (SigV4).", invalid=False)
    programs = list(mapping.get(arn, ()))
    role = _role_of_session(arn)
    if role is not None:
        programs += [p for p in mapping.get(role, ()) if p not in programs]
    return Actor("iam", arn, tuple(programs))


def _role_of_session(arn: str) -> str | None:
    found = re.fullmatch(r"arn:(aws[a-z-]*):sts::(\d{12}):assumed-role/([^/]+)/[^/]+", arn)
    if not found:
        return None
    partition, account, role = found.groups()
    return f"arn:{partition}:iam::{account}:role/{role}"


def authorize(actor: Actor, program: str) -> None:
    """403 unless the actor may act on `program`."""
    if program not in actor.programs:
        raise ApiError(
            "forbidden",
            f"Ce jeton d'équipe ne donne pas accès au programme « {program} ».",
            f"This staff token gives no access to the program '{program}'.",
        )
