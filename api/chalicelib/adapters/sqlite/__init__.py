"""The embedded store: one SQLite file in WAL mode, safe under a threaded server and several processes, surviving
restarts, its schema versioned (migrations.py). One module per room maps that room's records to rows."""

from __future__ import annotations

from ..store import Store
from .audit import AuditOnSQLite
from .comments import CommentsOnSQLite
from .imports import ImportsOnSQLite
from .limits import LimitsOnSQLite
from .moderation import ModerationOnSQLite
from .proposals import ProposalsOnSQLite
from .results import ResultsOnSQLite
from .sessions import SessionsOnSQLite
from .sign_ins import SignInsOnSQLite
from .verification import VerificationOnSQLite
from .votes import VotesOnSQLite


class SQLiteStore(
    VotesOnSQLite,
    ResultsOnSQLite,
    CommentsOnSQLite,
    ModerationOnSQLite,
    ProposalsOnSQLite,
    ImportsOnSQLite,
    LimitsOnSQLite,
    AuditOnSQLite,
    SessionsOnSQLite,
    VerificationOnSQLite,
    SignInsOnSQLite,
    Store,
):
    """Every room's records in one SQLite file."""

    cheap_reads = True  # a local file: every worker reads the same rows at once, no copy kept
    cheap_writes = True  # and writes them: every rate-limit hit is counted at once
