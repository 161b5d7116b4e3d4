"""A verified program on the real local server (api/serve.py, as `make serve` runs it): a resident of Lyon 2027
presses Vote, confirms residence by email, reading the message in the local outbox, comes back and votes; with
JavaScript and without, in French and English; every page of the journey axe-clean; the same address in a second
browser counts once; nothing of the address stays in the store."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

from tests.never_stored import remember

from .test_accessibility import run_axe, violations_report
from .test_participation import READY, challenge_path

if TYPE_CHECKING:
    from .product import Product

pytest_plugins = ["tests.browser.product"]
pytestmark = pytest.mark.browser

CHALLENGE = "cooler-schoolyards"
WORDS = {
    "fr": {
        "vote": "Voter pour ce défi",
        "verify_title": "Confirmez que vous habitez ici",
        "email": "Votre adresse électronique",
        "send": "M'envoyer un lien et un code",
        "code": "Le code du message (6 chiffres)",
        "confirm": "Confirmer",
        "recorded": "Votre vote est enregistré. Merci !",
        "already": "Vous aviez déjà voté pour ce défi : votre vote compte une fois.",
        "voted": "Vous avez voté pour ce défi.",
    },
    "en": {
        "vote": "Vote for this challenge",
        "verify_title": "Confirm that you live here",
        "email": "Your email address",
        "send": "Send me a link and a code",
        "code": "The code in the message (6 digits)",
        "confirm": "Confirm",
        "recorded": "Your vote is recorded. Thank you!",
        "already": "You had already voted for this challenge: your vote counts once.",
        "voted": "You voted for this challenge.",
    },
}


def axe_clean(page: Page, label: str, js: bool) -> None:
    """axe-core on the page, where scripts run: Playwright cannot evaluate axe in a context without JavaScript
    (it waits for ever), and the journeys with JavaScript check every page those without it see."""
    if not js:
        return
    violations = run_axe(page)
    assert not violations, f"{page.url} ({label})\n" + violations_report(violations)


def open_message(outbox: Page, email: str) -> tuple[str, str]:
    """The newest message to `email` in the local outbox page: (its link, its code)."""
    outbox.goto("/api/outbox")
    message = outbox.locator("article.dc-message", has_text=email).first
    expect(message).to_be_visible()
    text = message.locator("pre").inner_text()
    code = re.search(r":\s*(\d{6})\s*$", text, re.M).group(1)
    return message.locator("pre a").first.get_attribute("href"), code


def press_vote(page: Page, lang: str, js: bool) -> None:
    page.goto(challenge_path(lang, "lyon-2027", CHALLENGE))
    if js:
        page.wait_for_function(READY)
    page.get_by_role("button", name=WORDS[lang]["vote"]).click()


def verify(page: Page, lang: str, email: str, by_code: bool, js: bool) -> Page | None:
    """From the verify page: ask for a message, read it in the outbox (another tab), use its link or its code."""
    words = WORDS[lang]
    expect(page.get_by_role("heading", level=1)).to_have_text(words["verify_title"])
    axe_clean(page, f"verify page, {lang}", js)
    page.get_by_label(words["email"]).fill(remember(email))
    remember(email.strip().lower())  # as the API normalises it: no stored file may hold either (tests/never_stored.py)
    page.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_label(words["code"])).to_be_visible()
    axe_clean(page, f"code page, {lang}", js)
    outbox = page.context.new_page()
    link, code = open_message(outbox, email)
    axe_clean(outbox, f"outbox, {lang}", js)
    if by_code:
        outbox.close()
        page.get_by_label(words["code"]).fill(code)
        page.get_by_role("button", name=words["confirm"]).click()
        return None
    outbox.goto(link)
    axe_clean(outbox, f"link page, {lang}", js)
    outbox.get_by_role("button", name=words["confirm"]).click()
    page.close()
    outbox.bring_to_front()
    return outbox  # the tab the resident goes on in


def vote_count() -> str:
    return "SELECT COUNT(*) FROM votes WHERE challenge = ?"


@pytest.mark.parametrize(
    ("lang", "js", "by_code"), [("fr", True, False), ("en", False, True), ("en", True, True), ("fr", False, False)]
)
def test_a_resident_confirms_by_email_from_the_outbox_and_votes(lyon: Product, browse, lang, js, by_code):
    words = WORDS[lang]
    locale = "fr-FR" if lang == "fr" else "en-GB"
    email = f"Resident.{lang}.{'js' if js else 'nojs'}.{'code' if by_code else 'link'}@Example.org"
    (before,) = lyon.query(vote_count(), CHALLENGE)[0]
    page = browse(lyon, java_script_enabled=js, locale=locale).page()
    press_vote(page, lang, js)
    here = verify(page, lang, email, by_code, js) or page
    # Back on the challenge, at its "Take part" section: the resident votes.
    back = re.escape(challenge_path(lang, "lyon-2027", CHALLENGE)) + "#participate$"
    expect(here).to_have_url(re.compile(back))
    if js:
        here.wait_for_function(READY)
    here.get_by_role("button", name=words["vote"]).click()
    if js:
        expect(here.locator(".dc-live")).to_have_text(words["recorded"])
        expect(here.locator("[data-dc=tally]")).to_contain_text(words["voted"])
    else:
        expect(here.locator("#dc-msg-vote-recorded")).to_be_visible()
    axe_clean(here, f"challenge after voting, {lang}", js)
    # The same address in another browser, the other way (JS or not, link or code): it counts once.
    other = browse(lyon, java_script_enabled=not js, locale=locale).page()
    press_vote(other, lang, not js)
    again = verify(other, lang, "  " + email.upper(), not by_code, not js) or other
    expect(again).to_have_url(re.compile(back))
    if not js:  # the second browser runs the script: it shows the vote, and no Vote button
        again.wait_for_function(READY)
        expect(again.locator("[data-dc=tally]")).to_contain_text(words["voted"])
        expect(again.get_by_role("button", name=words["vote"])).to_be_hidden()
    else:  # a form post: the page says the vote was already counted
        again.get_by_role("button", name=words["vote"]).click()
        expect(again.locator("#dc-msg-vote-already")).to_be_visible()
    (after,) = lyon.query(vote_count(), CHALLENGE)[0]
    assert after == before + 1


def test_no_address_of_the_journey_is_in_the_store(lyon: Product):
    """Run after the journeys (same server): the SQLite file, read whole, holds no address nor part of one."""
    data = b"".join(p.read_bytes() for p in lyon.data_dir.glob("datacity.sqlite3*")).lower()
    assert b"example.org" not in data and b"resident." not in data
