"""Storage: one interface (base.Store), an embedded SQLite store and a DynamoDB store."""

from __future__ import annotations

from ..settings import Settings
from .base import Store


def open_store(settings: Settings) -> Store:
    if settings.store == "sqlite":
        from .sqlite import SQLiteStore

        return SQLiteStore(settings.data_dir / "datacity.sqlite3")
    if settings.store == "dynamodb":
        from .dynamodb import DynamoDBStore

        return DynamoDBStore(settings.table_name, shards=settings.tally_shards)
    raise ValueError(f"unknown STORE '{settings.store}': use sqlite or dynamodb")
