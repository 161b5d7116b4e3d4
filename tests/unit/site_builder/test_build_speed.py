"""What keeps the build fast without changing what it builds: catalogs looked up once per build, Pagefind given
only the pages it indexes (docs/benchmarks.md, "Site build")."""

from __future__ import annotations

import json
import os

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from site_builder import i18n
from site_builder.mkdocs_plugin import index_for_search


def write_catalog(folder, text: str) -> None:
    catalog = Catalog(locale="fr", domain="site")
    catalog.add("Home", text)
    path = i18n.catalog_path("fr", "site", folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog)


def test_a_catalog_is_read_once_until_reload(tmp_path):
    write_catalog(tmp_path, "Accueil")
    assert i18n.translations("fr", "site", tmp_path).gettext("Home") == "Accueil"
    path = i18n.catalog_path("fr", "site", tmp_path)
    before = path.stat().st_mtime
    write_catalog(tmp_path, "Page d'accueil")
    os.utime(path, (before + 10, before + 10))  # a later time than the file system's clock may have given
    # Within one build the catalog stays what it was (no stat per message)...
    assert i18n.translations("fr", "site", tmp_path).gettext("Home") == "Accueil"
    # ... and the next build (the plugin's on_config reloads) reads the edited file.
    i18n.reload()
    assert i18n.translations("fr", "site", tmp_path).gettext("Home") == "Page d'accueil"


def test_what_is_derived_from_the_catalogs_follows_a_reload(tmp_path):
    calls = []

    @i18n.per_catalog
    def derived(lang: str) -> str:
        calls.append(lang)
        return lang.upper()

    assert derived("fr") == derived("fr") == "FR" and calls == ["fr"]
    i18n.reload()
    assert derived("fr") == "FR" and calls == ["fr", "fr"]
    forms = i18n.plural_forms("fr", i18n.COUNT)
    forms["one"] = "changed by a caller"
    assert i18n.plural_forms("fr", i18n.COUNT)["one"] != "changed by a caller"


def page(lang: str, body: str) -> str:
    return f'<!doctype html><html lang="{lang}"><head><title>{body}</title></head><body>{body}</body></html>'


def indexed(site) -> dict[str, int]:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return {lang: found["page_count"] for lang, found in entry["languages"].items()}


def test_pagefind_indexes_the_marked_pages_only_and_leaves_the_site_as_it_was(tmp_path):
    site = tmp_path / "site"
    pages = {
        "index.html": page("fr", "<main data-pagefind-body><p>Bienvenue</p></main>"),
        "lyon/challenges/a/index.html": page("fr", "<main DATA-PAGEFIND-BODY><p>Capteurs de bruit</p></main>"),
        "lyon/all/index.html": page("fr", "<main><p>Liste des défis</p></main>"),
    }
    for rel, text in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    index_for_search(site)
    assert indexed(site) == {"fr": 2}
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")) == sorted(pages)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # the folder given to Pagefind is gone


def test_without_any_marked_page_pagefind_indexes_every_page(tmp_path):
    site = tmp_path / "site"
    for rel in ("index.html", "about/index.html"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(page("fr", "<main><p>Bonjour</p></main>"), encoding="utf-8")
    index_for_search(site)
    assert indexed(site) == {"fr": 2}
