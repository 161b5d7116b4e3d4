"""The RGAA accessibility statement, built from content/site.yml and the recorded checks, has every part the law
asks for, in every language (issue #15)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from site_builder.i18n import date
from site_builder.load import load_site
from site_builder.pages.accessibility import DEFENSEUR, STATUS_LEGAL, status
from tests import ROOT

from .accessibility_record import RECORD, WIDTHS
from .pages import MATRIX, SITE_LANGUAGES, url

pytestmark = pytest.mark.browser

HEADINGS = {
    "fr": (
        "État de conformité",
        "Établissement de cette déclaration",
        "Contenus non accessibles",
        "Non-conformités",
        "Dérogations pour charge disproportionnée",
        "Retour d'information et contact",
        "Voies de recours",
        "Schéma pluriannuel",
        "Plan d'action",
    ),
    "en": (
        "Compliance status",
        "Making of this statement",
        "Non-accessible content",
        "Non-conformities",
        "Derogations for disproportionate burden",
        "Feedback and contact",
        "Recourse",
        "Multi-year plan",
        "Action plan",
    ),
    "ca": (
        "Estat de conformitat",
        "Elaboració d'aquesta declaració",
        "Continguts no accessibles",
        "No conformitats",
        "Excepcions per càrrega desproporcionada",
        "Comentaris i contacte",
        "Recursos",
        "Pla plurianual",
        "Pla d'acció",
    ),
    "es": (
        "Estado de conformidad",
        "Elaboración de esta declaración",
        "Contenidos no accesibles",
        "No conformidades",
        "Excepciones por carga desproporcionada",
        "Comentarios y contacto",
        "Recursos",
        "Plan plurianual",
        "Plan de acción",
    ),
}


@pytest.fixture(scope="module")
def site():
    found, problems = load_site(ROOT)
    assert problems == []
    return found


@pytest.mark.parametrize("lang", SITE_LANGUAGES)
def test_the_statement_has_every_part_in_every_language(page, lang, site):
    page.goto(url(lang, "/accessibility/"))
    statement = page.locator("article")
    # French typography puts no-break spaces before « : ; and after «: compare words, not spaces.
    body = " ".join(statement.inner_text().replace("\u202f", " ").replace("\xa0", " ").split())
    headings = statement.locator("h2, h3").all_inner_texts()
    # Its parts are in the page's table of contents.
    toc = page.locator("nav.md-nav--secondary").first.inner_text()
    for heading in (HEADINGS[lang][0], HEADINGS[lang][5], HEADINGS[lang][6]):
        assert heading in toc, f"{lang}: “{heading}” is not in the table of contents"
    for heading in HEADINGS[lang]:
        assert any(h.startswith(heading) for h in headings), f"{lang}: no “{heading}” in {headings}"
    # The status, in its legal wording, as the audit and the checks allow: the other two are not claimed.
    level = status(site.accessibility, site.checks)
    claim = statement.locator(".dc-statement__status").inner_text()
    assert STATUS_LEGAL[level] in claim
    others = [w for k, w in STATUS_LEGAL.items() if k != level and w not in STATUS_LEGAL[level]]
    assert not [w for w in others if w in claim], claim
    # The date is the checks' date; the tools and every page they checked are named.
    assert " ".join(date(lang, dt.date.fromisoformat(site.checks["date"])).split()) in body
    for tool in site.checks["tools"]:
        assert f"{tool['name']} {tool['version']}" in body
    for checked in site.checks["pages"]:
        assert checked["path"] in body
    for item in site.accessibility["non_conformities"][lang] + site.accessibility["derogations"][lang]:
        assert " ".join(item.split()) in body
    # Contact and recourse.
    mail = statement.locator(f"a[href='mailto:{site.contact['accessibility']}']")
    assert mail.count() == 1
    assert "Défenseur des droits" in body
    for means in (DEFENSEUR["form"], DEFENSEUR["delegates"], DEFENSEUR["phone"], DEFENSEUR["address"]):
        assert " ".join(means.split()) in body
    # The plan and this year's actions.
    assert site.accessibility["plan"]["period"] in body and str(site.accessibility["actions"]["year"]) in body
    for step in site.accessibility["plan"]["steps"][lang] + site.accessibility["actions"]["items"][lang]:
        assert step in body, step


def test_the_recorded_checks_cover_every_page_axe_checks_with_the_axe_in_use():
    """The statement cannot describe checks older than the site's: the record names the pages and the axe-core
    the suite runs today (rerun `python -m tests.browser.accessibility_record` when either changes)."""
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    expected = {(url(lang, path), width) for lang, _kind, path in MATRIX for width in WIDTHS}
    assert {(p["path"], p["width"]) for p in record["pages"]} == expected
    axe = {t["name"]: t["version"] for t in record["tools"]}["axe-core"]
    assert Axe().axe_script.startswith(f"/*! axe v{axe}\n"), "the record is from another axe-core: record again"
    assert record["violations"] == sum(v["nodes"] for p in record["pages"] for v in p["violations"])
