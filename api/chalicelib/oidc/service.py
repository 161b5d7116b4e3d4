"""The sign-in room's service: send a resident to the program's OpenID provider, and check what comes back.

Where the flow's secrets are kept: on our server, not in a cookie. The start stores the nonce and the PKCE verifier
(encrypted with the server's key) under a keyed hash of the state, with the browser's voter key and a short expiry
(OIDC_SIGN_IN_MINUTES); the callback claims that record once, atomically. A signed cookie would need no storage but
could be replayed until it expires, and could not tell a replayed answer from a new one; a stored record is
single-use on both stores (a conditional write), expires on its own (SQLite purge, DynamoDB TTL), and the browser
binding refuses an answer carried to another browser (login CSRF). Nothing the provider says about the resident is
kept: the issuer and the subject go to verification.grant, which keeps only a keyed hash of them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..identity.service import Identity
from ..kernel.context import Context
from ..kernel.errors import ApiError, Minutes
from ..kernel.messages import N_
from ..kernel.storage import AlreadyExists
from ..verification import rules as verification_rules
from ..verification import service as verification
from . import rules
from .rules import Refused
from .store import PendingSignIn

if TYPE_CHECKING:
    from ..identity.rules import Participant
    from ..kernel.catalog import ProgramEntry

CALLBACK_PATH = "/oidc/callback"

# Each refusal in words a resident understands, and what to do.
REFUSED = {
    "state": N_(
        "This answer from the identity provider matches no sign-in started on this site, so it was refused. Start again from the challenge's page."
    ),
    "browser": N_(
        "This sign-in was started in another browser, so it was refused here. Start again from this browser."
    ),
    "replayed": N_(
        "This answer from the identity provider was already used, so it was refused. Start again from the challenge's page."
    ),
    "expired": N_("This sign-in took longer than {minutes}, so it was refused. Start again from the challenge's page."),
    "denied": N_("The sign-in was cancelled at the identity provider; nothing was recorded. You can start again."),
    "nonce": N_(
        "The identity provider's answer belongs to another sign-in, so it was refused. Start again from the challenge's page."
    ),
    "token": N_(
        "The identity provider's answer could not be checked, so it was refused. Start again from the challenge's page."
    ),
    "provider": N_(
        "The identity provider cannot be reached or answered wrongly. Try again in a few minutes; nothing was recorded."
    ),
}


class Provider(Protocol):
    """The provider over HTTP (adapters/openid.py): JSON documents or Refused."""

    def discovery(self, issuer: str) -> object: ...

    def jwks(self, url: str) -> object: ...

    def token(self, url: str, form: dict, basic: tuple[str, str] | None) -> object: ...


class ClientSecrets(Protocol):
    """The secret store's OpenID client secrets (adapters/secrets.py)."""

    def secret(self, program: str) -> str | None: ...


METHOD = "oidc"


@dataclass(frozen=True)
class SignedIn:
    program: str
    back: str  # the site's path to go back to
    cookie: str  # the verified session's Set-Cookie header (verification.grant)


def refused(reason: str, minutes: int = 0) -> ApiError:
    if reason == "provider":
        return ApiError("bad-gateway", REFUSED[reason], retry_after=60)
    values = {"minutes": Minutes(minutes)} if reason == "expired" else None
    return ApiError("sign-in-refused", REFUSED[reason], values=values, extra={"reason": reason})


@dataclass
class SignIns:
    c: Context
    identity: Identity
    provider: Provider
    secrets: ClientSecrets
    # The provider's clock is the world's: ID token times are checked against it even when DATACITY_NOW pins ours.
    wall: Callable[[], float] = time.time

    @property
    def redirect_uri(self) -> str:
        """The one callback address every program registers with its provider."""
        return f"{self.c.settings.site_origin}{self.c.settings.api_base}{CALLBACK_PATH}"

    def client(self, program: ProgramEntry) -> rules.Client:
        if not verification_rules.accepts(program.participation, METHOD) or not program.oidc:
            raise ApiError("not-found", N_("This program does not offer signing in with an identity provider."))
        secret = self.secrets.secret(program.id)
        if not secret:
            # Configured in program.yml but not in the secret store: the team's mistake, said as a fault.
            raise ApiError(
                "bad-gateway",
                N_("Signing in is not ready for this program yet. Try again later; nothing was recorded."),
                retry_after=300,
            )
        return rules.Client(program.oidc["issuer"], program.oidc["client_id"], secret)

    def _endpoints(self, client: rules.Client) -> rules.Endpoints:
        return rules.endpoints(self.provider.discovery(client.issuer), client.issuer)

    def start(self, program_id: str, participant: Participant, back: str | None) -> str:
        """Store a new sign-in for this browser; the provider's address to send it to."""
        program = self.c.catalog.require_program(program_id)
        client = self.client(program)
        # Each start stores a record and calls the provider: counted per browser and per address.
        self.identity.limit("sign_ins", participant)
        try:
            where = self._endpoints(client)
        except Refused as error:
            raise refused(error.reason) from None
        flow = rules.new_flow()
        now = int(self.c.now().timestamp())
        sealed = self.c.keys.encrypt(json.dumps({"nonce": flow.nonce, "verifier": flow.code_verifier}))
        pending = PendingSignIn(
            rules.flow_key(self.c.keys.hash_key, flow.state),
            program.id,
            participant.voter_key,
            sealed,
            verification_rules.safe_return(back),
            now,
            now + 60 * self.c.settings.oidc_sign_in_minutes,
        )
        try:
            self.c.store.add_sign_in(pending)
        except AlreadyExists:  # 256 random bits met again: never in practice, but not a 500
            raise refused("state") from None
        verification.record(self.c, program.id, METHOD, "requested")
        return rules.authorization_url(where, client, self.redirect_uri, flow)

    def finish(self, query: dict, participant: Participant | None, lang: str) -> SignedIn:
        """Check the provider's answer, refusing anything but the one this browser's sign-in expects."""
        state = query.get("state")
        if not isinstance(state, str) or not state or len(state) > 512:
            raise refused("state")
        pending = self.c.store.claim_sign_in(rules.flow_key(self.c.keys.hash_key, state))
        if pending is None:
            raise refused("state")
        try:
            return self._finish(pending, state, query, participant)
        except ApiError as error:
            # Known from here: the refusal is counted for the program, and its page leads back to the verify page.
            if error.kind == "sign-in-refused" or error.kind == "bad-gateway":
                verification.record(self.c, pending.program, METHOD, "refused")
            error.back_url = verification.verify_url(self.c, pending.program, lang, pending.back)
            raise

    def _finish(self, pending: PendingSignIn, state: str, query: dict, participant: Participant | None) -> SignedIn:
        if pending.used:
            raise refused("replayed")
        if int(self.c.now().timestamp()) >= pending.expires_at:
            raise refused("expired", self.c.settings.oidc_sign_in_minutes)
        if participant is None or participant.voter_key != pending.voter_key:
            raise refused("browser")
        if query.get("error"):
            raise refused("denied")
        code = query.get("code")
        if not isinstance(code, str) or not code or len(code) > 2048:
            raise refused("token")
        program = self.c.catalog.require_program(pending.program)
        client = self.client(program)
        opened = self.c.keys.decrypt(pending.sealed)
        if opened is None:  # the server's key changed since the start
            raise refused("expired", self.c.settings.oidc_sign_in_minutes)
        kept = json.loads(opened)
        flow = rules.Flow(state, kept["nonce"], kept["verifier"])
        try:
            where = self._endpoints(client)
            form = rules.token_request(client, where, code, self.redirect_uri, flow)
            basic = (client.client_id, client.client_secret) if where.token_auth == "client_secret_basic" else None
            id_token = rules.id_token_of(self.provider.token(where.token_endpoint, form, basic))
            sub = rules.subject(id_token, self.provider.jwks(where.jwks_uri), client, flow.nonce, int(self.wall()))
        except Refused as error:
            raise refused(error.reason) from None
        # verification/ keeps a keyed hash of this, never the issuer and subject themselves.
        cookie = verification.grant(self.c, program.id, METHOD, rules.identifier(client.issuer, sub))
        return SignedIn(program.id, pending.back, cookie)
