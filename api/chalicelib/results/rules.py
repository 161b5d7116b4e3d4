"""When results are final and the vote log may be published. No storage, no web framework."""

from __future__ import annotations

import datetime as dt

from ..kernel.catalog import ChallengeEntry, ProgramEntry, Window
from ..kernel.errors import ApiError
from ..kernel.messages import N_
from ..kernel.windows import window_state
from ..votes.rules import participation_state


def program_closed(program: ProgramEntry, challenges: list[ChallengeEntry], now: dt.datetime) -> bool:
    """Results are final once the program's window and every one of its challenges are closed."""
    return window_state(program.window, now) == "closed" and all(
        participation_state(c, now) == "closed" for c in challenges
    )


def require_closed(program: ProgramEntry, challenges: list[ChallengeEntry], now: dt.datetime) -> None:
    """409 with the dates while the consultation (or one of its challenges) is still open or to come."""
    if program_closed(program, challenges, now):
        return
    closes = max([program.window.closes, *(c.window.closes for c in challenges if c.status == "open")])
    window = Window(program.window.opens, closes)
    raise ApiError(
        "still-open",
        N_("The vote log is published once the consultation closes: it is open from {opens} to {closes} inclusive."),
        values={"opens": window.opens, "closes": window.closes - dt.timedelta(seconds=1)},
        extra={"window": window.to_json(), "state": window_state(window, now)},
    )


def vote_counts(online: int, offline: dict[str, int], channels: list[str]) -> dict[str, int]:
    """A challenge's votes by channel, one key per channel of the document (online first)."""
    return {"online": online, **{channel: offline.get(channel, 0) for channel in channels[1:]}}
