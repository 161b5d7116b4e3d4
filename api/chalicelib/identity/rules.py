"""Who is taking part, as keyed hashes only; and the windows rate limits are counted in.

First version: an anonymous random token (128 bits) in a first-party cookie. The store only ever sees
`voter_key`, an opaque string; a verified identity (email link, FranceConnect) would be another resolver
producing another prefix ("oidc:..."), so existing records stay valid without migration.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import re
import secrets
from dataclasses import dataclass, field

from ..kernel import cookies

COOKIE_NAME = "dc_voter"
# Only API requests carry the cookie; the static pages never see it.
COOKIE_PATH = "/api"
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")


@dataclass(frozen=True)
class Participant:
    voter_key: str
    ip_key: str
    # Set when this request created the token: the response must send the cookie.
    new_token: str | None = None
    # The cookie's token itself, for this request only: the vote's receipt is computed from it (votelog.py).
    # Never stored, never logged (kept out of repr); only voter_key reaches the store.
    token: str | None = field(default=None, repr=False, compare=False)
    # During a hash key rotation: the same token's keys under the other hash keys (kernel/keys.py lookup_hash_keys).
    previous_keys: tuple[str, ...] = ()


def _mac(key: bytes, purpose: str, value: str) -> str:
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:40]


def token_from_cookie(header: str | None) -> str | None:
    return cookies.cookie_value(header, COOKIE_NAME, _TOKEN_RE)


def resolve(
    hash_key: bytes, cookie_header: str | None, source_ip: str, create: bool, lookup_hash_keys: tuple[bytes, ...] = ()
) -> Participant | None:
    """The caller as keyed hashes; with create=True a caller without a valid token gets a new one. During a key
    rotation (`lookup_hash_keys`) an existing token's keys under those too, where its earlier votes are."""
    token = token_from_cookie(cookie_header)
    new = None
    if token is None:
        if not create:
            return None
        token = new = secrets.token_urlsafe(16)
    previous = () if new else tuple(_mac(other, "voter", token) for other in lookup_hash_keys)
    return Participant(_mac(hash_key, "voter", token), ip_key(hash_key, source_ip), new, token, previous)


# How long a submission sent without a cookie is still the same browser's when it comes again with one: its first
# answer (which set the cookie) was lost, or the resident went back and sent the form again.
RESENT_WITHIN_SECONDS = 600


def senders(participant: Participant) -> tuple[str, str | None]:
    """Who sent a submission, to tell the same one sent twice: (as the browser, as its address while it had no cookie
    yet). A double click on a first comment sends two requests before the first answer sets the cookie: both are
    the address's; with a cookie, the browser's, unless the address sent it moments ago without one."""
    by_address = f"ip:{participant.ip_key}"
    return (by_address, None) if participant.new_token else (participant.voter_key, by_address)


def resent(record, now: dt.datetime):
    """The record (a comment, a proposal: it has `created_at`) if it was sent moments ago, else None."""
    if record is None:
        return None
    sent = dt.datetime.fromisoformat(record.created_at)
    return record if (now - sent).total_seconds() <= RESENT_WITHIN_SECONDS else None


# An address that cannot be read (a proxy's garbage): all such requests share one counter, so none escapes the limit.
UNKNOWN_ADDRESS = "unknown"
# One IPv6 subscriber gets a whole /64 (RFC 6177, RIPE-690): counting full addresses would let one home rotate
# through 2^64 of them.
IPV6_PREFIX = 64


def client_address(value: str, has_port: bool = False) -> str:
    """What the per-address limit counts: the address without its port, an IPv6 one as its /64, an IPv4-mapped IPv6
    one as its IPv4 address; UNKNOWN_ADDRESS if it is not an address.

    `value` is a header's (X-Forwarded-For: its first entry) or the socket's. `has_port`: the value always ends with
    ":port", as CloudFront-Viewer-Address does, for IPv6 too and without brackets ("2001:db8::1:443").
    """
    text = value.split(",")[0].strip()
    if text.startswith("["):  # [v6]:port or [v6]
        host, closed, rest = text[1:].partition("]")
        if not closed or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return UNKNOWN_ADDRESS
    elif text.count(":") == 1 or (has_port and ":" in text):  # v4:port, or a viewer address's v6:port
        host, _, port = text.rpartition(":")
        if not port.isdigit():
            return UNKNOWN_ADDRESS
    else:
        host = text
    try:
        address = ipaddress.ip_address(host.split("%")[0])  # a link-local zone ("%eth0") is not part of it
    except ValueError:
        return UNKNOWN_ADDRESS
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)


def ip_key(hash_key: bytes, source_ip: str) -> str:
    """The client address as stored: a keyed hash, never the address."""
    return _mac(hash_key, "ip", source_ip or "-")


def cookie_header(token: str, secure: bool, max_age_days: int) -> str:
    parts = [
        f"{COOKIE_NAME}={token}",
        f"Path={COOKIE_PATH}",
        f"Max-Age={max_age_days * 86400}",
        "HttpOnly",
        "SameSite=Lax",
    ]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def rate_window(now: dt.datetime, seconds: int) -> tuple[int, int]:
    """(window start as epoch seconds, seconds until the window ends)."""
    epoch = int(now.timestamp())
    start = epoch - epoch % seconds
    return start, start + seconds - epoch
