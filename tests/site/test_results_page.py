"""The results page built from an exported results file: same numbers as the JSON, sorted, summed, downloadable."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_builder import urls
from site_builder.catalog import build_catalog
from site_builder.generate import generate, navigation
from site_builder.i18n import gettext
from site_builder.load import load_site
from site_builder.vocabulary import SDGS, THEMES

from .conftest import FIXTURES, REPO, mkdocs_build

RESULTS = FIXTURES / "results"
DATA = json.loads((RESULTS / "results" / "test-city" / "results.json").read_text(encoding="utf-8"))
NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
TITLES = {
    "quiet-streets": "Des rues plus calmes",
    "school-streets": "Rendre les abords des écoles plus sûrs pour les enfants qui viennent à pied ou à vélo",
    "shade-trees": "Plus d'ombre sur les places l'été",
    "water-leaks": "Trouver les fuites d'eau",
}


def results_root(dest: Path) -> Path:
    """tests/fixtures/valid (the repository's configuration in French and English) with the results overlay."""
    shutil.copytree(FIXTURES / "valid", dest)
    shutil.copytree(RESULTS, dest, dirs_exist_ok=True)
    shutil.copytree(REPO / "overrides", dest / "overrides")
    (dest / ".build" / "docs").mkdir(parents=True)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = results_root(tmp_path_factory.mktemp("results") / "root")
    site = root.parent / "site"
    result = mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr[-4000:]
    return site


class Tables(HTMLParser):
    """Every table of a page as {caption id: rows of cell texts}, and every link."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self.svgs: list[dict] = []
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = []
        elif tag == "caption" and self._table is not None:
            self.tables[attrs["id"]] = self._table
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "svg" and attrs.get("role") == "img":
            self.svgs.append(attrs)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._table[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page(site: Path, lang: str) -> tuple[str, Tables]:
    path = site / ("" if lang == "fr" else "en") / "test-city" / "results" / "index.html"
    html = path.read_text(encoding="utf-8")
    tables = Tables()
    tables.feed(html)
    return html, tables


def n(cell: str) -> int:
    """'1 259' (narrow no-break space) or '1,259' -> 1259."""
    return int(re.sub(r"[\s\u202f\u00a0,]", "", cell))


def body_rows(table: list[list[str]]) -> list[list[str]]:
    return [row for row in table[1:] if row]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_table_has_the_numbers_of_the_file_sorted_by_votes(built, lang):
    _, parsed = page(built, lang)
    rows = body_rows(parsed.tables["table-challenges"])
    *challenges, total = rows
    by_title = {title: cid for cid, title in TITLES.items()}
    expected = sorted(DATA["challenges"], key=lambda c: -c["votes_total"])
    assert [row[0] for row in challenges] == ["1", "2", "3", "4"]
    if lang == "fr":
        assert [by_title[row[1]] for row in challenges] == [c["id"] for c in expected]
    for row, entry in zip(challenges, expected, strict=True):
        assert [n(cell) for cell in row[2:]] == [
            *(entry["votes"][ch] for ch in DATA["channels"]),
            entry["votes_total"],
            entry["comments"],
        ]
    assert [n(cell) for cell in total[2:]] == [
        *(sum(c["votes"][ch] for c in DATA["challenges"]) for ch in DATA["channels"]),
        sum(c["votes_total"] for c in DATA["challenges"]),
        sum(c["comments"] for c in DATA["challenges"]),
    ]
    totals = [n(row[-2]) for row in challenges]
    assert totals == sorted(totals, reverse=True)


@pytest.mark.parametrize(("facet", "caption"), [("theme", "table-themes"), ("sdg", "table-sdgs")])
def test_theme_and_sdg_sums(built, facet, caption):
    site, _ = load_site(results_root(built.parent / f"again-{facet}"))
    _, parsed = page(built, "fr")
    rows = body_rows(parsed.tables[caption])
    tallies = {c["id"]: c for c in DATA["challenges"]}
    expected = {}
    for challenge in site.published("test-city"):
        for value in challenge.themes if facet == "theme" else challenge.sdgs:
            label = gettext("fr", THEMES[value]) if facet == "theme" else f"ODD {value} · {gettext('fr', SDGS[value])}"
            entry = expected.setdefault(label, [0, 0, 0])
            entry[0] += 1
            entry[1] += tallies[challenge.id]["votes_total"]
            entry[2] += tallies[challenge.id]["comments"]
    shown = {row[0]: [n(row[1]), n(row[-2]), n(row[-1])] for row in rows}
    assert shown == expected
    totals = [n(row[-2]) for row in rows]
    assert totals == sorted(totals, reverse=True)
    if facet == "theme":
        assert shown["Santé"] == [2, 137 + 1259, 9 + 17]


def test_moderation_counts_and_no_comment_text(built):
    html, parsed = page(built, "fr")
    rows = {row[0]: [n(row[1]), n(row[2])] for row in body_rows(parsed.tables["table-moderation"])}
    assert rows == {
        "Publicité ou messages répétés (spam)": [2, 0],
        "Insultes, propos haineux ou harcèlement": [0, 3],
        "Informations personnelles (adresse, téléphone…)": [1, 0],
        "Sans rapport avec le défi": [0, 1],
    }
    for comment in DATA["comments"]:
        assert comment["text"] not in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_downloads_are_linked_and_served_from_the_site(built, lang):
    _, parsed = page(built, lang)
    here = built / ("" if lang == "fr" else "en") / "test-city" / "results"
    files = ["results.json", "results.csv", "comments.csv", "datapackage.json"]
    linked = [link for link in parsed.links if link.rsplit("/", 1)[-1] in files]
    assert len(linked) == len(files)
    for link in linked:
        assert not link.startswith(("http:", "https:", "//")), link
        target = (here / link).resolve()
        assert target.parent == (built / "test-city" / "results").resolve()
        assert target.read_bytes() == (RESULTS / "results" / "test-city" / target.name).read_bytes()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_charts_are_named_images_with_a_bar_per_row(built, lang):
    html, parsed = page(built, lang)
    assert len(parsed.svgs) == 3
    for svg in parsed.svgs:
        title = re.search(rf'<title id="{svg["aria-labelledby"]}">([^<]+)</title>', html)
        assert title and ("tableau" in title.group(1) if lang == "fr" else "table" in title.group(1))
    chart = html.split('id="chart-challenges-title"', 1)[1].split("</svg>", 1)[0]
    values = re.findall(r'class="dc-chart__value"[^>]*>([^<]+)<', chart)
    assert [n(v) for v in values] == [1259, 162, 137, 46]
    assert "Rendre les abords des écoles plus sûrs" in chart if lang == "fr" else "Making the streets" in chart


def test_final_note_licence_and_links_from_the_program(built):
    html, _ = page(built, "fr")
    assert "Résultats définitifs" in html
    assert "établis le 2 novembre 2026, 09:00" in html  # CLDR's long date and short time, as CLDR joins them
    assert "Licence Ouverte / Open Licence 2.0" in html and "https://www.etalab.gouv.fr/licence-ouverte" in html
    for lang, prefix in (("fr", ""), ("en", "en/")):
        home = (built / prefix / "test-city" / "index.html").read_text(encoding="utf-8")
        assert 'href="results/"' in home, lang
        # The rest of the home page is intact, with the results before the partners.
        assert '<nav class="dc-breadcrumb"' in home and home.index('id="results"') < home.index('id="partners"'), lang
        # The navigation of every page lists the results page next to the program.
        index = (built / prefix / "index.html").read_text(encoding="utf-8")
        assert re.search(r'href="[^"]*test-city/results/"', index), lang
    en, _ = page(built, "en")
    assert "Final results" in en and "compiled on 2 November 2026, 09:00" in en


def test_catalog_carries_themes_and_sdgs(built):
    catalog = json.loads((built / "catalog.json").read_text(encoding="utf-8"))
    entry = next(c for c in catalog["challenges"] if c["id"] == "school-streets")
    assert entry["themes"] == ["mobility", "public-space", "health"] and entry["sdgs"] == [3, 11]


def test_no_results_file_no_results_page():
    site, problems = load_site(FIXTURES / "valid")
    assert problems == []
    tree = generate(site, NOW)
    assert not [path for path in tree if "results" in path]
    assert "test-city/results.md" not in navigation(site, "fr")
    assert all("themes" in c and "sdgs" in c for c in build_catalog(site)["challenges"])


def test_vote_log_files_are_offered_when_present(tmp_path):
    root = results_root(tmp_path / "root")
    folder = root / "results" / "test-city"
    (folder / "vote-log.csv").write_text("challenge,channel,entry\n", encoding="utf-8")
    (folder / "vote-log.json").write_text('{"format": "datacity-vote-log/1"}\n', encoding="utf-8")
    site, problems = load_site(root)
    assert problems == []
    tree = generate(site, NOW)
    assert tree[urls.results_file("test-city", "vote-log.csv")] == b"challenge,channel,entry\n"
    page_fr = tree[urls.results_page("fr", "test-city")].decode()
    page_en = tree[urls.results_page("en", "test-city")].decode()
    assert 'href="vote-log.csv"' in page_fr and 'href="vote-log.json"' in page_fr
    assert 'href="../../../test-city/results/vote-log.csv"' in page_en


def test_provisional_results_say_so(tmp_path):
    root = results_root(tmp_path / "root")
    program = root / "challenges" / "test-city" / "program.yml"
    program.write_text(program.read_text().replace("tallies: after-close", "tallies: live"), encoding="utf-8")
    path = root / "results" / "test-city" / "results.json"
    path.write_text(path.read_text().replace('"final": true', '"final": false'), encoding="utf-8")
    site, problems = load_site(root)
    assert problems == []
    tree = generate(site, NOW)
    assert "Résultats provisoires" in tree[urls.results_page("fr", "test-city")].decode()
    assert "Provisional results are published" in tree[urls.program_home("en", "test-city")].decode()


def test_a_bad_results_file_stops_the_build(tmp_path):
    root = results_root(tmp_path / "root")
    path = root / "results" / "test-city" / "results.json"
    path.write_text(path.read_text().replace('"votes_total": 137', '"votes_total": 130'), encoding="utf-8")
    result = mkdocs_build(root, tmp_path / "out")
    assert result.returncode != 0
    assert "challenges[0].votes_total: 130 is not the sum of the votes by channel (137)" in result.stderr
    assert not (tmp_path / "out" / "index.html").exists()
