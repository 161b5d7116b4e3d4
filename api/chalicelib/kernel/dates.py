"""Dates in words for messages and pages, from CLDR through Babel: '6 novembre 2017', '6 November 2017'."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

# The CLDR locale each site language writes its dates in: British English writes day, month, year like the pages.
LOCALES = {"en": "en_GB"}


def long_date(lang: str, moment: dt.date) -> str:
    """'6 novembre 2017' / '6 November 2017'."""
    return format_date(moment, format="long", locale=LOCALES.get(lang, lang))
