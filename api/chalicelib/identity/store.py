"""The identity room's part of the storage contract: rate-limit counters."""

from __future__ import annotations

import abc


class LimitStore(abc.ABC):
    @abc.abstractmethod
    def count_hit(self, action: str, scope: str, subject: str, window_start: int, expires: int, by: int = 1) -> int:
        """Add `by` hits to the counter of `subject` (a keyed hash) for `action` in the window starting at
        `window_start`, atomically; it expires at `expires` (epoch seconds). The counter's new value."""
