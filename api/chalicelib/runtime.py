"""Builds the Consultation once per process (Lambda container), lazily, from the stage's settings: the one place
that picks the adapters (store, secrets, clock)."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

from .adapters.secrets import load_keys
from .adapters.store import Store
from .consultation import Consultation
from .kernel.catalog import CatalogFile
from .kernel.clock import FixedClock, system_clock
from .settings import Settings

API_DIR = Path(__file__).resolve().parent.parent
_lock = threading.Lock()
_service: Consultation | None = None


def settings() -> Settings:
    return Settings.load(base_dir=API_DIR)


def service() -> Consultation:
    global _service
    with _lock:
        if _service is None:
            cfg = settings()
            if cfg.store == "dynamodb" and not cfg.origin_secret_name:
                # The templates always set it: without it anyone could call execute-api and forge the viewer address.
                raise ValueError("STORE=dynamodb needs ORIGIN_SECRET_NAME (the origin lock); see docs/operations.md")
            _service = Consultation(
                cfg,
                open_store(cfg),
                CatalogFile(cfg.catalog_path),
                load_keys(cfg.secret_name, cfg.data_dir),
                _clock(cfg),
            )
        return _service


def close() -> None:
    """At a clean stop of a long-lived process (the local server's workers): the store finishes its work (SQLite
    copies its log back and leaves an empty -wal); the next call of service() opens it again."""
    global _service
    with _lock:
        if _service is not None:
            _service.store.close()
            _service = None


def open_store(settings: Settings) -> Store:
    """The store the settings name: SQLite (embedded, local) or DynamoDB (production)."""
    if settings.store == "sqlite":
        from .adapters.sqlite import SQLiteStore

        return SQLiteStore(settings.data_dir / "datacity.sqlite3")
    from .adapters.dynamodb import DynamoDBStore  # Settings.load refuses any other STORE

    return DynamoDBStore(settings.table_name, shards=settings.tally_shards)


def _clock(cfg: Settings):
    """The system clock; locally (SQLite store only) DATACITY_NOW pins it, to demonstrate or test any window."""
    pinned = os.environ.get("DATACITY_NOW")
    if pinned and cfg.store == "sqlite":
        return FixedClock(dt.datetime.fromisoformat(pinned))
    return system_clock


def install(consultation: Consultation | None) -> None:
    """Replace the service (tests inject a fake clock, a temporary store, a test catalog)."""
    global _service
    with _lock:
        _service = consultation
