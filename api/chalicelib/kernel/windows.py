"""Consultation windows: open, upcoming or closed at a moment, and the 409 that gives the dates."""

from __future__ import annotations

import datetime as dt

from .catalog import Window
from .dates import long_date
from .errors import ApiError


def window_state(window: Window, now: dt.datetime) -> str:
    if now < window.opens:
        return "upcoming"
    if now < window.closes:
        return "open"
    return "closed"


def dates_in_words(window: Window, lang: str) -> tuple[str, str]:
    """The first and the last day of the window ('closes' is exclusive), in words."""
    return long_date(lang, window.opens), long_date(lang, window.closes - dt.timedelta(seconds=1))


def require_open(window: Window, now: dt.datetime, what_fr: str, what_en: str) -> None:
    """Raise a 409 whose message gives the dates unless `now` is inside the window."""
    state = window_state(window, now)
    if state == "open":
        return
    fr_opens, fr_closes = dates_in_words(window, "fr")
    en_opens, en_closes = dates_in_words(window, "en")
    extra = {"window": window.to_json(), "state": state}
    if state == "upcoming":
        raise ApiError(
            "not-open",
            f"{what_fr} ouvre le {fr_opens} (jusqu'au {fr_closes} inclus).",
            f"{what_en} opens on {en_opens} (until {en_closes} inclusive).",
            extra=extra,
        )
    raise ApiError(
        "not-open",
        f"{what_fr} est close depuis le {fr_closes} (elle avait ouvert le {fr_opens}).",
        f"{what_en} closed on {en_closes} (it opened on {en_opens}).",
        extra=extra,
    )
