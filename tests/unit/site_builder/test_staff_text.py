"""The staff's messages (validator, staff commands): staff.pot is what the code uses, French translates all of it,
and the language is the environment's, as gettext chooses it."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from click.testing import CliRunner

from site_builder import i18n, sources, staff_text
from site_builder.cli import main
from site_builder.load import load_site
from staff import workshop
from staff.catalog import Catalog
from tests import ROOT as REPO

from .test_validation_corpus import CASES, overlay

KEYWORDS = {"S_": None, "SP_": (1, 2)}
# Click's own words, marked in its source for the standard library's gettext (site_builder/staff_click.py).
CLICK = (Path(click.__file__).parent, {"_": None, "ngettext": (1, 2)})
TEMPLATE = i18n.LOCALE_DIR / "staff.pot"


def ids(path) -> set:
    with path.open("rb") as f:
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(f) if m.id}


def extracted(folder: Path, keywords: dict = KEYWORDS) -> set:
    return {
        message if isinstance(message, str) else tuple(message)
        for _f, _l, message, _c, _x in extract_from_dir(folder, method_map=[("**.py", "python")], keywords=keywords)
    }


def test_the_template_has_every_message_the_code_and_click_use():
    used = extracted(REPO / "site_builder") | extracted(REPO / "staff") | extracted(*CLICK)
    assert used == ids(TEMPLATE), "run: make messages"


def test_no_staff_command_message_makes_its_plural_by_hand():
    by_hand = sorted(str(m) for m in extracted(REPO / "staff") if "(s)" in (m if isinstance(m, str) else " ".join(m)))
    assert by_hand == [], "write SP_(one, many) and plural(): CLDR picks the form"


def translated(path) -> set:
    with path.open("rb") as f:
        return {
            m.id if isinstance(m.id, str) else tuple(m.id)
            for m in read_po(f)
            if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else (m.string,))
        }


def test_french_translates_every_staff_message():
    done = translated(i18n.catalog_path("fr", staff_text.DOMAIN))
    assert ids(TEMPLATE) - done == set(), "translate site_builder/locale/fr/LC_MESSAGES/staff.po"


def shown_messages(problem) -> list:
    """Every staff message a problem shows: its text, its fix, and those inside its values (a field's description,
    a kind's expected value, a did-you-mean, a list's items)."""
    found = [problem.message] + ([problem.fix] if problem.fix else [])

    def inside(value):
        if isinstance(value, staff_text.Words):
            found.append(value.message)
            for _name, item in value.values:
                inside(item)
        elif isinstance(value, staff_text.Listed):
            for item in value.items:
                inside(item)

    for _name, value in problem.values:
        inside(value)
    return found


@pytest.mark.parametrize("case", CASES)
def test_no_broken_fixture_is_reported_in_english_to_french_staff(case, tmp_path):
    root = overlay(case, tmp_path)
    _site, problems = load_site(root)
    assert problems
    french = translated(i18n.catalog_path("fr", staff_text.DOMAIN))
    for problem in problems:
        for message in shown_messages(problem):
            key = message if isinstance(message, str) else tuple(message)
            assert key in french, f"{problem.format(root, 'en')}: {message!r} is not a translated staff message"
        english, fr = problem.format(root, "en"), problem.format(root, "fr")
        # The path:line: field: part is the same in every language (the pull-request annotations read it).
        prefix = f"{problem.path.relative_to(root).as_posix()}:{problem.line}: " + (
            f"{problem.field}: " if problem.field else ""
        )
        assert english.startswith(prefix) and fr.startswith(prefix), (english, fr)
        assert problem.words("fr")[0] != problem.words("en")[0], fr
        assert not problem.fix or problem.words("fr")[1] != problem.words("en")[1], fr


def test_no_message_counts_with_a_hand_made_plural():
    """A count is an SP_/NP_ message, whose form CLDR picks: never 'problem(s)', in the code or a translation."""
    keywords = {"S_": None, "SP_": (1, 2), "N_": None, "NP_": (1, 2)}
    used = list(extracted(REPO / "site_builder", keywords))
    for template in ("site.pot", "staff.pot"):
        used += ids(i18n.LOCALE_DIR / template)
    hand_made = re.compile(r"\w\((s|es|e)\)")
    assert [m for m in used if any(hand_made.search(one) for one in ((m,) if isinstance(m, str) else m))] == []
    catalogs = [i18n.catalog_path(lang) for lang in ("fr", "ca", "es", "ar")]
    catalogs.append(i18n.catalog_path("fr", staff_text.DOMAIN))
    for path in catalogs:
        with path.open("rb") as f:
            strings = [s for m in read_po(f) for s in ((m.string,) if isinstance(m.string, str) else m.string)]
        assert [s for s in strings if hand_made.search(s) or "/es " in s] == [], path


def test_lists_and_plurals_follow_the_language(tmp_path, monkeypatch):
    root = overlay("unknown-participation", tmp_path)
    _site, problems = load_site(root)
    (problem,) = [p for p in problems if p.field == "participation[1]"]
    assert problem.words("en")[1] == "use one of: email or oidc"
    assert problem.words("fr")[1] == "utilisez l'une de ces valeurs : email ou oidc"
    monkeypatch.setenv("LANGUAGE", "fr")
    result = CliRunner().invoke(main, ["validate", "--root", str(REPO / "tests" / "fixtures" / "valid")])
    assert "OK : 1 programme, 2 défis publiés, 1 brouillon." in result.output, result.output


def test_the_language_is_chosen_as_gettext_does():
    assert staff_text.language({}) == "en"
    assert staff_text.language({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert staff_text.language({"LANG": "C.UTF-8"}) == "en"
    # LANGUAGE comes first and is a list: the first with a catalog wins.
    assert staff_text.language({"LANGUAGE": "de:fr", "LANG": "en_GB.UTF-8"}) == "fr"
    assert staff_text.language({"LC_ALL": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}) == "en"
    assert staff_text.language({"LANGUAGE": "", "LC_ALL": "", "LANG": "fr_BE.UTF-8"}) == "fr"


def test_the_validator_speaks_french_keeping_path_line_field(tmp_path, monkeypatch):
    root = overlay("missing-translation", tmp_path)
    monkeypatch.setenv("LANGUAGE", "fr")
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    assert (
        "challenges/test-city/water-leaks.md:4: title: traduction « en » manquante; "
        "ajoutez une ligne « en: ... » sous « title »"
    ) in result.output
    assert "1 problème trouvé ; rien ne peut être publié tant qu'il n'est pas corrigé." in result.output
    monkeypatch.setenv("LANGUAGE", "en")
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert "title: missing translation 'en'; add a line 'en: ...' under 'title'" in result.output
    assert "1 problem found; nothing can be published until it is fixed." in result.output


def test_the_loader_speaks_french_with_its_suggestion(tmp_path, monkeypatch):
    root = overlay("link-to-missing-page", tmp_path)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    monkeypatch.delenv("LANGUAGE")
    output = CliRunner().invoke(main, ["validate", "--root", str(root)]).output
    assert (
        "water-leaks.md:9: links[0].page: il n'y a pas de page « privcy » (vouliez-vous dire « privacy » ?)" in output
    )
    assert "; utilisez le nom de fichier d'une page de content/fr/ sans .md" in output


def test_staff_commands_and_source_parsing_speak_french(tmp_path, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "fr")
    refused = CliRunner().invoke(
        main, ["staff-token", "create", "-p", "Paris 2017", "--name", "Alice", "--data-dir", str(tmp_path)]
    )
    assert refused.exit_code == 1
    assert "« Paris 2017 » n'est pas un identifiant de programme (minuscules, chiffres et tirets)" in refused.output, (
        refused.output
    )
    assert not (tmp_path / "staff_tokens.json").exists()
    _markdown, problems = sources.parse_markdown("no front matter\n", tmp_path / "page.md")
    assert [p.format(tmp_path) for p in problems] == [
        "page.md:1: le fichier ne commence pas par un en-tête (front matter); "
        "commencez-le par une ligne « --- », les champs, puis une autre ligne « --- »"
    ]
    _doc, problems = sources.parse_yaml("a: 1\na: 2\n", tmp_path / "program.yml")
    assert [p.format(tmp_path) for p in problems] == [
        "program.yml:2: a: ce champ apparaît deux fois; n'en gardez qu'un"
    ]
    empty = workshop.check_file(b"", "p", Catalog({"programs": [], "challenges": []}))
    assert [p.format("w.csv") for p in empty.problems] == [
        "w.csv:1: le fichier est vide; exportez la feuille en CSV avec la ligne d'en-tête : "
        + ",".join(workshop.COLUMNS)
    ]
    monkeypatch.setenv("LANGUAGE", "en")
    assert [p.format(tmp_path) for p in problems] == ["program.yml:2: a: this field appears twice; keep one of them"]
    assert empty.problems[0].format("w.csv").startswith("w.csv:1: the file is empty; export the sheet as CSV")
