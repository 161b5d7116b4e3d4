"""Taking part in real Chromium, against the site and the API on one origin (see product.py).

Each test uses its own challenge so that the session's shared store never mixes their votes and comments.
Every test also checks that no page asked anything of another origin (`browse` fails the test otherwise, and
the tests assert it explicitly once their pages have talked to the API).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from .product import Product, Watched

pytest_plugins = ["tests.browser.product"]
pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "participation"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Expected texts (site_builder/pages/participation.py): the tests read like what a citizen sees.
TEXT = {
    "fr": {
        "voted": "Vous avez voté pour ce défi.",
        "not_voted": "Vous n'avez pas encore voté pour ce défi.",
        "vote-recorded": "Votre vote est enregistré. Merci !",
        "vote-withdrawn": "Votre vote a été retiré.",
        "comment-published": "Merci ! Votre commentaire est publié.",
        "comment-pending": "Merci ! Votre commentaire apparaîtra après relecture par l'équipe.",
        "report-received": "Merci, votre signalement a été transmis à l'équipe de modération.",
        "proposal-received": "Merci ! Votre proposition a été transmise à l'équipe du programme.",
        "hidden": "Le nombre de votes sera publié à la fin de la consultation.",
        "no_comments": "Aucun commentaire publié pour l'instant.",
        "send": "Publier le commentaire",
        "read_comments": "Lire les commentaires et le nombre de votes",
    },
    "en": {
        "voted": "You voted for this challenge.",
        "not_voted": "You have not voted for this challenge yet.",
        "vote-recorded": "Your vote is recorded. Thank you!",
        "vote-withdrawn": "Your vote was withdrawn.",
        "comment-published": "Thank you! Your comment is published.",
        "comment-pending": "Thank you! Your comment will appear after the team has reviewed it.",
        "report-received": "Thank you, your report was sent to the moderation team.",
        "proposal-received": "Thank you! Your proposal was sent to the program's team.",
        "hidden": "The number of votes will be published when the consultation closes.",
        "no_comments": "No comments published yet.",
        "send": "Publish the comment",
        "read_comments": "Read the comments and the number of votes",
    },
}

# The script has loaded the tally (if any) and the first page of comments (if any).
READY = """() => {
  const s = document.querySelector('.dc-participate');
  if (!s || !s.getAttribute('data-dc-ready')) return false;
  const tally = s.querySelector('[data-dc=tally]');
  const list = s.querySelector('[data-dc=comments]');
  return (!tally || tally.textContent.trim() !== '') && (!list || !!list.querySelector('.dc-comment, .dc-empty'));
}"""


def challenge_path(lang: str, program: str, challenge: str) -> str:
    return ("" if lang == "fr" else f"/{lang}") + f"/{program}/challenges/{challenge}/"


def open_challenge(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    page.wait_for_function(READY)


def shot(page: Page, name: str, full_page: bool = False) -> None:
    """A screenshot of the participation section (or the whole page) into screenshots/participation/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    clip = None
    page.evaluate("() => window.scrollTo(0, 0)")  # else the sticky header is drawn where the page was scrolled
    if not full_page:
        # Clipped from a full-page capture: an element capture scrolls, and the sticky header would cover it.
        clip = page.evaluate(
            """() => {
              const s = document.querySelector('section.dc-participate');
              if (!s) return null;
              const r = s.getBoundingClientRect();
              return {x: r.x + scrollX - 8, y: r.y + scrollY - 8, width: r.width + 16, height: r.height + 16};
            }"""
        )
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, clip=clip, animations="disabled")


def api_tally(watched: Watched, challenge: str) -> dict:
    """The tally as the API gives it to this browser context (with its cookie)."""
    response = watched.context.request.get(f"/api/challenges/{challenge}/tally")
    assert response.ok, response.status
    return response.json()


def assert_same_origin(watched: Watched, expect_api: bool = True) -> None:
    assert watched.requests, "no request recorded"
    assert not watched.foreign(), "requests to other origins:\n" + "\n".join(watched.foreign())
    if expect_api:
        assert watched.api_requests(), "the page never called the API on its own origin"


def test_a_vote_counts_once_can_be_withdrawn_and_each_person_counts(paris: Product, browse):
    challenge = "air-quality-sensors"
    path = challenge_path("fr", "paris-2017", challenge)
    tally_sel, live_sel = "[data-dc=tally]", ".dc-live"
    first = browse(paris)
    page = first.page()
    open_challenge(page, path)
    vote, withdraw = page.locator("[data-dc=vote-button]"), page.locator("[data-dc=withdraw-button]")
    expect(page.locator(tally_sel)).to_have_text(re.compile(r"^0 votes? " + re.escape(TEXT["fr"]["not_voted"])))
    expect(withdraw).to_be_hidden()

    vote.click()
    expect(page.locator(live_sel)).to_have_text(TEXT["fr"]["vote-recorded"])
    expect(page.locator(tally_sel)).to_have_text(f"1 vote {TEXT['fr']['voted']}")
    shot(page, "js-after-vote-fr")

    page.reload()
    page.wait_for_function(READY)
    expect(page.locator(tally_sel)).to_have_text(f"1 vote {TEXT['fr']['voted']}")
    expect(vote).to_be_hidden()
    expect(withdraw).to_be_visible()
    # The same person voting again (another tab, a double submit) is still one vote.
    # (A script's request, as the page's would be: the browser names the origin; the API refuses one that does not.)
    again = first.context.request.put(f"/api/challenges/{challenge}/vote", headers={"Origin": paris.origin})
    assert again.ok and again.json()["count"] == 1, again.text()
    assert api_tally(first, challenge)["count"] == 1

    withdraw.click()
    expect(page.locator(live_sel)).to_have_text(TEXT["fr"]["vote-withdrawn"])
    expect(page.locator(tally_sel)).to_have_text(re.compile(r"^0 votes? " + re.escape(TEXT["fr"]["not_voted"])))
    assert api_tally(first, challenge) | {"participation": None} == {
        "challenge": challenge,
        "program": "paris-2017",
        "count": 0,
        "visible": True,
        "voted": False,
        "participation": None,
    }

    vote.click()
    expect(page.locator(tally_sel)).to_have_text(f"1 vote {TEXT['fr']['voted']}")

    second = browse(paris)  # another browser, so another anonymous token
    other = second.page()
    open_challenge(other, path)
    expect(other.locator(tally_sel)).to_have_text(f"1 vote {TEXT['fr']['not_voted']}")
    other.locator("[data-dc=vote-button]").click()
    expect(other.locator(tally_sel)).to_have_text(f"2 votes {TEXT['fr']['voted']}")

    assert api_tally(first, challenge)["count"] == 2 and api_tally(first, challenge)["voted"] is True
    assert api_tally(second, challenge)["voted"] is True
    anonymous = paris.call("GET", f"/challenges/{challenge}/tally").json
    assert anonymous["count"] == 2 and anonymous["voted"] is False
    assert paris.query("SELECT count(*) FROM votes WHERE challenge = ?", challenge) == [(2,)]
    tokens = {c["value"] for w in (first, second) for c in w.context.cookies() if c["name"] == "dc_voter"}
    assert len(tokens) == 2, "each browser should hold its own token"
    page.reload()
    page.wait_for_function(READY)
    expect(page.locator(tally_sel)).to_have_text(f"2 votes {TEXT['fr']['voted']}")
    assert_same_origin(first)
    assert_same_origin(second)


def test_french_zero_is_singular(paris: Product, browse):
    page = browse(paris).page()
    open_challenge(page, challenge_path("fr", "paris-2017", "step-free-journeys"))
    expect(page.locator("[data-dc=tally]")).to_have_text(f"0 vote {TEXT['fr']['not_voted']}", timeout=500)


def test_a_listing_shows_every_count_from_one_program_call(paris: Product, browse):
    """The challenge list of a program: one GET /programs/{id}/tallies fills all its cards, no per-card call."""
    challenge = "digital-help-older-residents"  # open; other tests only comment on it
    for _ in range(2):  # two residents (no cookie, so two tokens): 2 votes
        assert paris.call("PUT", f"/challenges/{challenge}/vote").status == 200
    watched = browse(paris)
    page = watched.page()
    response = page.goto("/paris-2017/all/")
    assert response is not None and response.ok
    page.wait_for_selector("[data-dc-tallies][data-dc-counted='1']", state="attached")
    expect(page.locator(f'[data-dc-count="{challenge}"]')).to_have_text("2 votes")
    truth = {t["challenge"]: t["count"] for t in paris.call("GET", "/programs/paris-2017/tallies").json["tallies"]}
    cards = page.locator("[data-dc-count]")
    assert cards.count() == len(truth) > 10
    for slot in cards.all():
        n = truth[slot.get_attribute("data-dc-count")]
        expect(slot).to_have_text(f"{n} vote" + ("s" if n > 1 else ""))  # French: 0 and 1 are singular
    api = [u.removeprefix(paris.origin) for u in watched.api_requests()]
    assert api == ["/api/programs/paris-2017/tallies"], api
    shot(page, "listing-counts-fr", full_page=True)
    from .test_accessibility import violations_report

    found = _axe.run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    ).response["violations"]
    assert not found, violations_report(found)
    assert_same_origin(watched)


def test_a_listing_without_javascript_has_no_empty_count(paris: Product, browse):
    page = browse(paris, java_script_enabled=False).page()
    page.goto("/paris-2017/all/")
    expect(page.locator("[data-dc-count]").first).to_be_hidden()
    assert page.locator("[data-dc-count]").count() > 10


def post_comment(page: Page, lang: str, text: str, name: str = "") -> None:
    page.locator("#dc-comment-text").fill(text)
    page.locator("#dc-comment-name").fill(name)
    page.get_by_role("button", name=TEXT[lang]["send"]).click()


def test_a_comment_appears_at_once_on_a_post_moderation_program(paris: Product, browse):
    challenge = "building-energy-renovation"
    watched = browse(paris)
    page = watched.page()
    open_challenge(page, challenge_path("fr", "paris-2017", challenge))
    expect(page.locator("[data-dc=comments]")).to_have_text(TEXT["fr"]["no_comments"])
    text = "Isoler les écoles d'abord :\nelles servent aussi de refuges l'été."
    post_comment(page, "fr", text, "Camille")
    expect(page.locator("form[data-dc=comment] [data-dc=status]")).to_have_text(TEXT["fr"]["comment-published"])
    item = page.locator(".dc-comment")
    expect(item).to_have_count(1)
    expect(item.locator(".dc-comment__text")).to_have_text(text)
    expect(item.locator("strong")).to_have_text("Camille")
    expect(page.locator(".dc-empty")).to_have_count(0)
    expect(page.locator("#dc-comment-text")).to_have_value("")
    shot(page, "js-comment-published-fr")

    page.reload()
    page.wait_for_function(READY)
    expect(page.locator(".dc-comment .dc-comment__text")).to_have_text([text])
    listing = paris.call("GET", f"/challenges/{challenge}/comments").json
    assert [(c["text"], c["display_name"]) for c in listing["comments"]] == [(text, "Camille")]
    assert_same_origin(watched)


def test_the_scripts_writes_carry_the_body_hash_cloudfront_signs(paris: Product, browse):
    """Production's API origin takes only requests CloudFront signs (origin access control for a Lambda function
    URL), and for a PUT or POST Lambda needs the body's SHA-256 from the browser in x-amz-content-sha256."""
    challenge = "waste-sorting-guide"
    page = browse(paris).page()
    sent = []
    page.on(
        "request", lambda r: sent.append((r.method, r.url, r.headers, r.post_data_buffer)) if "/api/" in r.url else None
    )
    open_challenge(page, challenge_path("en", "paris-2017", challenge))
    page.locator("[data-dc=vote-button]").click()
    expect(page.locator(".dc-live")).to_have_text(TEXT["en"]["vote-recorded"])
    post_comment(page, "en", "Benches near the hotspots, please.", "")
    expect(page.locator("form[data-dc=comment] [data-dc=status]")).to_have_text(TEXT["en"]["comment-published"])
    writes = [(m, u, h, b) for m, u, h, b in sent if m not in ("GET", "HEAD")]
    assert {m for m, *_ in writes} >= {"PUT", "POST"}, writes
    for method, url, headers, body in writes:
        assert headers.get("x-amz-content-sha256") == hashlib.sha256(body or b"").hexdigest(), (method, url)
    assert all("x-amz-content-sha256" not in h for m, _, h, _ in sent if m == "GET")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_comment_waits_for_review_on_a_pre_moderation_program(montreal: Product, browse, lang):
    challenge = "snow-clearing-updates"
    watched = browse(montreal, locale="fr-CA" if lang == "fr" else "en-CA")
    page = watched.page()
    open_challenge(page, challenge_path(lang, "montreal-2026", challenge))
    # Tallies are published after the close: while open, the count is hidden.
    expect(page.locator("[data-dc=tally]")).to_contain_text(TEXT[lang]["hidden"])
    text = f"Un texto quand la rue est déneigée, s'il vous plaît ({lang})."
    post_comment(page, lang, text)
    expect(page.locator("form[data-dc=comment] [data-dc=status]")).to_have_text(TEXT[lang]["comment-pending"])
    expect(page.locator(".dc-comment")).to_have_count(0)
    expect(page.locator("[data-dc=comments]")).to_have_text(TEXT[lang]["no_comments"])
    if lang == "en":
        shot(page, "js-comment-pending-en")
    page.reload()
    page.wait_for_function(READY)
    expect(page.locator(".dc-comment")).to_have_count(0)
    assert montreal.call("GET", f"/challenges/{challenge}/comments").json["comments"] == []
    assert montreal.query("SELECT status FROM comments WHERE text = ?", text) == [("pending",)]
    assert_same_origin(watched)


def test_voting_commenting_and_reporting_work_without_javascript(paris: Product, browse):
    challenge = "cycling-safety"
    watched = browse(paris, java_script_enabled=False)
    page = watched.page()
    path = challenge_path("fr", "paris-2017", challenge)
    page.goto(path)
    expect(page.locator(".dc-msg").first).to_be_hidden()
    with page.expect_navigation():
        page.locator("[data-dc=vote-button]").click()
    assert page.url == paris.url(path + "#dc-msg-vote-recorded"), page.url
    expect(page.locator("#dc-msg-vote-recorded")).to_be_visible()
    expect(page.locator("#dc-msg-vote-recorded")).to_have_text(TEXT["fr"]["vote-recorded"])
    expect(page.locator(".dc-msg:visible")).to_have_count(1)
    shot(page, "nojs-after-vote-fr")
    assert api_tally(watched, challenge)["voted"] is True

    text = "Des arceaux vélo devant chaque école, sans JavaScript."
    with page.expect_navigation():
        post_comment(page, "fr", text, "Lou")
    assert page.url.endswith(path + "#dc-msg-comment-published"), page.url
    expect(page.locator("#dc-msg-comment-published")).to_be_visible()
    expect(page.locator(".dc-msg:visible")).to_have_count(1)

    # The <noscript> link leads to the comments and the tally, with report forms.
    with page.expect_navigation():
        page.get_by_role("link", name=TEXT["fr"]["read_comments"]).click()
    assert "/api/challenges/cycling-safety/comments?format=html" in page.url
    article = page.locator("article", has_text=text)
    expect(article).to_have_count(1)
    expect(article.locator("strong")).to_have_text("Lou")
    expect(page.locator("main")).to_contain_text("Votes : 1")
    expect(page.locator("main")).to_contain_text(TEXT["fr"]["voted"])
    shot(page, "nojs-comments-page-fr", full_page=True)
    article.locator("select").select_option("off-topic")
    with page.expect_navigation():
        article.get_by_role("button", name="Signaler").click()
    assert page.url.endswith(path + "#dc-msg-report-received"), page.url
    expect(page.locator("#dc-msg-report-received")).to_be_visible()
    comment_id = paris.query("SELECT id FROM comments WHERE text = ?", text)[0][0]
    assert paris.query("SELECT reason FROM reports WHERE comment_id = ?", comment_id) == [("off-topic",)]

    # The English page brings the citizen back to the English page.
    en_path = challenge_path("en", "paris-2017", challenge)
    page.goto(en_path)
    with page.expect_navigation():
        page.locator("[data-dc=withdraw-button]").click()
    assert page.url.endswith(en_path + "#dc-msg-vote-withdrawn"), page.url
    expect(page.locator("#dc-msg-vote-withdrawn")).to_have_text(TEXT["en"]["vote-withdrawn"])
    assert api_tally(watched, challenge)["voted"] is False
    assert_same_origin(watched, expect_api=True)


def test_proposing_works_without_javascript_and_errors_keep_the_text(paris: Product, browse):
    watched = browse(paris, java_script_enabled=False)
    page = watched.page()
    path = "/paris-2017/propose/"
    page.goto(path)
    title = "Des fontaines à boire près des terrains de sport"
    description = "L'été, les enfants n'ont pas d'eau\nautour des city-stades du 19e."
    page.locator("#dc-p-title").fill(title)
    page.locator("#dc-p-description").fill(description)
    page.locator("#dc-p-theme").select_option("health")
    # An email without the consent box: refused, on a page that gives everything back, with the box to tick.
    page.locator("#dc-p-email").fill("lou@example.org")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(page.locator("[role=alert]")).to_contain_text("cochez la case")
    expect(page.locator("input[name=title]")).to_have_value(title)
    expect(page.locator("textarea[name=description]")).to_have_value(description)
    expect(page.locator("input[name=email]")).to_have_value("lou@example.org")
    expect(page.locator("input[name=consent]")).not_to_be_checked()
    back = page.get_by_role("link", name="Revenir à la page").get_attribute("href")
    shot(page, "nojs-proposal-error-fr", full_page=True)

    # "Correct and send again" with the box ticked: accepted, and the email is kept (encrypted).
    page.locator("input[name=consent]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer").click()
    kept = "SELECT COUNT(*) FROM contacts JOIN proposals ON proposals.id = contacts.proposal_id WHERE title = ?"
    assert paris.query(kept, title) == [(1,)]
    stored = paris.query("SELECT title, description, theme FROM proposals WHERE title = ?", title)
    assert stored == [(title, description, "health")]
    shot(page, "nojs-proposal-received-fr")
    # Back on the proposal page, with its confirmation shown (catalog.json must give the page's address).
    assert back == paris.url(path), f"the error page's way back leads to {back}, not to the proposal page"
    assert page.url == paris.url(path + "#dc-msg-proposal-received"), f"after proposing, the citizen is on {page.url}"
    expect(page.locator("#dc-msg-proposal-received")).to_be_visible()
    expect(page.locator("#dc-msg-proposal-received")).to_have_text(TEXT["fr"]["proposal-received"])
    assert_same_origin(watched, expect_api=True)


def test_proposing_with_javascript_is_announced(paris: Product, browse):
    watched = browse(paris)
    page = watched.page()
    page.goto("/en/paris-2017/propose/")
    page.wait_for_selector(".dc-participate[data-dc-ready]", state="attached")
    title = "Shade sails over school playgrounds"
    page.locator("#dc-p-title").fill(title)
    page.locator("#dc-p-description").fill("Playgrounds are ovens in June.")
    page.get_by_role("button", name="Send my proposal").click()
    expect(page.locator("form[data-dc=proposal] [data-dc=status]")).to_have_text(TEXT["en"]["proposal-received"])
    expect(page.locator("#dc-p-title")).to_have_value("")
    assert paris.query("SELECT description FROM proposals WHERE title = ?", title) == [
        ("Playgrounds are ovens in June.",)
    ]
    assert_same_origin(watched)


FOCUSED = "sel => !!document.activeElement && document.activeElement.matches(sel)"


def tab_to(page: Page, selector: str, backwards: bool = False, limit: int = 150) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches the selector."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(FOCUSED, selector):
            return
    pytest.fail(f"{selector} not reached in {limit} presses of {'Shift+Tab' if backwards else 'Tab'}")


def test_keyboard_only_vote_comment_and_report(paris: Product, browse):
    challenge = "neighbourhood-noise"
    watched = browse(paris)
    page = watched.page()
    open_challenge(page, challenge_path("fr", "paris-2017", challenge))
    live = page.locator(".dc-live")

    tab_to(page, "[data-dc=vote-button]")
    page.keyboard.press("Enter")
    expect(live).to_have_text(TEXT["fr"]["vote-recorded"])
    expect(page.locator("[data-dc=tally]")).to_contain_text(TEXT["fr"]["voted"])
    # The pressed button is gone; focus is on the one that replaced it, not lost to <body>.
    expect(page.locator("[data-dc=withdraw-button]")).to_be_focused()
    page.keyboard.press("Space")
    expect(live).to_have_text(TEXT["fr"]["vote-withdrawn"])
    expect(page.locator("[data-dc=vote-button]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(live).to_have_text(TEXT["fr"]["vote-recorded"])
    expect(page.locator("[data-dc=withdraw-button]")).to_be_focused()

    text = "Des capteurs de bruit près des bars, au clavier."
    tab_to(page, "#dc-comment-text")
    page.keyboard.type(text)
    page.keyboard.press("Tab")
    expect(page.locator("#dc-comment-name")).to_be_focused()
    page.keyboard.type("Sacha")
    tab_to(page, "form[data-dc=comment] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("form[data-dc=comment] [data-dc=status]")).to_have_text(TEXT["fr"]["comment-published"])
    comment = page.locator(".dc-comment", has_text=text)
    expect(comment).to_have_count(1)

    tab_to(page, ".dc-comment .dc-report summary", backwards=True)
    page.keyboard.press("Enter")
    expect(comment.locator("details")).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(comment.locator("select")).to_be_focused()
    # No reason is chosen beforehand ("Choisir un motif"); two steps down: the second reason, insulting or hateful.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(comment.locator("select")).to_have_value("abuse")
    page.keyboard.press("Tab")
    expect(comment.get_by_role("button", name="Envoyer le signalement")).to_be_focused()
    page.keyboard.press("Enter")
    expect(live).to_have_text(TEXT["fr"]["report-received"])
    expect(comment).to_contain_text(TEXT["fr"]["report-received"])
    assert page.evaluate("() => document.activeElement !== document.body"), "focus was lost after the report"
    shot(page, "js-keyboard-after-report-fr")

    comment_id = paris.query("SELECT id FROM comments WHERE text = ?", text)[0][0]
    assert paris.query("SELECT reason FROM reports WHERE comment_id = ?", comment_id) == [("abuse",)]
    assert api_tally(watched, challenge)["voted"] is True
    assert_same_origin(watched)


def test_an_api_error_is_shown_and_announced(paris: Product, browse):
    """A refused comment (over the limit) leaves the text in place, marks the field and says why."""
    watched = browse(paris)
    page = watched.page()
    open_challenge(page, challenge_path("en", "paris-2017", "digital-help-older-residents"))
    page.locator("#dc-comment-name").evaluate("el => el.removeAttribute('maxlength')")
    page.locator("#dc-comment-text").fill("Help desks in libraries.")
    page.locator("#dc-comment-name").fill("N" * 61)
    page.get_by_role("button", name=TEXT["en"]["send"]).click()
    error = page.locator("form[data-dc=comment] [data-dc=error]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("The display name is 61 characters long; the maximum is 60.")
    # The error is announced once, by its own role=alert, right where the field is.
    expect(error).to_have_attribute("role", "alert")
    expect(page.locator(".dc-live")).to_have_text("")
    expect(page.locator("#dc-comment-name")).to_be_focused()
    expect(page.locator("#dc-comment-name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#dc-comment-text")).to_have_value("Help desks in libraries.")
    shot(page, "js-comment-error-en")
    assert_same_origin(watched)


def wait_scripts(page: Page) -> None:
    """Wait until participate.js has filled in the tally and the comments (a closed page may have neither)."""
    page.wait_for_function(READY)


# case -> (server, page path in French, whether its forms are open; None: not a page with forms)
AXE_CASES = {
    "challenge-open": ("paris", "/paris-2017/challenges/urban-farming-food-waste/", True),
    "challenge-pre-moderated-open": ("montreal", "/montreal-2026/challenges/heated-bus-shelters/", True),
    "challenge-closed": ("montreal", "/paris-2017/challenges/urban-farming-food-waste/", False),
    "challenge-selected": ("paris", "/paris-2017/challenges/last-mile-delivery/", False),
    "propose-open": ("paris", "/paris-2017/propose/", True),
    "propose-closed": ("montreal", "/paris-2017/propose/", False),
    "comments-page-nojs": ("paris", "/api/challenges/urban-farming-food-waste/comments?format=html&lang={lang}", None),
}

_axe = Axe()


@pytest.fixture(scope="module")
def seeded(paris: Product) -> str:
    """A published comment on the open challenge, so that its report form is checked too."""
    answer = paris.call(
        "POST",
        "/challenges/urban-farming-food-waste/comments",
        json_body={"text": "Des composteurs dans chaque cour d'immeuble.", "display_name": "Ana"},
    )
    assert answer.status == 201, answer.text
    return answer.json["id"]


# Challenge and proposal pages, open and closed, in both languages; the other states in one language each.
CORE = ("challenge-open", "challenge-closed", "propose-open", "propose-closed")
AXE_RUNS = [(case, lang) for case in CORE for lang in ("fr", "en")] + [
    ("challenge-pre-moderated-open", "en"),
    ("challenge-selected", "fr"),
    ("comments-page-nojs", "fr"),
]


@pytest.mark.parametrize(("case", "lang"), AXE_RUNS)
def test_participation_has_no_wcag_violations(request, seeded, browse, case, lang):
    from .test_accessibility import violations_report

    server, path, open_forms = AXE_CASES[case]
    product: Product = request.getfixturevalue(server)
    if path.startswith("/api/"):
        path = path.format(lang=lang)
    elif lang != "fr":
        path = f"/{lang}{path}"
    watched = browse(product)
    page = watched.page()
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    if not path.startswith("/api/"):
        wait_scripts(page)
        expect(page.locator("html")).to_have_attribute("lang", lang)
    if open_forms is not None:
        forms = page.locator("form[data-dc=vote], form[data-dc=proposal]").filter(visible=True)
        expect(forms).to_have_count(1 if open_forms else 0)
    if case == "challenge-open":
        page.locator(".dc-report summary").first.click()  # the report form is checked open
    violations = _axe.run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    ).response["violations"]
    assert not violations, f"{case} {path}\n" + violations_report(violations)
    assert_same_origin(watched, expect_api=not case.startswith("propose"))
