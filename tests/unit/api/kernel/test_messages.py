"""The API's catalogs: api.pot is what the code uses, every site language translates all of it, plurals are CLDR's."""

from __future__ import annotations

import ast
from html import unescape

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from chalicelib.kernel import messages
from chalicelib.kernel.errors import ApiError, preferred_language
from chalicelib.moderation.pages import moderation_page
from site_builder import languages as site_languages
from tests import ROOT as REPO

KEYWORDS = {"N_": None, "NP_": (1, 2)}
TEMPLATE = messages.LOCALE_DIR / "api.pot"


def ids(path) -> set:
    with path.open("rb") as f:
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(f) if m.id}


def missing(path) -> list:
    """Messages of api.pot that the catalog at `path` does not translate (fuzzy counts as missing)."""
    with path.open("rb") as f:
        done = {
            m.id if isinstance(m.id, str) else tuple(m.id)
            for m in read_po(f)
            if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else (m.string,))
        }
    return sorted(map(str, ids(TEMPLATE) - done))


def test_the_template_has_every_message_the_code_uses():
    used = {
        message if isinstance(message, str) else tuple(message)
        for _f, _l, message, _c, _x in extract_from_dir(
            REPO / "api" / "chalicelib", method_map=[("**.py", "python")], keywords=KEYWORDS
        )
    }
    assert used == ids(TEMPLATE), "run: make messages"


def test_every_site_language_has_a_complete_api_catalog():
    languages, problems = site_languages.read(REPO)
    assert problems == [] and languages
    for lang in languages:
        if lang != messages.SOURCE_LANGUAGE:
            path = messages.catalog_path(lang)
            assert path.exists() and missing(path) == [], f"{lang}: run make messages, then translate api.po"


def test_a_missing_translation_is_found(tmp_path):
    with messages.catalog_path("fr").open("rb") as f:
        catalog = read_po(f)
    next(m for m in catalog if m.id == "Not found").string = ""
    target = tmp_path / "api.po"
    with target.open("wb") as f:
        write_po(f, catalog)
    assert missing(target) == ["Not found"]


def test_problems_in_the_asked_language():
    error = ApiError("not-found", messages.N_("This program does not exist."))
    assert error.body("fr")["detail"] == "Ce programme n'existe pas."
    assert error.body("fr")["title"] == "Introuvable"
    assert error.body("en")["detail"] == "This program does not exist."
    assert error.body("ca")["detail"] == "Aquest programa no existeix." and error.body("es")["title"] == "No encontrado"
    # A language with no API catalog yet (the Arabic test fixture's) reads the code's English rather than failing.
    assert error.body("ar")["title"] == "Not found"


def test_the_language_is_any_of_the_sites():
    assert preferred_language("ca-ES,ca;q=0.9,en;q=0.5", ("fr", "ca", "en")) == "ca"
    assert preferred_language("de-DE, en;q=0.3", ("fr", "en")) == "en"
    assert preferred_language("de-DE", ("fr", "en")) == "fr"
    assert preferred_language("en;q=0, fr;q=0.1", ("nl", "fr", "en")) == "fr"
    assert preferred_language(None, ("ca", "es")) == "ca"


class Labels:
    moderation_reasons = {"spam": {"fr": "Publicité", "en": "Spam"}}
    hidden_by_reports = "reports"

    def record_label(self, category, lang):
        return self.moderation_reasons[category][lang]


def test_the_moderation_record_counts_with_cldr_plurals():
    record = {
        "moderation": {"published": 3, "pending": 0, "hidden": {}, "rejected": {}},
        "proposals": {"received": 2, "approved": 1, "rejected": 1, "pending": 0},
    }
    fr = unescape(moderation_page("fr", "Lyon", record, "/", Labels()))
    assert "2 reçues, 1 retenue, 1 non retenue, 0 en cours d'examen" in fr
    en = moderation_page("en", "Lyon", record, "/", Labels())
    assert "2 received, 1 accepted, 1 not accepted, 0 being reviewed" in en
    record["proposals"] = {"received": 1234, "approved": 0, "rejected": 0, "pending": 1234}
    assert "1\u202f234 reçues, 0 retenue" in moderation_page("fr", "Lyon", record, "/", Labels())


def test_values_that_are_messages_or_dates_follow_the_answer():
    import datetime as dt

    from chalicelib.kernel.catalog import Window
    from chalicelib.kernel.windows import require_open
    from chalicelib.moderation.rules import comment_transition

    window = Window(dt.datetime(2027, 9, 1, tzinfo=dt.UTC), dt.datetime(2027, 10, 1, tzinfo=dt.UTC))
    with pytest.raises(ApiError) as closed:
        require_open(window, dt.datetime(2027, 11, 1, tzinfo=dt.UTC), messages.N_("The consultation"))
    error = closed.value
    assert (
        error.detail["fr"]
        == "La consultation est close depuis le 30 septembre 2027 (elle avait ouvert le 1 septembre 2027)."
    )
    assert error.detail["en"] == "The consultation closed on 30 September 2027 (it opened on 1 September 2027)."
    try:
        comment_transition("hidden", 0, "approve")
    except ApiError as error:
        assert (
            error.detail["fr"] == "Impossible de faire « approve » : le commentaire est actuellement masqué (hidden)."
        )


def test_the_console_names_a_status_in_words():
    from chalicelib.console.pages import comment_article

    item = {"id": "a" * 16, "status": "pending", "created_at": "2027-09-02T10:00:00Z", "text": "Bonjour"}
    article = comment_article("fr", "csrf", item, Labels(), {}, "pending")
    assert "en attente" in article


def test_the_api_s_pages_read_in_their_language_s_direction():
    """An HTML page of the API says its direction (CLDR's), so a right-to-left language's page reads mirrored."""
    from chalicelib.web.pages import page

    assert messages.direction("ar") == "rtl" and messages.direction("he") == "rtl"
    assert messages.direction("fr") == "ltr" and messages.direction("xx") == "ltr"
    assert page("ar", "T", "<p>x</p>").startswith('<!doctype html><html lang="ar" dir="rtl">')
    assert page("fr", "T", "<p>x</p>").startswith('<!doctype html><html lang="fr" dir="ltr">')


def test_no_hand_made_plural_and_no_pair_of_texts():
    """A count takes CLDR's form (NP_), never "(s)"; a problem is one English message, never a French/English pair."""
    assert [m for m in map(str, ids(TEMPLATE)) if "(s)" in m] == []
    paired = []
    for path in sorted((REPO / "api" / "chalicelib").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None))
            if called == "ApiError" and (len(node.args) > 2 or any(isinstance(a, ast.Starred) for a in node.args)):
                paired.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert paired == [], "ApiError(kind, message): one English message marked N_/NP_, values= for its placeholders"
    with pytest.raises(TypeError):
        ApiError("conflict", messages.N_("Conflict"), "Conflit")  # type: ignore[misc]


def test_a_count_in_a_problem_takes_the_languages_plural_form():
    few = ApiError("conflict", messages.NP_("{n} row", "{n} rows"), values={"n": 1})
    many = ApiError("conflict", messages.NP_("{n} row", "{n} rows"), values={"n": 1234})
    assert (few.detail["en"], many.detail["en"]) == ("1 row", "1,234 rows")
    problems = ApiError("conflict", messages.N_("Conflict"), extra={"list": [{"message": few.detail}]})
    assert problems.body("en")["list"] == [{"message": "1 row"}]
