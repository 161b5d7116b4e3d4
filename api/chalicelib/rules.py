"""Participation rules: windows, statuses, moderation and tally visibility. No storage, no web framework."""

from __future__ import annotations

import datetime as dt

from .catalog import ChallengeEntry, ProgramEntry, Window
from .dates import long_date
from .errors import ApiError


def window_state(window: Window, now: dt.datetime) -> str:
    if now < window.opens:
        return "upcoming"
    if now < window.closes:
        return "open"
    return "closed"


def _dates(window: Window, lang: str) -> tuple[str, str]:
    return long_date(lang, window.opens), long_date(lang, window.closes - dt.timedelta(seconds=1))


def require_open(window: Window, now: dt.datetime, what_fr: str, what_en: str) -> None:
    """Raise a 409 whose message gives the dates unless `now` is inside the window."""
    state = window_state(window, now)
    if state == "open":
        return
    fr_opens, fr_closes = _dates(window, "fr")
    en_opens, en_closes = _dates(window, "en")
    extra = {"window": window.to_json(), "state": state}
    if state == "upcoming":
        raise ApiError(
            "not-open",
            f"{what_fr} ouvre le {fr_opens} (jusqu'au {fr_closes} inclus).",
            f"{what_en} opens on {en_opens} (until {en_closes} included).",
            extra=extra,
        )
    raise ApiError(
        "not-open",
        f"{what_fr} est close depuis le {fr_closes} (elle avait ouvert le {fr_opens}).",
        f"{what_en} closed on {en_closes} (it opened on {en_opens}).",
        extra=extra,
    )


def participation_state(challenge: ChallengeEntry, now: dt.datetime) -> str:
    """'upcoming', 'open' or 'closed': a challenge that is not 'open' in the catalog is closed whatever the date."""
    return window_state(challenge.window, now) if challenge.status == "open" else "closed"


def require_challenge_open(challenge: ChallengeEntry, now: dt.datetime) -> None:
    if challenge.status != "open":
        raise ApiError(
            "not-open",
            "Ce défi n'est plus ouvert à la participation.",
            "This challenge is no longer open for participation.",
            extra={"window": challenge.window.to_json(), "state": "closed"},
        )
    require_open(challenge.window, now, "La participation à ce défi", "Participation in this challenge")


def tally_visible(program: ProgramEntry, challenge: ChallengeEntry, now: dt.datetime) -> bool:
    """Counts are public at once on 'live' programs; otherwise only once participation has closed."""
    if program.tallies == "live":
        return True
    return participation_state(challenge, now) == "closed"


def initial_comment_status(program: ProgramEntry) -> str:
    return "pending" if program.moderation == "pre" else "published"


def rate_window(now: dt.datetime, seconds: int) -> tuple[int, int]:
    """(window start as epoch seconds, seconds until the window ends)."""
    epoch = int(now.timestamp())
    start = epoch - epoch % seconds
    return start, start + seconds - epoch


def email_expiry(program: ProgramEntry, retention_days: int) -> dt.datetime:
    """A contact email is deleted this long after the program's consultation closes."""
    return program.window.closes + dt.timedelta(days=retention_days)
