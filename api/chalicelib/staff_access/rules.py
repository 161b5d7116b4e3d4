"""Who is on staff: Bearer tokens (docs/staff.md, "Staff tokens"), or IAM principals mapped to programs.

A token is `dcs_<id>_<secret>` (8 lowercase hex, 43 URL-safe characters). Only `sha256(token)` is stored, in a JSON
document `{"tokens": [{"id", "name", "programs", "rights", "sha256", "created_at", "revoked_at"}]}` that an adapter
reads and writes (adapters/secrets.py: the file DATA_DIR/staff_tokens.json locally, a Secrets Manager secret in
production), the same document the `datacity staff-token` commands write. `rights` is optional: ["manage-tokens"]
lets the token list, create and revoke tokens within its own programs (the console's "Staff tokens" page).
No storage, no web framework.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
from dataclasses import dataclass

from ..kernel.errors import ApiError
from ..kernel.messages import N_

log = logging.getLogger("datacity.staff")

TOKEN_RE = re.compile(r"^dcs_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$")
REALM = 'Bearer realm="datacity-staff"'
MANAGE_TOKENS = "manage-tokens"
RIGHTS = (MANAGE_TOKENS,)
NAME_MAX_CHARS = 120
PROGRAM_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Compared against when the id is unknown, so that an unknown id takes as long as a wrong secret.
_NO_HASH = "0" * 64


@dataclass(frozen=True)
class TokenRecord:
    id: str
    name: str
    programs: tuple[str, ...]
    sha256: str
    revoked: bool
    rights: tuple[str, ...] = ()
    created_at: str = ""
    revoked_at: str | None = None

    @property
    def may_manage_tokens(self) -> bool:
        return MANAGE_TOKENS in self.rights


@dataclass(frozen=True)
class Actor:
    """The authenticated staff member: the token's id (or "iam") and name, and the programs they may act on."""

    token: str
    name: str
    programs: tuple[str, ...]
    rights: tuple[str, ...] = ()

    def audit(self) -> dict:
        return {"token": self.token, "name": self.name}

    @property
    def may_manage_tokens(self) -> bool:
        return MANAGE_TOKENS in self.rights


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
                rights=tuple(r for r in raw.get("rights") or () if r in RIGHTS),
                created_at=str(raw.get("created_at") or ""),
                revoked_at=raw.get("revoked_at"),
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


def _unauthorized(message: str, invalid: bool = True) -> ApiError:
    challenge = f'{REALM}, error="invalid_token"' if invalid else REALM
    return ApiError("unauthorized", message, headers={"WWW-Authenticate": challenge})


def authenticate(records: dict[str, TokenRecord], authorization: str | None) -> Actor:
    """The actor behind `Authorization: Bearer <token>`; 401 for a missing, malformed, unknown, wrong or revoked one."""
    if not authorization:
        raise _unauthorized(N_("This action needs a staff token (header Authorization: Bearer dcs_…)."), invalid=False)
    scheme, _, token = authorization.strip().partition(" ")
    match = TOKEN_RE.match(token.strip()) if scheme.lower() == "bearer" else None
    if match is None:
        raise _unauthorized(N_("The staff token is malformed: expected 'Bearer dcs_<id>_<secret>'."))
    record = records.get(match.group(1))
    matches = hmac.compare_digest(record.sha256 if record else _NO_HASH, token_hash(token.strip()))
    if record is None or not matches:
        raise _unauthorized(N_("This staff token is not recognised."))
    if record.revoked:
        raise _unauthorized(N_("This staff token has been revoked."))
    return Actor(record.id, record.name, record.programs, record.rights)


def iam_actor(mapping: dict, arn: str | None) -> Actor:
    """STAFF_AUTH=iam: API Gateway has checked the SigV4 signature; the caller's ARN says which programs.

    An assumed-role session (arn:aws:sts::<account>:assumed-role/<role>/<session>) also matches its role's ARN
    (arn:aws:iam::<account>:role/<role>), so the mapping can name roles rather than sessions.
    """
    if not arn:
        raise _unauthorized(N_("The request is not signed (SigV4)."), invalid=False)
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
            "forbidden", N_("This staff token gives no access to the program '{program}'."), values={"program": program}
        )


# --- Managing tokens (the console's "Staff tokens" page) --------------------------------------------------------


def require_token_right(actor: Actor, program: str) -> None:
    """403 unless the actor may act on `program` and holds the "manage tokens" right."""
    authorize(actor, program)
    if not actor.may_manage_tokens:
        raise ApiError("forbidden", N_("Your staff token does not allow managing staff tokens."))


def within(actor: Actor, record: TokenRecord) -> bool:
    """A token a manager may see and revoke: all its programs are the manager's (it reveals no other program)."""
    return bool(record.programs) and set(record.programs) <= set(actor.programs)


def new_token() -> tuple[str, str]:
    """(id, token) for a fresh token: 32 bits of id, 256 bits of secret."""
    token_id = secrets.token_hex(4)
    return token_id, f"dcs_{token_id}_{secrets.token_urlsafe(32)}"


def check_new_token(actor: Actor, name: object, programs: list, rights: list) -> tuple[str, list[str], list[str]]:
    """The new token's name, programs and rights, as asked for; 422 or 403 with a message for staff."""
    clean = name.strip() if isinstance(name, str) else ""
    if not clean or len(clean) > NAME_MAX_CHARS:
        raise ApiError(
            "invalid-field",
            N_("Give the token a name of 1 to {max} characters."),
            values={"max": NAME_MAX_CHARS},
            field="name",
        )
    chosen = sorted({p for p in programs if isinstance(p, str)})
    if not chosen:
        raise ApiError("invalid-field", N_("Choose at least one program for the token."), field="programs")
    for program in chosen:
        if not PROGRAM_RE.match(program) or program not in actor.programs:
            raise ApiError(
                "forbidden",
                N_("A token can only be given programs your own token covers: '{program}' is not one of them."),
                values={"program": program},
            )
    given = sorted({r for r in rights if isinstance(r, str)})
    if any(r not in RIGHTS for r in given) or (given and not actor.may_manage_tokens):
        raise ApiError("invalid-field", N_("This right does not exist."), field="rights")
    return clean, chosen, given


def add_token(doc: dict, name: str, programs: list[str], rights: list[str], now: str) -> tuple[str, dict]:
    """Add a token record to the document (as `datacity staff-token create` does): (the token, shown once; its record)."""
    taken = {record.get("id") for record in doc["tokens"] if isinstance(record, dict)}
    token_id, token = new_token()
    while token_id in taken:  # 1 in 4 billion, but an id must name exactly one token
        token_id, token = new_token()
    record = {
        "id": token_id,
        "name": name,
        "programs": programs,
        "rights": rights,
        "sha256": token_hash(token),
        "created_at": now,
        "revoked_at": None,
    }
    doc["tokens"].append(record)
    return token, record


def revoke_in(doc: dict, actor: Actor, token_id: str, now: str) -> dict:
    """Mark the token revoked in the document; 404 for a token the actor may not see, 409 if already revoked."""
    for raw in doc["tokens"]:
        if not isinstance(raw, dict) or raw.get("id") != token_id:
            continue
        programs = raw.get("programs")
        if not isinstance(programs, list) or not programs or not set(programs) <= set(actor.programs):
            break  # another program's token: as unknown, so that nothing about it shows
        if raw.get("revoked_at"):
            raise ApiError("conflict", N_("This token was already revoked."))
        raw["revoked_at"] = now
        return raw
    raise ApiError("not-found", N_("No token of your programs has this id."))


def document_of(text: str | None) -> dict:
    """The raw document, to change and write back whole (records this version does not know are kept as they are)."""
    data = json.loads(text) if text else {"tokens": []}
    if not isinstance(data, dict) or not isinstance(data.get("tokens"), list):
        raise ValueError('the staff tokens document must be {"tokens": [...]}')
    return data
