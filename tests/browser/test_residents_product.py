"""What residents tripped over (issue #15), against the site and the API together (product.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from .test_participation import READY, TEXT, challenge_path

if TYPE_CHECKING:
    from .product import Product

pytest_plugins = ["tests.browser.product"]
pytestmark = pytest.mark.browser

CLOSED_SENTENCE = {"fr": "close", "en": "closed"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_closed_challenge_invites_no_vote_and_says_closed_once(montreal: Product, browse, lang):
    """On the Montréal-day build Paris 2017 is closed: no "not voted yet", one sentence saying it is closed."""
    page = browse(montreal).page()
    page.goto(challenge_path(lang, "paris-2017", "air-quality-sensors"))
    page.wait_for_function(READY)
    section = page.locator("section.dc-participate")
    expect(section.locator("[data-dc=tally]")).not_to_contain_text(TEXT[lang]["not_voted"])
    expect(section.locator("form")).to_have_count(0)
    sentences = page.locator("article p:not(.dc-status)").filter(has_text=CLOSED_SENTENCE[lang]).all_inner_texts()
    assert len(sentences) == 1, f"closed said {len(sentences)} times: {sentences}"
