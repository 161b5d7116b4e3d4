"""What every room's service is built with: the settings, the store, the catalog, the keys and the clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .catalog import Catalog, CatalogFile
from .clock import Clock
from .keys import Keys

if TYPE_CHECKING:
    from ..adapters.store import Store
    from ..settings import Settings


@dataclass
class Context:
    settings: Settings
    store: Store
    catalog_file: CatalogFile
    keys: Keys
    clock: Clock

    def now(self) -> dt.datetime:
        return self.clock()

    def now_iso(self) -> str:
        """Now as stored: ISO 8601 UTC with microseconds, which sorts as text."""
        return self.clock().isoformat(timespec="microseconds")

    @property
    def catalog(self) -> Catalog:
        return self.catalog_file.get()
