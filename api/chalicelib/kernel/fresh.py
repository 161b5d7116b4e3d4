"""Answers kept for a few seconds in the container (what residents see, on a store paid per read).

Hand-written rather than cachetools' TTLCache: 30 lines, with the one extra the rooms need (forgetting one
challenge's entries when this container changes them), and no dependency for the Lambda package.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

MAX_ENTRIES = 10_000  # a bound on memory: past it, the oldest half is dropped


class Fresh:
    def __init__(self, seconds: float, monotonic: Callable[[], float] = time.monotonic):
        self.seconds, self._monotonic = seconds, monotonic
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The kept value if younger than `seconds`, else make() (kept; not when seconds is 0)."""
        if self.seconds <= 0:
            return make()
        now = self._monotonic()
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None and now - hit[0] < self.seconds:
            return hit[1]
        value = make()
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                for old in list(self._entries)[: MAX_ENTRIES // 2]:
                    del self._entries[old]
            self._entries[key] = (now, value)
        return value

    def forget(self, match: Callable[[Hashable], bool]) -> None:
        with self._lock:
            for key in [k for k in self._entries if match(k)]:
                del self._entries[key]
