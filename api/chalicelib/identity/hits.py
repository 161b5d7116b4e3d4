"""Rate-limit hits counted in the container and written to the store every N-th hit (docs/storage.md).

Written by hand (about 60 lines): no library batches DynamoDB counters with a limit-aware flush. Two counter
writes on every vote were a third of its write units; here a counter is written once every `batch` hits of one
subject in one container, and on every hit once its total could be within `batch` of the limit, so the limit
stays exact near it. What it gives up, stated: a subject spread over k containers may pass the limit by at most
k x (batch - 1) hits in a window, and a container that stops loses at most batch - 1 unwritten hits per subject.
`batch` is at most a tenth of the limit, so one container's margin is at most 10 %.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

# Hits kept per container before the oldest window's entries are dropped (a bound on memory, ~100 B each).
MAX_SUBJECTS = 100_000


def batch_for(limit: int, every: int) -> int:
    """Hits between two writes of a counter with this limit: at most `every`, at most a tenth of the limit."""
    return max(1, min(every, limit // 10))


class HitBatch:
    """Per (action, scope, subject, window): the last total the store returned and the hits not yet written."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[tuple, tuple[int, int, int]] = {}  # key -> (store total, hits not written, being written)

    def hit(self, key: tuple, limit: int, batch: int, write: Callable[[int], int]) -> bool:
        """Count one hit; True if it is over the limit (to refuse). `write(n)` adds n to the store counter: its total.

        A subject already known to be over the limit is refused without a write: counting it further changes
        nothing in this window, and an attacker's refused requests then cost no write units.
        """
        with self._lock:
            total, pending, writing = self._known.get(key, (0, 0, 0))
            if total > limit:
                return True
            pending += 1
            # Hits being written by other threads count too, so one container never passes the limit itself.
            if batch > 1 and pending < batch and total + writing + pending + batch <= limit:
                self._remember(key, (total, pending, writing))
                return False
            self._remember(key, (total, 0, writing + pending))
        # The store call outside the lock: other subjects are not held up by one write.
        written = 0
        try:
            written = write(pending)
        finally:  # a failed write (the store unavailable) is not counted, and no longer in flight
            with self._lock:
                known, later, still = self._known.get(key, (0, 0, pending))
                self._remember(key, (max(known, written), later, max(0, still - pending)))
        return written > limit

    def _remember(self, key: tuple, value: tuple[int, int, int]) -> None:
        if key not in self._known and len(self._known) >= MAX_SUBJECTS:
            del self._known[next(iter(self._known))]  # the oldest entry (dicts keep insertion order)
        self._known[key] = value
