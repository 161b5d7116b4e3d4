"""Windows, URLs, generation and the catalog, on the small valid fixture."""

from __future__ import annotations

import datetime as dt
import json
import re

from site_builder import urls
from site_builder.blocks import inline
from site_builder.catalog import build_catalog
from site_builder.content_schema import json_schemas
from site_builder.generate import generate, navigation
from site_builder.load import load_site
from site_builder.model import Window
from site_builder.output import sync_tree
from site_builder.pages.glossary import abbreviations
from tests import FIXTURES, ROOT

FIXTURE = FIXTURES / "valid"
REPO = ROOT
NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


def text(tree: dict[str, bytes], path: str) -> str:
    """A generated page with its HTML blocks back in place (site_builder/blocks.py)."""
    return inline(tree[path].decode())


def test_closing_date_includes_the_whole_day_in_local_time():
    window = Window.from_fields(dt.date(2017, 10, 20), dt.date(2017, 11, 6), "Europe/Paris")
    assert window.opens.isoformat() == "2017-10-20T00:00:00+02:00"
    assert window.closes.isoformat() == "2017-11-07T00:00:00+01:00"  # daylight saving ended on 29 October
    assert window.state(dt.datetime(2017, 11, 6, 22, 59, tzinfo=dt.UTC)) == "open"
    assert window.state(dt.datetime(2017, 11, 6, 23, 0, tzinfo=dt.UTC)) == "closed"
    assert window.state(dt.datetime(2017, 10, 19, 21, 59, tzinfo=dt.UTC)) == "upcoming"


def test_a_window_with_times_is_exact():
    window = Window.from_fields(dt.datetime(2026, 1, 1, 9, 30), dt.datetime(2026, 1, 2, 18, 0), "America/Toronto")
    assert window.opens.isoformat() == "2026-01-01T09:30:00-05:00"
    assert window.closes.isoformat() == "2026-01-02T18:00:00-05:00"


def test_urls_put_the_default_language_at_the_root(monkeypatch):
    # The default language is the site's, set by load_site: set here, so the test does not depend on one run before.
    monkeypatch.setattr(urls, "_default", "fr")
    assert urls.url_of("fr/index.md") == ""
    assert urls.url_of("en/index.md") == "en/"
    assert urls.url_of(urls.challenge_page("en", "p", "c")) == "en/p/challenges/c/"
    assert urls.url_of(urls.listing("fr", "p", "theme", "water", 2)) == "p/theme/water/2/"
    assert urls.relative("fr/p/challenges/c.md", "p/all/") == "../../all/"
    assert urls.relative("en/index.md", "en/p/") == "p/"
    assert urls.relative("fr/index.md", "") == "./"


def test_generation_skips_drafts_and_covers_both_languages():
    site, problems = load_site(FIXTURE)
    assert problems == []
    tree = generate(site, NOW)
    for lang in ("fr", "en"):
        assert f"{lang}/test-city/challenges/water-leaks.md" in tree
        assert f"{lang}/test-city/theme/water/index.md" in tree
        assert f"{lang}/test-city/sdg/6/index.md" in tree
        assert f"{lang}/test-city/status/selected/index.md" in tree
        assert f"{lang}/glossary.md" in tree
    assert not any("secret-draft" in path for path in tree)
    assert not any(b"secret-draft" in data for data in tree.values())
    assert "assets/challenges/test-city/drop.svg" in tree
    assert b"<!-- programs -->" not in tree["fr/index.md"]
    assert b"Programme de test" in tree["fr/index.md"]
    assert navigation(site, "fr") == ["index.md", "test-city/index.md", "glossary.md", "privacy.md"]


def test_generated_text_is_escaped():
    site, _ = load_site(FIXTURE)
    challenge = site.challenge("water-leaks")
    challenge.title["fr"] = "<script>alert(1)</script> & *co*"
    challenge.summary["fr"] = '"><img src=x onerror=alert(1)>'
    tree = generate(site, NOW)
    page = text(tree, "fr/test-city/challenges/water-leaks.md")
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    listing = text(tree, "fr/test-city/all/index.md")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *co*" in listing


def test_listings_paginate(monkeypatch):
    monkeypatch.setattr(urls, "PAGE_SIZE", 1)
    site, _ = load_site(FIXTURE)
    tree = generate(site, NOW)
    assert "fr/test-city/all/2.md" in tree
    assert 'aria-current="page">Page 1<' in text(tree, "fr/test-city/all/index.md")
    assert 'href="2/"' in text(tree, "fr/test-city/all/index.md")


def test_a_program_offering_oidc_ships_its_provider_in_the_catalog_and_never_a_secret(tmp_path):
    import shutil

    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    program_file = root / "challenges" / "test-city" / "program.yml"
    program_file.write_text(
        program_file.read_text(encoding="utf-8")
        + "participation: [email, oidc]\noidc:\n  issuer: https://auth.example.org/api/v2\n"
        "  client_id: datacity-test-city\n  name: FranceConnect\n",
        encoding="utf-8",
    )
    site, problems = load_site(root)
    assert problems == []
    program = build_catalog(site)["programs"][0]
    assert program["participation"] == ["email", "oidc"]
    assert program["oidc"] == {
        "issuer": "https://auth.example.org/api/v2",
        "client_id": "datacity-test-city",
        "name": "FranceConnect",
    }
    # Without oidc, the catalog says nothing of a provider.
    assert "oidc" not in build_catalog(load_site(FIXTURE)[0])["programs"][0]


def test_catalog_lists_published_challenges_with_absolute_windows():
    site, _ = load_site(FIXTURE)
    catalog = build_catalog(site)
    assert [c["id"] for c in catalog["challenges"]] == ["quiet-streets", "water-leaks"]
    leaks = catalog["challenges"][1]
    assert leaks["program"] == "test-city"
    assert leaks["window"] == {
        "opens": "2026-11-01T00:00:00+01:00",
        "closes": "2027-01-01T00:00:00+01:00",
        "timezone": "Europe/Paris",
    }
    assert leaks["urls"] == {"fr": "test-city/challenges/water-leaks/", "en": "en/test-city/challenges/water-leaks/"}
    program = catalog["programs"][0]
    assert program["propose_urls"] == {"fr": "test-city/propose/", "en": "en/test-city/propose/"}
    assert (program["moderation"], program["tallies"]) == ("pre", "after-close")
    json.dumps(catalog)


def test_abbreviations_cover_terms_and_aliases():
    site, _ = load_site(FIXTURE)
    glossary = abbreviations(site.glossary, "en")
    assert glossary["sensor"] == glossary["sensors"] == "A small device that measures something."


def test_sync_tree_writes_only_changes_and_prunes(tmp_path):
    assert sync_tree(tmp_path, {"a/b.md": b"1", "c.md": b"2"}) == 2
    before = (tmp_path / "a/b.md").stat().st_mtime_ns
    assert sync_tree(tmp_path, {"a/b.md": b"1"}) == 0
    assert (tmp_path / "a/b.md").stat().st_mtime_ns == before
    assert not (tmp_path / "c.md").exists()


def test_published_json_schemas_are_up_to_date():
    for name, text in json_schemas().items():
        assert (REPO / "schemas" / name).read_text(encoding="utf-8") == text, f"run: datacity schema ({name})"


def test_french_spacing_keeps_punctuation_with_its_word():
    from site_builder.typography import french_spacing

    assert french_spacing("Pourquoi ? Voici : « oui » !") == "Pourquoi\u202f? Voici\u202f: «\u202foui\u202f»\u202f!"
    assert french_spacing("https://example.org a:b [x]: y") == "https://example.org a:b [x]: y"


def test_the_console_files_are_shipped_under_names_that_change_with_their_content(tmp_path):
    from site_builder.catalog import console_assets

    (tmp_path / "assets/stylesheets").mkdir(parents=True)
    (tmp_path / "assets/javascripts").mkdir(parents=True)
    (tmp_path / "assets/stylesheets/console.css").write_text("body{color:red}")
    (tmp_path / "assets/javascripts/console.js").write_text("1;")
    found = console_assets(tmp_path)
    assert set(found) == {"stylesheet", "script"}
    assert (tmp_path / found["stylesheet"]).read_text() == "body{color:red}"
    (tmp_path / "assets/stylesheets/console.css").write_text("body{color:blue}")
    assert console_assets(tmp_path)["stylesheet"] != found["stylesheet"]
    assert console_assets(tmp_path)["script"] == found["script"]
    assert not (tmp_path / found["stylesheet"]).exists(), "the older version is removed"
    assert (tmp_path / "assets/stylesheets/console.css").exists()


def test_the_api_pages_stylesheet_is_the_sites_stylesheets_in_one_file_named_like_the_console_files(tmp_path):
    from site_builder.catalog import pages_stylesheet

    assert pages_stylesheet(tmp_path, []) is None  # no theme built: the API pages keep their inline style
    (tmp_path / "assets/stylesheets").mkdir(parents=True)
    (tmp_path / "assets/stylesheets/main.0123abcd.min.css").write_text("a{}")
    (tmp_path / "ours.css").write_text("b{}")
    found = pages_stylesheet(tmp_path, ["ours.css"])
    assert re.fullmatch(r"assets/stylesheets/pages\.[0-9a-f]{12}\.css", found), found
    assert (tmp_path / found).read_text() == "a{}\nb{}"
    assert (tmp_path / "assets/stylesheets/main.0123abcd.min.css").exists()
