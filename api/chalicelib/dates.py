"""Dates in words, in French and English, for messages and pages (no locale database needed)."""

from __future__ import annotations

import datetime as dt

MONTHS = {
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def long_date(lang: str, moment: dt.date) -> str:
    """'6 novembre 2017' / '6 November 2017'."""
    return f"{moment.day} {MONTHS[lang][moment.month - 1]} {moment.year}"
