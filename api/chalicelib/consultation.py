"""The consultation: every room's service, built once per process over one store, catalog, set of keys and clock.

Routes reach a room through it (`consultation.votes.vote(...)`); a room reaches another only through what it is
given here, so the dependencies between rooms are all in this file.
"""

from __future__ import annotations

from .adapters.mail import Mailer, OutboxMailer, make_mailer
from .adapters.openid import OpenIdHttp
from .adapters.secrets import (
    OIDC_CLIENTS_FILE,
    TOKENS_FILE,
    ClientSecretFile,
    ClientSecretSecret,
    OriginSecret,
    TokenFile,
    TokenSecret,
)
from .adapters.store import Store
from .comments.service import Comments
from .console.service import Console
from .identity.service import Identity
from .imports.service import Imports
from .kernel.catalog import CatalogFile
from .kernel.clock import Clock
from .kernel.context import Context
from .kernel.keys import Keys
from .moderation.service import Moderation
from .oidc.service import ClientSecrets, Provider, SignIns
from .proposals.service import Proposals
from .results.service import Results
from .settings import Settings
from .staff_access.service import StaffAccess, TokenSource
from .verification.service import EmailVerification, Verification
from .votes.service import Votes


class Consultation:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        catalog: CatalogFile,
        keys: Keys,
        clock: Clock,
        staff_tokens: TokenSource | None = None,
        origin: OriginSecret | None = None,
        openid: Provider | None = None,
        oidc_secrets: ClientSecrets | None = None,
        mailer: Mailer | None = None,
    ):
        self.context = context = Context(settings, store, catalog, keys, clock)
        # What the rooms share, within reach (tests and scripts read the store, the keys, the clock).
        self.settings, self.store, self.catalog, self.keys, self.clock = settings, store, catalog, keys, clock
        # Only CloudFront may call the API (docs/operations.md, "Protection"); None: no lock (local use, tests).
        self.origin = origin or (OriginSecret(settings.origin_secret_name) if settings.origin_secret_name else None)
        self.identity = Identity(context)
        self.verification = Verification(context)
        # The verification emails' way out (MAIL: outbox, smtp or ses); tests give their own SMTP server's.
        self.mailer = mailer or make_mailer(settings)
        self.email_verification = EmailVerification(context, self.identity, self.mailer)
        self.votes = Votes(context, self.identity)
        self.comments = Comments(context, self.identity)
        self.proposals = Proposals(context, self.identity)
        self.staff = StaffAccess(context, staff_tokens or _token_source(settings))
        self.moderation = Moderation(context, self.staff, self.proposals, self.comments)
        self.results = Results(context, self.staff, self.verification)
        self.imports = Imports(context, self.staff)
        self.console = Console(context, self.staff, self.moderation)
        self.sign_ins = SignIns(context, self.identity, openid or OpenIdHttp(), oidc_secrets or _oidc_secrets(settings))

    def outbox(self) -> list | None:
        """The local outbox's messages, newest first; None when mail does not go to an outbox (MAIL)."""
        return self.mailer.messages() if isinstance(self.mailer, OutboxMailer) else None

    def housekeeping(self) -> int:
        """Delete expired contact emails and rate-limit counters; run hourly (app.schedule, serve.py)."""
        return self.store.purge_expired(int(self.clock().timestamp()))

    def health(self) -> dict:
        self.store.ping()
        catalog = self.context.catalog
        return {"status": "ok", "challenges": len(catalog.challenges), "programs": len(catalog.programs)}


def _token_source(settings: Settings) -> TokenSource | None:
    """Where staff tokens are read: the Secrets Manager secret if one is set, else DATA_DIR's file; none with IAM."""
    if settings.staff_auth == "iam":
        return None
    if settings.staff_tokens_secret:
        return TokenSecret(settings.staff_tokens_secret)
    return TokenFile(settings.data_dir / TOKENS_FILE)


def _oidc_secrets(settings: Settings) -> ClientSecrets:
    if settings.oidc_clients_secret:
        return ClientSecretSecret(settings.oidc_clients_secret)
    return ClientSecretFile(settings.data_dir / OIDC_CLIENTS_FILE)
