"""Staff sessions: the cookie, its keyed hash, its CSRF value, its time-outs, and the sign-in limit.

No storage, no web framework. A session's secret is 256 random bits in an HttpOnly cookie scoped to /staff; the
store keeps only HMAC(hash key, secret), so a copy of the store opens no session. The CSRF value is derived from
the secret (HMAC with another purpose): nothing more to store, and it changes with every session, so a value read
before sign-in is worthless after (with the new session id at every sign-in, this is what stops session fixation).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from ..kernel import cookies
from .store import StaffSession

COOKIE_NAME = "dc_staff"
# Before sign-in: a random value whose HMAC the sign-in form carries (login CSRF, double-submit).
PRE_COOKIE_NAME = "dc_staff_pre"
COOKIE_PATH = "/staff"
# Like Decidim's and CONSUL's back-offices: 30 minutes without a request signs out; 12 hours at most in all.
IDLE_SECONDS = 30 * 60
LONGEST_SECONDS = 12 * 3600
# A request moves the idle clock on only if the last move is older than this: not one write per page.
TOUCH_AFTER_SECONDS = 60
# Sign-in attempts from one address in SIGN_IN_WINDOW_SECONDS (right or wrong), before a 429.
SIGN_IN_ATTEMPTS = 10
SIGN_IN_WINDOW_SECONDS = 15 * 60
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _mac(key: bytes, purpose: str, value: str) -> str:
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def session_key(hash_key: bytes, secret: str) -> str:
    """The session as stored: a keyed hash of the cookie's secret."""
    return _mac(hash_key, "staff-session", secret)


def csrf_value(hash_key: bytes, secret: str) -> str:
    """The value every form of this session carries (or, before sign-in, of the pre-session cookie)."""
    return _mac(hash_key, "staff-csrf", secret)[:43]


def csrf_matches(hash_key: bytes, secret: str | None, sent: object) -> bool:
    if not secret or not isinstance(sent, str):
        return False
    return hmac.compare_digest(csrf_value(hash_key, secret), sent)


def cookie_value(header: str | None, name: str) -> str | None:
    """The cookie's secret if the header has one of the right shape."""
    return cookies.cookie_value(header, name, _SECRET_RE)


def cookie_header(name: str, value: str, secure: bool, max_age: int | None = None) -> str:
    """HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure over HTTPS."""
    parts = [f"{name}={value}", f"Path={COOKIE_PATH}", "HttpOnly", "SameSite=Strict"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def new_session(key: str, token: str, now: int) -> StaffSession:
    return StaffSession(key, token, now, now, now + IDLE_SECONDS)


def alive(session: StaffSession, now: int) -> bool:
    """Neither idle too long nor open too long."""
    return now - session.seen_at < IDLE_SECONDS and now - session.created_at < LONGEST_SECONDS


def needs_touch(session: StaffSession, now: int) -> bool:
    return now - session.seen_at >= TOUCH_AFTER_SECONDS
