"""`datacity preview` names the address of every language of the site, in the language's own name."""

from __future__ import annotations

import re
from pathlib import Path

from staff.preview import banner
from tests import ROOT as REPO

ADDRESS = "http://127.0.0.1:8001/"
LANGUAGES_BLOCK = re.compile(r"^      languages:\n(?:        .*\n)+", re.M)


def site_in(root: Path, entries: str) -> Path:
    """The repository's mkdocs.yml in `root`, with the i18n plugin's languages replaced."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert LANGUAGES_BLOCK.search(text), "mkdocs.yml's languages block moved: update this test"
    root.mkdir(exist_ok=True)
    (root / "mkdocs.yml").write_text(LANGUAGES_BLOCK.sub("      languages:\n" + entries, text), encoding="utf-8")
    return root


def test_the_repository_s_four_languages_each_with_its_address_and_own_name(monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en")
    lines = banner(REPO, ADDRESS).splitlines()
    assert lines[:5] == [
        "Preview of the site, in its 4 languages:",
        "  http://127.0.0.1:8001/ (Français)",
        "  http://127.0.0.1:8001/en/ (English)",
        "  http://127.0.0.1:8001/ca/ (Català)",
        "  http://127.0.0.1:8001/es/ (Español)",
    ]
    assert lines[5].startswith("Each time you save a file in content/")
    monkeypatch.setenv("LANGUAGE", "fr")
    assert banner(REPO, ADDRESS).splitlines()[0] == "Aperçu du site, dans ses 4 langues :"


def test_one_language_is_at_the_root_with_no_english_one_named(tmp_path, monkeypatch):
    root = site_in(tmp_path / "site", "        - locale: fr\n          name: Français\n          default: true\n")
    monkeypatch.setenv("LANGUAGE", "fr")
    text = banner(root, ADDRESS)
    assert text.splitlines()[:2] == ["Aperçu du site, dans sa langue :", "  http://127.0.0.1:8001/ (Français)"]
    assert "/en/" not in text and "English" not in text and "anglais" not in text
    assert "À chaque enregistrement d'un fichier de content/" in text


def test_the_default_language_is_at_the_root_whatever_its_place(tmp_path, monkeypatch):
    root = site_in(
        tmp_path / "site",
        "        - locale: es\n          name: Español\n        - locale: ca\n          name: Català\n"
        "          default: true\n",
    )
    monkeypatch.setenv("LANGUAGE", "en")
    assert banner(root, ADDRESS).splitlines()[:3] == [
        "Preview of the site, in its 2 languages:",
        "  http://127.0.0.1:8001/ (Català)",
        "  http://127.0.0.1:8001/es/ (Español)",
    ]


def test_a_site_whose_languages_cannot_be_read_still_gets_its_address(tmp_path, monkeypatch):
    root = tmp_path / "site"
    root.mkdir()
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    monkeypatch.setenv("LANGUAGE", "en")
    assert banner(root, ADDRESS).splitlines()[0] == "Preview of the site: http://127.0.0.1:8001/"
