"""Consultation windows: open, upcoming or closed at a moment, and the 409 that gives the dates."""

from __future__ import annotations

import datetime as dt

from .catalog import Window
from .dates import long_date
from .errors import ApiError, Term
from .messages import N_


def window_state(window: Window, now: dt.datetime) -> str:
    if now < window.opens:
        return "upcoming"
    if now < window.closes:
        return "open"
    return "closed"


def dates_in_words(window: Window, lang: str) -> tuple[str, str]:
    """The first and the last day of the window ('closes' is exclusive), in words."""
    return long_date(lang, window.opens), long_date(lang, window.closes - dt.timedelta(seconds=1))


def require_open(window: Window, now: dt.datetime, what: str) -> None:
    """Raise a 409 whose message gives the dates unless `now` is inside the window (`what`: marked with N_)."""
    state = window_state(window, now)
    if state == "open":
        return
    values = {"what": Term(what), "opens": window.opens, "closes": window.closes - dt.timedelta(seconds=1)}
    extra = {"window": window.to_json(), "state": state}
    if state == "upcoming":
        raise ApiError(
            "not-open", N_("{what} opens on {opens} (until {closes} inclusive)."), values=values, extra=extra
        )
    raise ApiError("not-open", N_("{what} closed on {closes} (it opened on {opens})."), values=values, extra=extra)
