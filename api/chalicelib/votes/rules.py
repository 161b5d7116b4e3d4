"""When a challenge takes votes and comments, and when its count is public. No storage, no web framework."""

from __future__ import annotations

import datetime as dt

from ..kernel.catalog import ChallengeEntry, ProgramEntry
from ..kernel.errors import ApiError
from ..kernel.messages import N_
from ..kernel.windows import require_open, window_state


def participation_state(challenge: ChallengeEntry, now: dt.datetime) -> str:
    """'upcoming', 'open' or 'closed': a challenge that is not 'open' in the catalog is closed whatever the date."""
    return window_state(challenge.window, now) if challenge.status == "open" else "closed"


def require_challenge_open(challenge: ChallengeEntry, now: dt.datetime) -> None:
    """409 unless residents may vote and comment on the challenge now; the message gives the dates."""
    if challenge.status != "open":
        raise ApiError(
            "not-open",
            N_("This challenge is no longer open for participation."),
            extra={"window": challenge.window.to_json(), "state": "closed"},
        )
    require_open(challenge.window, now, N_("Participation in this challenge"))


def tally_visible(program: ProgramEntry, challenge: ChallengeEntry, now: dt.datetime) -> bool:
    """Counts are public at once on 'live' programs; otherwise only once participation has closed."""
    if program.tallies == "live":
        return True
    return participation_state(challenge, now) == "closed"
