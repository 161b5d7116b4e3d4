"""The sign-in room's part of the storage contract: sign-ins under way, each under a keyed hash of its state."""

from __future__ import annotations

import abc
from dataclasses import dataclass


@dataclass(frozen=True)
class PendingSignIn:
    key: str  # rules.flow_key(state): the state itself travels in addresses and is never stored
    program: str
    voter_key: str  # the browser that started it (identity/): another browser cannot finish it
    sealed: str  # the nonce and the PKCE verifier, encrypted with the server's key (kernel/keys.py)
    back: str  # the site's path to go back to
    created_at: int  # epoch seconds
    expires_at: int  # epoch seconds after which it is refused, and the store may delete it (TTL)
    used: bool = False  # a callback already came for it: any other is a replay


class SignInStore(abc.ABC):
    @abc.abstractmethod
    def add_sign_in(self, pending: PendingSignIn) -> None:
        """Store a new sign-in; AlreadyExists if its key is taken."""

    @abc.abstractmethod
    def claim_sign_in(self, key: str) -> PendingSignIn | None:
        """Mark the sign-in used, at once for all callers, and return it as it was before (`used` True: someone
        claimed it first); None if there is none under that key."""
