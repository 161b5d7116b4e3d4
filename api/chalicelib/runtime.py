"""Builds the Consultation service once per process (Lambda container), lazily, from the stage's settings."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

from .catalog import CatalogFile
from .clock import FixedClock, system_clock
from .keys import load_keys
from .service import Consultation
from .settings import Settings
from .store import open_store

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
            _service = Consultation(
                cfg,
                open_store(cfg),
                CatalogFile(cfg.catalog_path),
                load_keys(cfg.secret_name, cfg.data_dir),
                _clock(cfg),
            )
        return _service


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
