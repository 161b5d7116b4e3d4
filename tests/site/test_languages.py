"""Any set of languages: a site in French only, and a program published in some of the site's languages."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from site_builder.cli import main
from site_builder.load import load_site

from .conftest import FIXTURES, REPO, mkdocs_build

LANGUAGES_BLOCK = re.compile(r"^      languages:\n(?:        .*\n)+", re.M)


def with_languages(root: Path, entries: str) -> None:
    """The repository's mkdocs.yml and theme in `root`, with the i18n plugin's languages replaced."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert LANGUAGES_BLOCK.search(text), "mkdocs.yml's languages block moved: update this test"
    (root / "mkdocs.yml").write_text(LANGUAGES_BLOCK.sub("      languages:\n" + entries, text), encoding="utf-8")
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / ".build" / "docs").mkdir(parents=True)


def test_a_site_in_one_language_validates_and_builds_without_any_english(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "one-language", root)
    with_languages(root, "        - locale: fr\n          name: Français\n          default: true\n")
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    built = mkdocs_build(root, site)
    assert built.returncode == 0, built.stderr[-4000:]
    assert not (site / "en").exists()
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 5
    english = re.compile(r"\b(challenges?|Home|Search|Consultation open|Partners|Glossary|votes? for)\b")
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert re.search(r'<html lang="fr"', html), page
        assert 'hreflang="en"' not in html and 'lang="en"' not in html, page
        # Only the page's visible text: class names and URLs are English words by design.
        text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
        assert not english.search(text), (page, english.search(text).group(0))
    page = (site / "villeneuve" / "challenges" / "jardins-partages" / "index.html").read_text(encoding="utf-8")
    assert "Des jardins partagés" in page and "31 décembre 2026" in page  # CLDR's long date
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    assert catalog["vocabulary"]["languages"] == ["fr"]
    assert catalog["programs"][0]["urls"] == {"fr": "villeneuve/"}
    assert catalog["vocabulary"]["themes"]["nature"] == {"fr": "Nature en ville"}


def test_a_program_in_some_of_the_sites_languages(tmp_path):
    """A French-only program on a French and English site: its pages in French, listed on the English home."""
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "valid", root)
    shutil.copytree(FIXTURES / "one-language" / "challenges" / "villeneuve", root / "challenges" / "villeneuve")
    with_languages(
        root,
        "        - locale: fr\n          name: Français\n          default: true\n"
        "        - locale: en\n          name: English\n",
    )
    site_model, problems = load_site(root)
    assert problems == []
    assert site_model.programs["villeneuve"].languages == ["fr"]
    site = tmp_path / "site"
    built = mkdocs_build(root, site)
    assert built.returncode == 0, built.stderr[-4000:]
    assert (site / "villeneuve" / "index.html").exists()
    assert not (site / "en" / "villeneuve").exists()
    home = (site / "en" / "index.html").read_text(encoding="utf-8")
    # Listed in English, shown in its own language and marked so (WCAG 3.1.2), linked to its French pages.
    assert re.search(r'<h3 class="dc-card__title" lang="fr" dir="ltr"><a hreflang="fr" href="[./]*villeneuve/"', home)
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    program = next(p for p in catalog["programs"] if p["id"] == "villeneuve")
    assert program["languages"] == ["fr"] and set(program["urls"]) == {"fr"}


def test_the_validator_names_an_unknown_site_language_at_its_line(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "one-language", root)
    with_languages(
        root, "        - locale: fr\n          name: Français\n          default: true\n        - locale: xx\n"
    )
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    line = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index("        - locale: xx") + 1
    assert (
        f"mkdocs.yml:{line}: plugins.i18n.languages[1].locale: 'xx' is not a language mkdocs-material" in result.output
    )


def test_the_validator_refuses_a_language_whose_catalog_is_incomplete(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "one-language", root)
    with_languages(
        root, "        - locale: fr\n          name: Français\n          default: true\n        - locale: de\n"
    )
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    assert "plugins.i18n.languages[1].locale: the interface is not translated into 'de'" in result.output
    assert "make messages LANGUAGE=de" in result.output
