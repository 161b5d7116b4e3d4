"""The built example site: strict build, no third-party requests, working links, catalog, languages."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_builder import languages
from site_builder.load import load_site

from .conftest import REPO, mkdocs_build

SITE_LANGUAGES, _problems = languages.read(REPO)

# Attributes that make a browser fetch something (href on <a> only navigates, so it is checked for existence).
FETCHING = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("img", "srcset"),
}


class Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fetches: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.lang: str | None = None
        self.abbr: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "abbr":
            self.abbr.append(attrs.get("title", ""))
        # Canonical links and language alternates name pages (absolute, from site_url); the browser fetches nothing.
        names_a_page = tag == "link" and attrs.get("rel") in ("alternate", "canonical")
        for name, value in attrs.items():
            if (tag, name) in FETCHING and value and not names_a_page:
                self.fetches.append((tag, value))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "link" and attrs.get("rel") in ("alternate", "canonical"):
            return


def parse(path: Path) -> Refs:
    refs = Refs()
    refs.feed(path.read_text(encoding="utf-8"))
    return refs


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_loads_only_its_own_files(built_site):
    offenders = []
    for page in pages(built_site):
        for tag, url in parse(page).fetches:
            if urlsplit(url).scheme or url.startswith("//"):
                offenders.append(f"{page.relative_to(built_site)}: <{tag}> {url}")
    for css in built_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if re.match(r"^(https?:)?//", url):
                offenders.append(f"{css.relative_to(built_site)}: url({url})")
        if "fonts.googleapis" in css.read_text(encoding="utf-8"):
            offenders.append(f"{css.relative_to(built_site)}: Google Fonts")
    assert offenders == []


def test_internal_links_resolve(built_site):
    broken = []
    for page in pages(built_site):
        refs = parse(page)
        for url in refs.links + [u for _, u in refs.fetches]:
            parts = urlsplit(url)
            # /api/... is served by the API (tests/api), not by the static site.
            if parts.scheme or url.startswith(("#", "//", "mailto:", "/api/")) or not parts.path:
                continue
            base = built_site if parts.path.startswith("/") else page.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(built_site)} -> {url}")
    assert broken == []


def test_html_lang_matches_the_language_folder(built_site):
    for page in pages(built_site):
        rel = page.relative_to(built_site).as_posix()
        folder = rel.split("/")[0]
        if rel == "404.html" or rel == f"{folder}/404.html":
            continue
        expected = folder if folder in SITE_LANGUAGES[1:] else SITE_LANGUAGES[0]
        assert parse(page).lang == expected, rel


def test_the_example_site_is_in_four_languages_each_program_in_its_own(built_site):
    """French at the root, English, Catalan and Spanish under their folders; Barcelona in Catalan and Spanish
    only, the other programs in French and English only (each program's `languages:`)."""
    assert SITE_LANGUAGES == ("fr", "en", "ca", "es")
    for lang in SITE_LANGUAGES[1:]:
        assert (built_site / lang / "index.html").exists() and (built_site / lang / "glossary" / "index.html").exists()
    for lang, prefix in (("ca", "ca/"), ("es", "es/")):
        page = built_site / prefix / "barcelona-2027" / "challenges" / "climate-shelters" / "index.html"
        assert parse(page).lang == lang
        assert (
            not (built_site / prefix / "paris-2017").exists() and not (built_site / prefix / "montreal-2026").exists()
        )
    assert not (built_site / "barcelona-2027").exists() and not (built_site / "en" / "barcelona-2027").exists()
    catalan = (built_site / "ca" / "barcelona-2027" / "challenges" / "climate-shelters" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "Refugis climàtics fàcils de trobar" in catalan and "Votar aquest repte" in catalan
    spanish = (built_site / "es" / "barcelona-2027" / "index.html").read_text(encoding="utf-8")
    assert "DataCity Barcelona 2027" in spanish and "Ver los 3 retos" in spanish
    catalog = json.loads((built_site / "catalog.json").read_text(encoding="utf-8"))
    assert catalog["vocabulary"]["languages"] == ["fr", "en", "ca", "es"]
    programs = {p["id"]: p for p in catalog["programs"]}
    assert programs["barcelona-2027"]["languages"] == ["ca", "es"]
    assert programs["paris-2017"]["languages"] == programs["montreal-2026"]["languages"] == ["fr", "en"]


def test_catalog_lists_exactly_the_published_challenges(built_site):
    catalog = json.loads((built_site / "catalog.json").read_text(encoding="utf-8"))
    site, problems = load_site(REPO)
    assert problems == []
    assert {c["id"] for c in catalog["challenges"]} == {c.id for c in site.published()}
    assert {p["id"] for p in catalog["programs"]} >= {"paris-2017", "montreal-2026"}
    for entry in catalog["challenges"]:
        for lang, url in entry["urls"].items():
            assert (built_site / url / "index.html").exists(), (lang, url)
        assert entry["window"]["opens"] < entry["window"]["closes"]


def test_drafts_are_never_published(built_site):
    site, _ = load_site(REPO)
    drafts = [c.id for c in site.challenges if not c.published]
    assert drafts, "the example content should include a draft"
    everything = "".join(p.read_text(encoding="utf-8") for p in built_site.rglob("*") if p.suffix in (".html", ".json"))
    for draft in drafts:
        assert draft not in everything


def test_glossary_terms_get_tooltips(built_site):
    titles = [t for page in (built_site / "paris-2017" / "challenges").rglob("index.html") for t in parse(page).abbr]
    assert titles, "glossary terms should be explained where they appear"


def test_search_has_an_index_per_language_and_no_page_loads_it(built_site):
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == set(SITE_LANGUAGES)
    assert all(entry["languages"][lang]["page_count"] > 10 for lang in SITE_LANGUAGES)
    assert not (built_site / "search" / "search_index.json").exists(), "Material's whole-site index is back"
    challenge = (built_site / "paris-2017" / "challenges" / "air-quality-sensors" / "index.html").read_text("utf-8")
    listing = (built_site / "paris-2017" / "all" / "index.html").read_text("utf-8")
    assert "data-pagefind-body" in challenge and "data-pagefind-body" not in listing
    # Pagefind comes only when someone searches: no page refers to it but through search.js.
    assert "pagefind.js" not in re.sub(r'data-pagefind="[^"]*"', "", challenge)


def test_language_alternates_and_sitemap_are_absolute(built_site):
    challenge = (built_site / "paris-2017" / "challenges" / "air-quality-sensors" / "index.html").read_text("utf-8")
    alternates = dict(
        (lang, href) for href, lang in re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)"', challenge)
    )
    assert alternates == {
        "fr": "https://consultation.example.org/paris-2017/challenges/air-quality-sensors/",
        "en": "https://consultation.example.org/en/paris-2017/challenges/air-quality-sensors/",
        "x-default": "https://consultation.example.org/paris-2017/challenges/air-quality-sensors/",
    }
    # A page of a program in other languages names only its own: Barcelona's, Catalan (first) and Spanish.
    barcelona = (built_site / "es" / "barcelona-2027" / "index.html").read_text("utf-8")
    assert re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)"', barcelona) == [
        ("https://consultation.example.org/ca/barcelona-2027/", "ca"),
        ("https://consultation.example.org/ca/barcelona-2027/", "x-default"),
        ("https://consultation.example.org/es/barcelona-2027/", "es"),
    ]
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(u.startswith("https://consultation.example.org/") for u in locations), locations[:3]
    for u in locations:
        path = u.removeprefix("https://consultation.example.org/")
        assert (built_site / path / "index.html").is_file(), f"the sitemap lists {u}, which was not built"


def test_the_404_page_speaks_every_language(built_site):
    html = (built_site / "404.html").read_text("utf-8")
    assert '<html lang="fr"' in html
    assert re.search(r'<section class="dc-not-found" lang="en" dir="ltr">.*?<a href="/en/"', html, re.S)
    assert re.search(r'<section class="dc-not-found" lang="fr" dir="ltr">.*?<a href="/"', html, re.S)
    assert "md-select" not in html, "no language menu on a page that is in every language"


def test_the_illustration_declares_its_own_size_and_loads_first(built_site):
    html = (built_site / "paris-2017" / "challenges" / "air-quality-sensors" / "index.html").read_text("utf-8")
    img = re.search(r'<figure class="dc-figure"><img [^>]+>', html).group(0)
    assert 'width="320" height="160"' in img  # the SVG's viewBox
    assert 'loading="lazy"' not in img and 'fetchpriority="high"' in img


def test_pages_stay_small(built_site):
    """No page carries the whole navigation. Results pages also carry their data (a chart and a table each for
    challenges, themes and SDGs), so they grow with the program: 61 KB for Paris 2017's 13 challenges."""
    sizes = {p.relative_to(built_site).as_posix(): p.stat().st_size for p in pages(built_site)}
    assert any(k.endswith("/results/index.html") for k in sizes), "the example has a results page"
    too_big = {k: v for k, v in sizes.items() if v > (100_000 if k.endswith("/results/index.html") else 60_000)}
    assert too_big == {}


def test_invalid_content_is_never_published(fixture_root, tmp_path):
    (fixture_root / "challenges" / "test-city" / "water-leaks.md").write_text(
        (REPO / "tests/fixtures/broken/unknown-theme/challenges/test-city/water-leaks.md").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    site = tmp_path / "out"
    result = mkdocs_build(fixture_root, site)
    assert result.returncode != 0
    assert "water-leaks.md:8: themes[1]: unknown theme 'mobilty'" in result.stderr
    assert not (site / "index.html").exists()


def test_a_new_challenge_file_is_published_on_the_next_build(fixture_root, tmp_path):
    assert mkdocs_build(fixture_root, tmp_path / "one").returncode == 0
    new = fixture_root / "challenges" / "test-city" / "bike-parking.md"
    new.write_text(
        "---\nid: bike-parking\nstatus: open\ntitle: {fr: Garer son vélo, en: Parking a bike}\n"
        "summary: {fr: Trop peu de places., en: Too few spaces.}\nthemes: [mobility]\nsdgs: [11]\n---\n\n"
        "<!-- fr -->\nTexte.\n\n<!-- en -->\nText.\n",
        encoding="utf-8",
    )
    result = mkdocs_build(fixture_root, tmp_path / "two")
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "two" / "test-city" / "challenges" / "bike-parking" / "index.html").exists()
    assert (tmp_path / "two" / "en" / "test-city" / "challenges" / "bike-parking" / "index.html").exists()
    assert not (tmp_path / "one" / "test-city" / "challenges" / "bike-parking").exists()


def test_links_to_anchors_in_generated_html_are_validated(fixture_root, tmp_path):
    """MkDocs' anchor validation still knows the ids inside generated HTML blocks (site_builder/blocks.py)."""
    config = fixture_root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("\nvalidation:\n", "\nvalidation:\n  links:\n    anchors: warn\n"),
        encoding="utf-8",
    )
    challenge = fixture_root / "challenges" / "test-city" / "water-leaks.md"
    good = (
        "Voir [capteur](../../glossary.md#sensor), [participer](quiet-streets.md#participate), "
        "[thèmes](quiet-streets.md#themes) et [les défis](../all/index.md#results).\n"
    )
    text = challenge.read_text(encoding="utf-8").replace("Le texte en français.\n", "Le texte en français.\n\n" + good)
    challenge.write_text(text, encoding="utf-8")
    result = mkdocs_build(fixture_root, tmp_path / "ok")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "does not contain an anchor" not in result.stderr

    challenge.write_text(text.replace("#sensor", "#no-such-term"), encoding="utf-8")
    result = mkdocs_build(fixture_root, tmp_path / "broken")
    assert result.returncode != 0
    assert "does not contain an anchor '#no-such-term'" in result.stderr


def test_the_build_refuses_in_the_staff_s_language(fixture_root, tmp_path, monkeypatch):
    """The strict build's refusal line speaks the staff's language, like the validator (CLDR plural)."""
    (fixture_root / "challenges" / "test-city" / "broken.md").write_text("---\nid: broken\n---\n", encoding="utf-8")
    monkeypatch.setenv("LANGUAGE", "fr")
    french = mkdocs_build(fixture_root, tmp_path / "fr")
    assert french.returncode != 0
    assert re.search(r"\d+ problèmes dans le contenu ; rien n'a été publié :", french.stderr), french.stderr[-2000:]
    monkeypatch.setenv("LANGUAGE", "en")
    english = mkdocs_build(fixture_root, tmp_path / "en")
    assert re.search(r"\d+ problems in the content; nothing was published:", english.stderr), english.stderr[-2000:]
