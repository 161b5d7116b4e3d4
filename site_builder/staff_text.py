"""The staff's messages (the validator, the staff commands) in the staff's language, from the `staff` catalogs.

Written in English in the code, marked `S_("...")` (`SP_(one, many)` for a plural) where they are defined, and
translated in `site_builder/locale/<lang>/LC_MESSAGES/staff.po` (`make messages`). The language is chosen as
gettext chooses it: the first of LANGUAGE (a colon-separated list), LC_ALL, LC_MESSAGES and LANG that is set, then
the first of its languages that has a staff catalog; English (the code's language) by default, and for C/POSIX.
Babel compiles the catalog in memory (i18n.translations), as for the site's.

A placeholder's value may itself be a message (`Words`: a field's description, a did-you-mean) or a list
(`Listed`, joined as CLDR joins it in the language): both are translated when the outer message is shown, so a
problem made once can be shown in any language, and the English texts (the JSON Schemas' descriptions) stay as
they are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from babel.lists import format_list

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


@dataclass(frozen=True)
class Words:
    """A staff message used as another's placeholder value (a field's description, a kind's expected value...):
    translated, its own {placeholders} filled in, in the language the outer message is shown in, not when it is
    written. A plural message takes its count from the value `n`."""

    message: str | i18n.Plural
    values: tuple = ()

    def show(self, lang: str | None = None) -> str:
        return show(self.message, lang, **dict(self.values))

    def __str__(self) -> str:
        return self.show()


def words(message: str | i18n.Plural, /, **values: object) -> Words:
    """`Words` with its values given by name."""
    return Words(message, tuple(values.items()))


@dataclass(frozen=True)
class Listed:
    """Items joined as the language joins a list ('a, b et c'; with `style="or"`, 'a, b ou c'), from CLDR."""

    items: tuple
    style: str = "standard"

    def show(self, lang: str | None = None) -> str:
        lang = lang or language()
        items = [shown(item, lang) for item in self.items]
        if not items:
            return ""
        try:
            return format_list(items, self.style, i18n.locale(lang))
        except KeyError:  # a style a locale's CLDR data lacks
            return format_list(items, "standard", i18n.locale(lang))

    def __str__(self) -> str:
        return self.show()


def listed(items, style: str = "standard") -> Listed:
    return Listed(tuple(items), style)


def shown(value: object, lang: str | None = None) -> object:
    """A placeholder's value as shown: `Words` and `Listed` in `lang`, anything else as it is."""
    return value.show(lang) if isinstance(value, Words | Listed) else value


def text(message: str, lang: str | None = None, /, **values: object) -> str:
    """A staff message in the staff's language (or `lang`), its {placeholders} filled in."""
    lang = lang or language()
    translated = i18n.translations(lang, DOMAIN).gettext(message)
    return translated.format(**{k: shown(v, lang) for k, v in values.items()}) if values else translated


def plural(message: i18n.Plural, n: int, lang: str | None = None, /, **values: object) -> str:
    """The plural form CLDR gives `n` in the staff's language."""
    lang = lang or language()
    translated = i18n.translations(lang, DOMAIN).ngettext(message[0], message[1], n)
    return translated.format(n=n, **{k: shown(v, lang) for k, v in values.items()})


def show(message: str | i18n.Plural, lang: str | None = None, /, **values: object) -> str:
    """`text`, or `plural` with the count `n` for a message marked with SP_."""
    if isinstance(message, tuple):
        count = values.pop("n")
        return plural(message, count, lang, **values)  # type: ignore[arg-type]
    return text(message, lang, **values)
