"""The production store: one DynamoDB table (single-table design, on-demand), described in docs/storage.md.

Every request path is a GetItem, a BatchGetItem, a Query or a write: nothing here ever Scans. One module per room
maps that room's records to items; client.py wraps the boto3 client and its errors; table.py holds the design.
"""

from __future__ import annotations

from ..store import Store
from .audit import AuditOnDynamoDB
from .client import make_client
from .comments import CommentsOnDynamoDB
from .imports import ImportsOnDynamoDB
from .limits import LimitsOnDynamoDB
from .moderation import ModerationOnDynamoDB
from .proposals import ProposalsOnDynamoDB
from .results import ResultsOnDynamoDB
from .sessions import SessionsOnDynamoDB
from .sign_ins import SignInsOnDynamoDB
from .table import MAX_SHARDS, TABLE_DEFINITION, TTL_ATTRIBUTE, create_table, shard_of
from .verification import VerificationOnDynamoDB
from .votes import VotesOnDynamoDB

__all__ = [
    "DynamoDBStore",
    "TABLE_DEFINITION",
    "TTL_ATTRIBUTE",
    "MAX_SHARDS",
    "create_table",
    "make_client",
    "shard_of",
]


class DynamoDBStore(
    VotesOnDynamoDB,
    ResultsOnDynamoDB,
    CommentsOnDynamoDB,
    ModerationOnDynamoDB,
    ProposalsOnDynamoDB,
    ImportsOnDynamoDB,
    LimitsOnDynamoDB,
    AuditOnDynamoDB,
    SessionsOnDynamoDB,
    VerificationOnDynamoDB,
    SignInsOnDynamoDB,
    Store,
):
    """Every room's records in one DynamoDB table."""
