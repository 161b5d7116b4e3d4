"""How long a proposer's email is kept, and the counters proposals move. No storage, no web framework."""

from __future__ import annotations

import datetime as dt

from ..kernel.catalog import ProgramEntry

STATUSES = ("pending", "approved", "rejected")
# The program's counters (moderation/rules.py reads them for the public record).
RECEIVED = "proposals:received"


def decided(status: str) -> str:
    """The counter a proposal adds to once staff approve or reject it."""
    return f"proposals:{status}"


def email_expiry(program: ProgramEntry, retention_days: int) -> dt.datetime:
    """A contact email is deleted this long after the program's consultation closes."""
    return program.window.closes + dt.timedelta(days=retention_days)
