"""The API's own words (problem details, no-JS pages) from gettext catalogs, plurals and numbers from CLDR (Babel).

Messages are English in the code, marked `N_("...")` or `NP_("one", "many")` where they are defined, and translated
in `chalicelib/locale/<lang>/LC_MESSAGES/api.po` (inside chalicelib/ because Chalice packages only app.py and
chalicelib/). `make messages` extracts them. A catalog is compiled by Babel in memory the first time a container
needs it, so no compiled file is committed or forgotten at packaging. English, the code's language, needs none.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

DOMAIN = "api"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
SOURCE_LANGUAGE = "en"

Plural = tuple[str, str]


def N_(message: str) -> str:
    """Marks a message for extraction; translated where it is shown (`text`)."""
    return message


def NP_(singular: str, plural: str) -> Plural:
    """Marks a message with a plural form for extraction; shown with `plural`."""
    return (singular, plural)


def catalog_path(lang: str, folder: Path = LOCALE_DIR) -> Path:
    return folder / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(lang: str) -> NullTranslations:
    """The language's compiled catalog, or none (English, or a language with no API catalog yet)."""
    path = catalog_path(lang)
    if not path.exists():
        return NullTranslations()
    with path.open("rb") as f:
        catalog = read_po(f)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@functools.cache
def _locale(lang: str) -> Locale | None:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (ValueError, LookupError, UnknownLocaleError):
        return None


def direction(lang: str) -> str:
    """'rtl' or 'ltr': CLDR's character order of the language (the value of a page's `dir`)."""
    where = _locale(lang)
    return "rtl" if where is not None and where.character_order == "right-to-left" else "ltr"


def number(lang: str, n: int) -> str:
    """`n` as the language writes it ('1 234' in French), from CLDR."""
    where = _locale(lang)
    return format_decimal(n, locale=where) if where else str(n)


def text(lang: str, message: str, **values: object) -> str:
    """A message marked with N_, in `lang`, with its {placeholders} filled in."""
    translated = translations(lang).gettext(message)
    return translated.format(**values) if values else translated


def plural(lang: str, message: Plural, n: int, **values: object) -> str:
    """The form CLDR's plural rules give `n` in `lang` (the catalog's Plural-Forms); `{n}` written as `lang` does."""
    translated = translations(lang).ngettext(message[0], message[1], n)
    return translated.format(n=number(lang, n), **values)


class Texts:
    """A page's table of messages (key -> N_ message) read in one language: `Texts(lang, TEXT)["key"]`."""

    def __init__(self, lang: str, table: dict[str, str]):
        self.lang, self.table = lang, table

    def __getitem__(self, key: str) -> str:
        return text(self.lang, self.table[key])
