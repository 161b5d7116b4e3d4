"""The interface's message catalogs: site.pot is what the code uses, every site language translates all of it."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from site_builder import i18n
from site_builder import languages as site_languages
from tests import ROOT as REPO

KEYWORDS = {"N_": None, "NP_": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def used_by_the_code() -> set:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        REPO / "site_builder", method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_the_template_has_every_message_the_code_uses():
    assert used_by_the_code() == set(site_languages.template_messages()), "run: make messages"


def test_every_site_language_translates_every_message():
    languages, problems = site_languages.read(REPO)
    assert problems == [] and languages
    for lang in languages:
        assert site_languages.missing_messages(lang) == [], f"{lang}: run make messages, then translate"


def test_a_missing_translation_is_found(tmp_path):
    source = i18n.catalog_path("fr")
    catalog = read_po(source.open("rb"))
    dropped = next(m for m in catalog if m.id == "Home")
    dropped.string = ""
    target = i18n.catalog_path("fr", folder=tmp_path)
    target.parent.mkdir(parents=True)
    write_po(target.open("wb"), catalog)
    assert site_languages.missing_messages("fr", folder=tmp_path) == ["Home"]
    assert len(site_languages.missing_messages("de", folder=tmp_path)) == len(site_languages.template_messages())


def test_translations_keep_the_placeholders():
    for path in sorted(i18n.LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        for message in read_po(path.open("rb")):
            if not message.id:
                continue
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            expected = set(PLACEHOLDER.findall(ids[-1]))
            for text in strings:
                assert set(PLACEHOLDER.findall(text)) <= expected | set(PLACEHOLDER.findall(ids[0])), (path, message.id)


def test_plurals_follow_cldr():
    assert i18n.count("fr", 0) == "0 défi"  # French counts 0 as one
    assert i18n.count("fr", 1) == "1 défi"
    assert i18n.count("fr", 2) == "2 défis"
    assert i18n.count("en", 0) == "0 challenges"
    assert i18n.count("en", 1) == "1 challenge"
    assert i18n.count("fr", 1234) == "1\u202f234 défis"
    assert i18n.count("en", 1234) == "1,234 challenges"


def test_dates_from_cldr():
    when = dt.datetime(2017, 10, 20, 14, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    assert i18n.date("fr", when) == "20 octobre 2017"
    assert i18n.date("en", when) == "20 October 2017"
    assert i18n.date("fr", when, with_time=True) == "20 octobre 2017, 14:30"  # CLDR's own joining
    assert i18n.date("en", when, with_time=True) == "20 October 2017, 14:30"
    assert i18n.date("ca", when) == "20 d’octubre del 2017"
    assert i18n.direction("ar") == "rtl" and i18n.direction("fr") == "ltr"


def test_the_scripts_get_every_plural_form_of_the_language():
    """participate.js and search.js choose with Intl.PluralRules, so they get one form per CLDR category."""
    vote = ("{n} vote", "{n} votes")
    assert i18n.plural_forms("fr", vote) == {"one": "{n} vote", "many": "{n} votes", "other": "{n} votes"}
    assert set(i18n.plural_forms("en", vote)) == {"one", "other"}
    assert set(i18n.plural_forms("ar", vote)) == {"zero", "one", "two", "few", "many", "other"}
