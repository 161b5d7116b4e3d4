"""The caller as a Participant (keyed hashes of their cookie token and address), and the rate limits they meet."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..kernel.context import Context
from ..kernel.errors import ApiError, Minutes
from ..kernel.messages import N_
from . import rules
from .hits import HitBatch, batch_for
from .rules import Participant

# Who a limit counts: the voter token ("t") and the client address ("i"), both keyed hashes.
SCOPES = ("t", "i")


@dataclass
class Identity:
    c: Context
    hits: HitBatch = field(init=False, default_factory=HitBatch)

    def participant(self, cookie_header: str | None, source_ip: str, create: bool) -> Participant | None:
        """The caller; with create=True a caller without a valid token gets a new one (to send as a cookie)."""
        keys = self.c.keys
        return rules.resolve(keys.hash_key, cookie_header, source_ip, create, keys.lookup_hash_keys)

    def cookie(self, token: str) -> str:
        settings = self.c.settings
        return rules.cookie_header(token, settings.cookie_secure, settings.cookie_max_age_days)

    def count(self, action: str, participant: Participant) -> ApiError | None:
        """Count this request against the caller's token and address; the 429 to raise if either limit is passed.

        Both are counted even when the first is over, so that a refused request still counts against the other.
        On DynamoDB a counter is written every few hits, not on each (identity/hits.py, RATE_LIMIT_BATCH).
        """
        per_token, per_ip = self.c.settings.rate_limits[action]
        seconds = self.c.settings.rate_limit_window_seconds
        every = 1 if self.c.store.cheap_writes else self.c.settings.rate_limit_batch
        start, remaining = rules.rate_window(self.c.now(), seconds)
        over = False
        for scope, subject, limit in zip(
            SCOPES, (participant.voter_key, participant.ip_key), (per_token, per_ip), strict=True
        ):

            def write(hits: int, scope: str = scope, subject: str = subject) -> int:
                return self.c.store.count_hit(action, scope, subject, start, start + seconds, by=hits)

            if self.hits.hit((action, scope, subject, start), limit, batch_for(limit, every), write):
                over = True
        if not over:
            return None
        minutes = max(1, (remaining + 59) // 60)
        return ApiError(
            "rate-limited",
            N_("Too many requests in a short time. Try again in {minutes}."),
            values={"minutes": Minutes(minutes)},
            retry_after=remaining,
        )

    def limit(self, action: str, participant: Participant) -> None:
        """Count the request; raise the 429 if a limit is passed."""
        refusal = self.count(action, participant)
        if refusal is not None:
            raise refusal
