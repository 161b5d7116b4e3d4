"""The store capacity one request consumed, for its `request` log line (docs/operations.md, "Logs").

A store that is billed by capacity (DynamoDB) adds what each of its calls consumed to the request's Usage; the
middleware starts one per request and writes its totals. A context variable, so that concurrent requests on other
threads of the same process (the local server, the test client) never mix their figures. Only numbers are kept:
no key, no table content.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass


@dataclass
class Usage:
    """Read and write capacity units, and how many store calls reported them."""

    read_units: float = 0.0
    write_units: float = 0.0
    calls: int = 0


_current: ContextVar[Usage | None] = ContextVar("datacity_usage", default=None)


def begin() -> Token:
    """Start counting for the current request (returns what `end` needs)."""
    return _current.set(Usage())


def end(token: Token) -> Usage | None:
    """Stop counting; the request's usage, or None if no call reported any (a store without capacity units)."""
    usage = _current.get()
    _current.reset(token)
    return usage if usage is not None and usage.calls else None


def add(read_units: float, write_units: float) -> None:
    """Count one store call's consumed capacity in the current request, if one is being counted."""
    usage = _current.get()
    if usage is not None:
        usage.read_units += read_units
        usage.write_units += write_units
        usage.calls += 1
