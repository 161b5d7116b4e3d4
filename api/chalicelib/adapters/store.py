"""The one store interface: every room's part of the storage contract, and the store-wide operations.

tests/api/test_store_contract.py checks it against each adapter (SQLite, DynamoDB Local), concurrency included.
"""

from __future__ import annotations

from ..comments.store import CommentStore
from ..console.store import SessionStore
from ..identity.store import LimitStore
from ..imports.store import ImportStore
from ..kernel.storage import StoreBase
from ..moderation.store import ModerationStore
from ..oidc.store import SignInStore
from ..proposals.store import ProposalStore
from ..results.store import ResultsStore
from ..staff_access.store import AuditStore
from ..verification.store import VerificationStore
from ..votes.store import VoteStore


class Store(
    StoreBase,
    VoteStore,
    CommentStore,
    ProposalStore,
    ModerationStore,
    ResultsStore,
    ImportStore,
    LimitStore,
    AuditStore,
    SessionStore,
    VerificationStore,
    SignInStore,
):
    """What the consultation keeps. An adapter maps these records to its storage and decides nothing."""
