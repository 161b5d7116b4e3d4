"""The consultation: every room's service, built once per process over one store, catalog, set of keys and clock.

Routes reach a room through it (`consultation.votes.vote(...)`); a room reaches another only through what it is
given here, so the dependencies between rooms are all in this file.
"""

from __future__ import annotations

from .adapters.secrets import TOKENS_FILE, OriginSecret, TokenFile, TokenSecret
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
from .proposals.service import Proposals
from .results.service import Results
from .settings import Settings
from .staff_access.service import StaffAccess, TokenSource
from .verification.service import Verification
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
    ):
        self.context = context = Context(settings, store, catalog, keys, clock)
        # What the rooms share, within reach (tests and scripts read the store, the keys, the clock).
        self.settings, self.store, self.catalog, self.keys, self.clock = settings, store, catalog, keys, clock
        # Only CloudFront may call the API (docs/operations.md, "Protection"); None: no lock (local use, tests).
        self.origin = origin or (OriginSecret(settings.origin_secret_name) if settings.origin_secret_name else None)
        self.identity = Identity(context)
        self.verification = Verification(context)
        self.votes = Votes(context, self.identity)
        self.comments = Comments(context, self.identity)
        self.proposals = Proposals(context, self.identity)
        self.staff = StaffAccess(context, staff_tokens or _token_source(settings))
        self.moderation = Moderation(context, self.staff, self.proposals, self.comments)
        self.results = Results(context, self.staff, self.verification)
        self.imports = Imports(context, self.staff)
        self.console = Console(context, self.staff, self.moderation)

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
