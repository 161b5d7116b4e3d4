"""What residents tripped over (issue #15): each test here failed on the site as it was before its fix."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from site_builder.load import load_site
from tests import ROOT

from .conftest import PHONE
from .pages import LANGUAGES, url

pytestmark = pytest.mark.browser

PROGRAMS = ("paris-2017", "montreal-2026", "lyon-2027")
STATUS_HEADING = {"fr": "Par statut", "en": "By status"}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("program", PROGRAMS)
def test_status_filters_use_the_words_of_the_badges(page, lang, program):
    """A filter "Ouvert (10)" must not list ten cards badged "Consultation close": one word per state."""
    page.goto(url(lang, f"/{program}/all/"))
    group = page.locator(".dc-filters__group").filter(has=page.get_by_role("heading", name=STATUS_HEADING[lang]))
    links = group.get_by_role("link")
    filters = [(links.nth(i).inner_text(), links.nth(i).evaluate("a => a.href")) for i in range(links.count())]
    assert filters, f"{program}: no status filter"
    for text, href in filters:
        word, count = re.fullmatch(r"(.+) \((\d+)\)", text).groups()
        page.goto(href)
        badges = page.locator(".dc-cards .dc-badge").all_inner_texts()
        assert badges, f"{program} {word}: no card"
        assert set(badges) == {word}, f"{program}: filter “{word}” lists cards badged {sorted(set(badges))}"
        assert page.locator(".dc-results-count").inner_text().split()[0] == count
    # The challenge page says the same word as its card.
    page.goto(url(lang, f"/{program}/all/"))
    card = page.locator(".dc-card").first
    word = card.locator(".dc-badge").inner_text()
    page.goto(card.get_by_role("link").first.evaluate("a => a.href"))
    assert page.locator(".dc-status .dc-badge").inner_text() == word


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_closed_challenge_leads_to_its_results(page, lang):
    """Paris 2017 has exported results: its closed challenges link to them from where one would have voted."""
    page.goto(url(lang, "/paris-2017/challenges/air-quality-sensors/"))
    link = page.locator("section.dc-participate .dc-see-results a")
    expect(link).to_have_count(1)
    response = page.goto(link.evaluate("a => a.href"))
    assert response is not None and response.ok
    assert page.url.endswith(url(lang, "/paris-2017/results/"))
    # An open challenge has nothing to show yet.
    page.goto(url(lang, "/montreal-2026/challenges/icy-sidewalks-seniors/"))
    expect(page.locator(".dc-see-results")).to_have_count(0)


CUT = """el => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_header_title_is_not_cut_on_a_phone(new_context, lang):
    page = new_context(viewport=PHONE).new_page()
    for path in ("/", "/paris-2017/", "/montreal-2026/challenges/icy-sidewalks-seniors/"):
        page.goto(url(lang, path))
        title = page.locator(".md-header__title .md-header__topic").first.locator(".md-ellipsis")
        assert not title.evaluate(CUT), f"{url(lang, path)}: the site's name is cut to {title.inner_text()!r}"
        size = float(title.evaluate("el => getComputedStyle(el).fontSize").removesuffix("px"))
        assert size >= 16, f"the site's name is {size} px"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_propose_is_offered_only_while_the_consultation_is_not_closed_and_apart_on_a_phone(new_context, lang):
    page = new_context(viewport=PHONE).new_page()
    propose = {"fr": "Proposer un défi", "en": "Propose a challenge"}[lang]
    page.goto(url(lang, "/paris-2017/"))  # closed on the pinned day
    expect(page.get_by_role("link", name=propose)).to_have_count(0)
    for program in ("/montreal-2026/", "/lyon-2027/"):  # open, upcoming
        page.goto(url(lang, program))
        button = page.get_by_role("link", name=propose)
        expect(button).to_have_count(1)
        other = page.locator(".dc-actions .md-button--primary")
        a, b = other.bounding_box(), button.bounding_box()
        apart = max(b["y"] - (a["y"] + a["height"]), b["x"] - (a["x"] + a["width"]))
        assert apart >= 8, f"{program}: the buttons are {apart:.0f} px apart"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_glossary_definitions_are_readable_on_a_phone_and_reached_by_keyboard(new_context, lang):
    page = new_context(viewport=PHONE).new_page()
    page.goto(url(lang, "/paris-2017/challenges/air-quality-sensors/"))
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.dc-term abbr')"):
            break
    else:
        pytest.fail("no glossary term reached with Tab")
    term = page.locator(".dc-term:focus-within")
    tip = term.locator(".dc-term__tip")
    expect(tip).to_be_visible()
    assert tip.inner_text().strip(), "an empty definition"
    size = float(tip.evaluate("el => getComputedStyle(el).fontSize").removesuffix("px"))
    assert size >= 16, f"the definition is {size} px"
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"the definition runs off the screen: {box}"
    described = page.evaluate("document.getElementById(document.activeElement.getAttribute('aria-describedby'))")
    assert described is not None, "the term is not described by its definition"
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()


CONTACT_PAGES = {"fr": ("privacy", "partners", "accessibility"), "en": ("privacy", "partners", "accessibility")}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_contact_pages_give_the_declared_addresses_and_no_placeholder(page, lang, site_dir):
    """`…@datacity.example` led nowhere: the pages give content/site.yml's and program.yml's contacts as links."""
    site, _ = load_site(ROOT)
    expected = {
        "privacy": {site.contact["privacy"]}
        | {p.contact["privacy"] for p in site.programs.values() if "privacy" in p.contact},
        "partners": {p.contact["email"] for p in site.programs.values()},
        "accessibility": {site.contact["accessibility"]},
    }
    for name in CONTACT_PAGES[lang]:
        page.goto(url(lang, f"/{name}/"))
        assert "datacity.example" not in page.content()
        links = page.locator("article a[href^='mailto:']")
        shown = {links.nth(i).inner_text() for i in range(links.count())}
        assert expected[name] <= shown, f"{name}: {shown}"
        for i in range(links.count()):
            assert links.nth(i).get_attribute("href") == "mailto:" + links.nth(i).inner_text()
    # No built page anywhere carries the placeholder domain.
    stale = [p for p in site_dir.rglob("*.html") if "datacity.example" in p.read_text(encoding="utf-8")]
    assert stale == []
