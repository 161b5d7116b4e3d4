"""The one place generated pages get 'now' from; DATACITY_NOW (ISO 8601) pins it for tests and reproducible builds."""

from __future__ import annotations

import datetime as dt
import os


def now() -> dt.datetime:
    pinned = os.environ.get("DATACITY_NOW")
    if pinned:
        value = dt.datetime.fromisoformat(pinned)
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.now(dt.UTC)
