"""What every store adapter shares, whatever the room: the project's own error types and the store-wide operations.

Each room declares its part of the storage contract next to its rules (votes/store.py, comments/store.py...);
adapters/store.py joins them into the one interface the SQLite and DynamoDB adapters implement. Adapters raise
only the errors below (never sqlite3's or botocore's), so services and tests catch one type for one fault.
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Iterator


class StoreError(Exception):
    """A fault of the store, in the project's terms."""


class AlreadyExists(StoreError):
    """A record with this key exists already: nothing was written."""


class StoreUnavailable(StoreError):
    """The store cannot answer now (unreachable, throttled, locked too long): try again later; nothing was lost."""


class StoreFull(StoreUnavailable):
    """The store has no room left (the disk is full): nothing was written."""


class StoreBase(abc.ABC):
    # Whether reads cost next to nothing (SQLite: a local file): then the services keep no copy of what residents
    # see (TALLY_CACHE_SECONDS and COMMENTS_CACHE_SECONDS apply to the others: DynamoDB is paid per read).
    cheap_reads: bool = False
    # Whether a write costs next to nothing: then every rate-limit hit is written (RATE_LIMIT_BATCH applies to the
    # others: a DynamoDB write is paid per unit, and two counter writes were a third of a vote's).
    cheap_writes: bool = False

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Make the writes inside the block one transaction where the store can (SQLite: one lock and one commit
        instead of one each); each write stays all or nothing on its own. Elsewhere a plain block."""
        yield

    def close(self) -> None:
        """At a clean stop: leave the storage tidy (SQLite: an empty write-ahead log). Nothing to do elsewhere."""
        return None

    @abc.abstractmethod
    def purge_expired(self, now: int) -> int:
        """Delete expired contact emails (and counters, where the store has no TTL); return how many.

        Run it on a schedule: DynamoDB's TTL also deletes expired items, but can lag by days.
        """

    @abc.abstractmethod
    def ping(self) -> None:
        """Raise StoreUnavailable if the store cannot be reached."""
