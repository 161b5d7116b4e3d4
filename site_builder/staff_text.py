"""The staff's messages (the validator, the staff commands) in the staff's language, from the `staff` catalogs.

Written in English in the code, marked `S_("...")` (`SP_(one, many)` for a plural) where they are defined, and
translated in `site_builder/locale/<lang>/LC_MESSAGES/staff.po` (`make messages`). The language is chosen as
gettext chooses it: the first of LANGUAGE (a colon-separated list), LC_ALL, LC_MESSAGES and LANG that is set, then
the first of its languages that has a staff catalog; English (the code's language) by default, and for C/POSIX.
Babel compiles the catalog in memory (i18n.translations), as for the site's.
"""

from __future__ import annotations

import os

from . import i18n

DOMAIN = "staff"
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def S_(message: str) -> str:
    """Marks a staff message for extraction; translated where it is shown (`text`)."""
    return message


def SP_(singular: str, plural: str) -> i18n.Plural:
    """Marks a staff message with a plural form for extraction; shown with `plural`."""
    return (singular, plural)


def language(environ: dict[str, str] | None = None) -> str:
    """The staff's language from the environment, as gettext reads it ('fr_FR.UTF-8' gives 'fr')."""
    environ = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        value = environ.get(name)
        if not value:
            continue
        for wanted in value.split(":"):
            code = wanted.split(".")[0].split("@")[0]
            if code in ("C", "POSIX"):
                return i18n.SOURCE_LANGUAGE
            for candidate in (code.replace("_", "-"), code.split("_")[0]):
                if candidate == i18n.SOURCE_LANGUAGE or i18n.catalog_path(candidate, DOMAIN).exists():
                    return candidate
        return i18n.SOURCE_LANGUAGE
    return i18n.SOURCE_LANGUAGE


def text(message: str, lang: str | None = None, /, **values: object) -> str:
    """A staff message in the staff's language (or `lang`), its {placeholders} filled in."""
    translated = i18n.translations(lang or language(), DOMAIN).gettext(message)
    return translated.format(**values) if values else translated


def plural(message: i18n.Plural, n: int, lang: str | None = None, /, **values: object) -> str:
    """The plural form CLDR gives `n` in the staff's language."""
    lang = lang or language()
    translated = i18n.translations(lang, DOMAIN).ngettext(message[0], message[1], n)
    return translated.format(n=n, **values)
