"""What residents tripped over (issue #15): each test here failed on the site as it was before its fix."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

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
