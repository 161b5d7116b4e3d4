"""Interface text of generated pages from gettext catalogs, and dates and numbers from CLDR, through Babel.

Messages are written in English in the code (the msgid) and translated in `site_builder/locale/<lang>/LC_MESSAGES/
site.po`; `make messages` extracts them (Babel) into `site.pot` and updates every catalog. A catalog is compiled
when the build first needs it (Babel, in memory): there is no compiled file to forget. Plural forms come from each
catalog's `Plural-Forms` header, which Babel writes from CLDR. English is the source language and needs no catalog.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Iterator, Mapping
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from .vocabulary import CLDR_LOCALES, N_

DOMAIN = "site"
LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "en"

Plural = tuple[str, str]
__all__ = ["N_", "NP_"]


def NP_(singular: str, plural: str) -> Plural:
    """Marks a message with a plural form for extraction; shown with `nt`."""
    return (singular, plural)


def catalog_path(lang: str, domain: str = DOMAIN, folder: Path = LOCALE_DIR) -> Path:
    return folder / lang / "LC_MESSAGES" / f"{domain}.po"


@functools.cache
def _compiled(path: Path, mtime: float) -> Translations:
    with path.open("rb") as f:
        catalog = read_po(f)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return Translations(buffer, domain=path.stem)


# The catalogs in use, looked up on disk once until `reload()`: a path and a stat for each message cost a third of
# the generation (390,000 messages for 1,000 challenges).
_in_use: dict[tuple[str, str, Path], NullTranslations] = {}
# What is worked out from the catalogs once per language (`per_catalog`), forgotten with them.
_derived: list[functools._lru_cache_wrapper] = []


def reload() -> None:
    """Look the catalogs up again on their next use (each build starts with it: `mkdocs serve` picks up edits)."""
    _in_use.clear()
    for cached in _derived:
        cached.cache_clear()


def per_catalog(function):
    """Cache a pure function of the catalogs (a language's texts for a page's script) until `reload()`."""
    cached = functools.cache(function)
    _derived.append(cached)
    return cached


def translations(lang: str, domain: str = DOMAIN, folder: Path = LOCALE_DIR) -> NullTranslations:
    """The language's compiled catalog (compiled again after `reload()` if its .po changed)."""
    key = (lang, domain, folder)
    found = _in_use.get(key)
    if found is None:
        path = catalog_path(lang, domain, folder)
        found = _compiled(path, path.stat().st_mtime) if path.exists() else NullTranslations()
        _in_use[key] = found
    return found


@functools.cache
def locale(lang: str) -> Locale:
    """The CLDR locale a site language writes dates and numbers in."""
    return Locale.parse(CLDR_LOCALES.get(lang, lang).replace("-", "_"))


def gettext(lang: str, message: str) -> str:
    """A message (marked with N_ where it is defined) in `lang`."""
    return translations(lang).gettext(message)


def t(lang: str, key: str, **values: object) -> str:
    """The generated pages' message `key` (TEXT below) in `lang`, with its {placeholders} filled in."""
    text = gettext(lang, TEXT[key])
    return text.format(**values) if values else text


def count(lang: str, n: int) -> str:
    """'1 défi', '2 défis', '0 défi' / '0 challenges': CLDR's plural rules through the catalog."""
    return nt(lang, COUNT, n)


def nt(lang: str, message: Plural, n: int, **values: object) -> str:
    """The plural form CLDR gives `n` in `lang`; `{n}` is the number written as the language writes it."""
    text = translations(lang).ngettext(message[0], message[1], n)
    return text.format(n=number(lang, n), **values)


# The generated pages' own messages (each page module may have a table of its own), by key.
TEXT: dict[str, str] = {
    "home": N_("Home"),
    "challenges": N_("Challenges"),
    "all_challenges": N_("All challenges"),
    "challenges_of": N_("Challenges of {program}"),
    "filter_by": N_("Filter the challenges"),
    "by_theme": N_("By theme"),
    "by_sdg": N_("By Sustainable Development Goal"),
    "by_status": N_("By status"),
    "theme": N_("Theme"),
    "themes": N_("Themes"),
    "themes_label": N_("Themes:"),
    "proposed_by": N_("Proposed by a resident on {date}"),
    "sdg": N_("SDG {n}"),
    "sdg_long": N_("Sustainable Development Goal {n}: {name}"),
    "sdgs": N_("UN Sustainable Development Goals (SDGs)"),
    "status": N_("Status"),
    "partners": N_("Partners"),
    "links": N_("Find out more"),
    "breadcrumb": N_("Breadcrumb"),
    "pagination": N_("Result pages"),
    "page_n": N_("Page {n}"),
    "page_n_of": N_("page {n} of {total}"),
    "previous": N_("Previous page"),
    "next": N_("Next page"),
    "none_here": N_("No challenge matches this filter yet."),
    "filtered_theme": N_("Challenges on “{name}”"),
    "filtered_sdg": N_("Challenges for SDG {n}: {name}"),
    "filtered_status": N_("Challenges: {name}"),
    "window": N_("Consultation"),
    "from_to": N_("from {opens} to {closes}"),
    "state_upcoming": N_("The consultation has not started yet: it opens on {opens}."),
    "state_open": N_("The consultation is open until {closes} inclusive."),
    "state_closed": N_("The consultation closed on {closes}."),
    "state_note": N_("(as of when this page was published, {built})"),
    "programs": N_("Programs"),
    "program_see": N_("See the {n} challenges"),
    "propose": N_("Propose a challenge"),
    "moderation_pre": N_("Comments are read by the team before they are published."),
    "moderation_post": N_("Comments are published at once; the team removes those that break the charter."),
    "tallies_live": N_("Vote counts are shown during the consultation."),
    "tallies_after-close": N_(
        "Vote counts are shown only once the consultation has closed, so that everyone votes freely."
    ),
    "moderation_record": N_("Moderation record: how many comments were hidden or refused, and why"),
    "how_to_take_part": N_("How to take part"),
    "take_part": N_("Read the challenges, vote for the ones that matter to you, comment on them or propose your own."),
    "image": N_("Illustration"),
    "glossary": N_("Glossary"),
    "glossary_intro": N_(
        "The technical words of the smart city, explained simply. These words are underlined with dots in the pages: hover them with a mouse or reach them with the Tab key to see what they mean, or find them here."
    ),
    "glossary_also": N_("Also written:"),
    "about_program": N_("About the program"),
    "see_also_page": N_("Page: {title}"),
    "see_also_challenge": N_("Challenge: {title}"),
    "external": N_("(external site)"),
    "search": N_("Search"),
    "search_intro": N_("Look for a word in the challenges and the pages of the site."),
    "search_nojs": N_(
        "Search needs JavaScript, which is turned off in your browser. You will find every challenge in the lists of each program, which you can filter by theme, by sustainable development goal and by status:"
    ),
    "search_all": N_("All the challenges of {program}"),
    "not_found": N_("Page not found"),
    "not_found_text": N_("No page of this site has this address: it may be mistyped, or the page has moved."),
    "not_found_home": N_("Go to the home page"),
    "search_none": N_("No results for “{query}”."),
    "search_searching": N_("Searching…"),
    "search_failed": N_("The search could not be loaded. Check your connection and try again."),
    "search_see_all": N_("See all {n} results"),
    "search_more": N_("More results"),
}
COUNT = NP_("{n} challenge", "{n} challenges")
# search.js: how many results (the form of each CLDR category, plural_forms).
SEARCH_COUNT = NP_("{n} result", "{n} results")


def plural_forms(lang: str, message: Plural) -> dict[str, str]:
    """The message's form for each of the language's CLDR plural categories ('one', 'few', 'other'...), for the
    pages' scripts, which pick one with `Intl.PluralRules(lang).select(n)` (the same CLDR rules)."""
    return dict(_plural_forms(lang, message))


@per_catalog  # two hundred numbers tried for every challenge page otherwise
def _plural_forms(lang: str, message: Plural) -> dict[str, str]:
    rule = locale(lang).plural_form
    forms: dict[str, str] = {}
    # A number of each category, found by trying: CLDR's samples are not in Babel's API.
    for n in (*range(0, 200), 1000, 10000, 100000, 1000000):
        category = rule(n)
        if category not in forms:
            forms[category] = translations(lang).ngettext(message[0], message[1], n)
    return forms


class Texts(Mapping[str, str]):
    """A module's table of messages by key, read in one language: `texts(lang, TEXT)["votes"]`."""

    def __init__(self, lang: str, table: Mapping[str, str]):
        self.lang, self.table = lang, table

    def __getitem__(self, key: str) -> str:
        return gettext(self.lang, self.table[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)


def number(lang: str, n: int | float) -> str:
    """'1 234' / '1,234', as CLDR writes numbers in the language."""
    return format_decimal(n, locale=locale(lang))


def date(lang: str, when: dt.datetime | dt.date, with_time: bool = False) -> str:
    """'20 octobre 2017' / '20 October 2017' (CLDR's long date), optionally with the time as CLDR joins them."""
    loc = locale(lang)
    day = format_date(when, format="long", locale=loc)
    if not with_time:
        return day
    assert isinstance(when, dt.datetime)
    # What babel.dates.format_datetime does, with the long date and the short time (no time zone name).
    pattern = get_datetime_format("long", locale=loc).replace("'", "")
    return pattern.replace("{0}", format_time(when, format="short", locale=loc)).replace("{1}", day)


def direction(lang: str) -> str:
    """'rtl' or 'ltr', from CLDR's character order of the language."""
    return "rtl" if locale(lang).character_order == "right-to-left" else "ltr"
