"""Signing in with an OpenID Connect provider (FranceConnect or any other): the authorisation code flow's rules.

Pure: the HTTP calls are the adapter's (adapters/openid.py). Authlib makes the PKCE challenge (RFC 7636, S256), the
random values and the authorisation request; joserfc, its sibling JOSE library by the same author, checks the ID
token's signature against the provider's keys (JWKS) and its claims (iss, aud, exp, iat, nonce, sub), as OpenID
Connect Core 1.0 section 3.1.3.7 asks. Nothing here keeps a name or an email: only a keyed hash of the issuer and
the subject leaves this module.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import urlsplit

from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

# Only what identifies the resident: FranceConnect and most providers return `sub` with `openid` alone.
SCOPE = "openid"
# Asymmetric signatures only: an HS256 token would be signed with our own client secret.
ALGORITHMS = ["RS256", "PS256", "ES256"]
# How far the provider's clock may be from ours when checking exp and iat, in seconds.
LEEWAY_SECONDS = 60
# Why a sign-in is refused; each has its message (service.py) and is counted.
REFUSALS = ("state", "browser", "replayed", "expired", "denied", "nonce", "token", "provider")


class Refused(Exception):
    """The provider's answer cannot be accepted; `reason` is one of REFUSALS."""

    def __init__(self, reason: str, detail: str = ""):
        if reason not in REFUSALS:
            raise ValueError(f"unknown refusal {reason!r}")
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Client:
    """A program's registration with its provider: `oidc:` in program.yml, the secret from the secret store."""

    issuer: str
    client_id: str
    client_secret: str


@dataclass(frozen=True)
class Endpoints:
    """What the provider's discovery document says (OpenID Connect Discovery 1.0)."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    # client_secret_basic unless the provider only takes client_secret_post (FranceConnect's v1 endpoints).
    token_auth: str


@dataclass(frozen=True)
class Flow:
    """The secrets of one sign-in, kept by our server between the start and the callback (never in the browser)."""

    state: str
    nonce: str
    code_verifier: str


def new_flow() -> Flow:
    # 43 characters of [A-Za-z0-9]: about 256 bits each; the verifier's length is within RFC 7636's 43..128.
    return Flow(generate_token(43), generate_token(43), generate_token(64))


def is_acceptable_url(url: str) -> bool:
    """HTTPS, or HTTP on the loopback address (a provider run by the tests or on a developer's machine)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return bool(parts.hostname)
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")


def endpoints(document: object, issuer: str) -> Endpoints:
    """The discovery document's endpoints, refused unless it names the very issuer it was fetched for (section 4.3)."""
    if not isinstance(document, dict):
        raise Refused("provider", "the discovery document is not a JSON object")
    if document.get("issuer") != issuer:
        raise Refused("provider", f"the discovery document names the issuer {document.get('issuer')!r}")
    found = {}
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        value = document.get(name)
        if not isinstance(value, str) or not is_acceptable_url(value):
            raise Refused("provider", f"{name} is missing or not an HTTPS address")
        found[name] = value
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    auth = "client_secret_basic" if "client_secret_basic" in methods else "client_secret_post"
    if auth not in methods:
        raise Refused("provider", f"the token endpoint takes none of our client authentications: {methods}")
    return Endpoints(issuer, token_auth=auth, **found)


def authorization_url(where: Endpoints, client: Client, redirect_uri: str, flow: Flow) -> str:
    """The address the resident's browser is sent to: code flow, S256 PKCE challenge, state and nonce."""
    return prepare_grant_uri(
        where.authorization_endpoint,
        client.client_id,
        "code",
        redirect_uri=redirect_uri,
        scope=SCOPE,
        state=flow.state,
        nonce=flow.nonce,
        code_challenge=create_s256_code_challenge(flow.code_verifier),
        code_challenge_method="S256",
    )


def token_request(client: Client, where: Endpoints, code: str, redirect_uri: str, flow: Flow) -> dict:
    """The form the token endpoint is sent (RFC 6749 4.1.3 with RFC 7636's verifier) and how the client signs it."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": flow.code_verifier,
    }
    if where.token_auth == "client_secret_post":
        form.update(client_id=client.client_id, client_secret=client.client_secret)
    return form


def id_token_of(answer: object) -> str:
    if not isinstance(answer, dict) or not isinstance(answer.get("id_token"), str):
        raise Refused("token", "the token endpoint gave no id_token")
    return answer["id_token"]


def subject(id_token: str, jwks: object, client: Client, nonce: str, now: int) -> str:
    """The ID token's subject, once its signature, issuer, audience, times and nonce are checked."""
    try:
        keys = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise Refused("token", f"the ID token's signature does not verify: {error}") from None
    claims = token.claims
    if claims.get("nonce") != nonce or not isinstance(nonce, str) or not nonce:
        raise Refused("nonce", "the ID token's nonce is not the one this sign-in sent")
    registry = jwt.JWTClaimsRegistry(
        now=now,
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": client.issuer},
        aud={"essential": True, "value": client.client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        raise Refused("token", f"the ID token's claims do not hold: {error}") from None
    # With several audiences, the token must be meant for us (azp), as section 3.1.3.7 point 4 says.
    audience = claims.get("aud")
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != client.client_id:
        raise Refused("token", "the ID token is meant for several clients and not authorised for us")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise Refused("token", "the ID token's subject is empty or longer than 255 characters")
    return sub


def identifier(issuer: str, sub: str) -> str:
    """Who signed in, as verification.grant takes it: "<issuer> <subject>" (the same person at another provider is
    another identity; a subject alone means nothing without its issuer). Never stored: grant keeps a keyed hash."""
    return f"{issuer} {sub}"


def flow_key(hash_key: bytes, state: str) -> str:
    """Under which key the flow is stored: the state itself, which travels in addresses, is never stored."""
    return hmac.new(hash_key, f"oidc-state:{state}".encode(), hashlib.sha256).hexdigest()[:40]
