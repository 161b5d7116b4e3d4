"""Verified participation's decisions: keys, the session cookie, the receipts of verified voters, email checks.

No storage, no web framework. What is kept of a resident is only ever a keyed hash (HMAC-SHA256 under the server's
hash key): of the normalised email or of the OpenID issuer and subject (the verified voter key), of the session's
cookie secret, of a one-time link's secret and code. The same resident verified on a phone and on a laptop gets
the same voter key, so their vote counts once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from ..kernel import cookies

ANONYMOUS = "anonymous"
# The methods a program may list in `participation` (site_builder/vocabulary.py VERIFICATION_METHODS, shipped in
# the catalog: the program entry's `participation`).
METHODS = ("email", "oidc")
SESSION_COOKIE = "dc_verified"
# Only API requests carry it, as the voter cookie: the static pages never see it.
COOKIE_PATH = "/api"
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
# What a verification ends in, counted per program and method (the moderation record, results).
OUTCOMES = ("requested", "completed", "refused")


def outcome_counter(method: str, outcome: str) -> str:
    """The program counter of a verification outcome: `verification:<method>:<outcome>`."""
    return f"verification:{method}:{outcome}"


def vote_counter(method: str) -> str:
    """The program counter of the votes cast by voters verified with `method`: `votes:<method>`."""
    return f"votes:{method}"


@dataclass(frozen=True)
class VerifiedSession:
    key: str  # HMAC of the cookie's secret (session_key): the secret itself is never stored
    program: str  # the program it was granted for (counted there); it is valid in any program offering `method`
    voter_key: str  # the verified voter key (voter_key below)
    method: str
    created_at: int  # epoch seconds
    expires_at: int  # epoch seconds after which it is refused, and the store may delete it (TTL)


def _mac(key: bytes, purpose: str, value: str) -> str:
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:40]


def new_secret() -> str:
    """256 random bits, URL-safe (43 characters): a session's cookie, a one-time link's secret."""
    return secrets.token_urlsafe(32)


def session_key(hash_key: bytes, secret: str) -> str:
    return _mac(hash_key, "verified-session", secret)


def session_secret(cookie_header: str | None) -> str | None:
    return cookies.cookie_value(cookie_header, SESSION_COOKIE, _SECRET_RE)


def voter_key(hash_key: bytes, method: str, identifier: str) -> str:
    """The verified voter key: `<method>:` and a keyed hash of (method, normalised identifier).

    The prefix keeps it apart from anonymous keys (40 hex digits, identity/rules.py) and says the method without
    saying who; the identifier (an email, an issuer and subject) cannot be found from it without the server's key.
    """
    if method not in METHODS:
        raise ValueError(f"unknown verification method {method!r}")
    return f"{method}:{_mac(hash_key, f'verified:{method}', identifier)}"


def method_of(voter_key: str) -> str:
    """The method a voter key was verified with, or 'anonymous' for a cookie's key."""
    prefix, colon, _ = voter_key.partition(":")
    return prefix if colon and prefix in METHODS else ANONYMOUS


def receipt_token(hash_key: bytes, program: str, voter_key: str) -> str:
    """A verified voter's receipt token: what a cookie's token is to an anonymous voter (votes/receipts.py).

    HMAC(program secret, voter key), the program secret being HMAC(hash key, "receipt-key:" + program): the same on
    every device the resident verifies on, never stored, shown to the resident after voting (GET /me/receipt),
    and unlinkable from one program's vote log to another's. 22 URL-safe characters, the shape of a cookie token.
    """
    program_secret = hmac.new(hash_key, f"receipt-key:{program}".encode(), hashlib.sha256).digest()
    digest = hmac.new(program_secret, voter_key.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:22]


def cookie_header(secret: str, secure: bool, max_age: int | None) -> str:
    """The session cookie; max_age None clears it."""
    parts = [
        f"{SESSION_COOKIE}={secret if max_age is not None else ''}",
        f"Path={COOKIE_PATH}",
        f"Max-Age={max_age if max_age is not None else 0}",
        "HttpOnly",
        "SameSite=Lax",
    ]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def alive(session: VerifiedSession, now: int) -> bool:
    return now < session.expires_at


def accepts(participation: tuple[str, ...], method: str) -> bool:
    """Whether a program offering `participation` takes a session verified with `method`."""
    return method in participation and method in METHODS


def safe_return(value: object) -> str:
    """Where to send the resident back after verifying: a path of the site ('/fr/...'), never another site.

    Anything else (an absolute URL, '//host', a backslash, control characters) gives '/', the home page.
    """
    if not isinstance(value, str) or len(value) > 500:
        return "/"
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return "/"
    return value


# --- Email -------------------------------------------------------------------------------------------------------
# An address as typed: at most 254 characters (RFC 5321's path limit), one '@', something on each side, no spaces.
EMAIL_MAX_CHARS = 254
_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
CODE_DIGITS = 6
# Codes typed for one request before it is burned: 5 tries of 10^6 codes leave a guesser 1 chance in 200,000.
MAX_CODE_ATTEMPTS = 5


def normalise_email(value: object) -> str | None:
    """The address as it is hashed: spaces around it removed, all of it lowercased (the privacy page says so).

    Dots and '+tags' are kept: whether they matter is each mail provider's rule, so 'a.b@x' and 'ab@x' are two
    addresses here. None if it is not an address.
    """
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if len(text) > EMAIL_MAX_CHARS or not _EMAIL_RE.match(text):
        return None
    return text


def email_subject(hash_key: bytes, email: str) -> str:
    """What the per-address rate limit counts for an email: a keyed hash, never the address."""
    return _mac(hash_key, "verify-email", email)


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def request_key(hash_key: bytes, request_id: str) -> str:
    return _mac(hash_key, "verify-request", request_id)


def link_hash(hash_key: bytes, request_id: str, secret: str) -> str:
    return _mac(hash_key, "verify-link", f"{request_id}:{secret}")


def code_hash(hash_key: bytes, request_id: str, code: str) -> str:
    return _mac(hash_key, "verify-code", f"{request_id}:{code}")


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


_REQUEST_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")
_CODE_RE = re.compile(r"^[0-9]{6}$")


def request_id_shape(value: object) -> bool:
    return isinstance(value, str) and bool(_REQUEST_RE.match(value))


def code_shape(value: object) -> bool:
    return isinstance(value, str) and bool(_CODE_RE.match(value.strip()))


def secret_shape(value: object) -> bool:
    return isinstance(value, str) and bool(_SECRET_RE.match(value))


@dataclass(frozen=True)
class EmailRequest:
    """A pending email verification: what the link and the code are checked against; no address in it."""

    key: str  # request_key of the request id (the id is in the link and the page's form)
    program: str
    voter_key: str  # the verified voter key the address gives
    link: str  # link_hash
    code: str  # code_hash
    return_to: str  # safe_return path
    lang: str
    created_at: int
    expires_at: int
    attempts: int = 0


def verification_record(counters: dict[str, int]) -> dict | None:
    """From a program's counters: votes by verification method, and verification requests, completions and
    refusals by method; None for a program with none (an anonymous one)."""
    votes: dict[str, int] = {}
    outcomes: dict[str, dict[str, int]] = {}
    for name, value in sorted(counters.items()):
        kind, _, rest = name.partition(":")
        if kind == "votes" and rest in METHODS:
            votes[rest] = max(0, value)
        elif kind == "verification":
            method, _, outcome = rest.partition(":")
            if method in METHODS and outcome in OUTCOMES:
                outcomes.setdefault(method, dict.fromkeys(OUTCOMES, 0))[outcome] = max(0, value)
    if not votes and not outcomes:
        return None
    methods = sorted(set(votes) | set(outcomes), key=METHODS.index)
    return {
        "votes": {m: votes.get(m, 0) for m in methods},
        "verifications": {m: outcomes.get(m, dict.fromkeys(OUTCOMES, 0)) for m in methods},
    }
