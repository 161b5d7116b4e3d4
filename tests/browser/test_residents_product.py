"""What residents tripped over (issue #15), against the site and the API together (product.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from .conftest import PHONE
from .test_participation import READY, TEXT, challenge_path

if TYPE_CHECKING:
    from .product import Product

pytest_plugins = ["tests.browser.product"]
pytestmark = pytest.mark.browser

CLOSED_SENTENCE = {"fr": "close", "en": "closed"}


def digits(text: str) -> list[str]:
    """The numbers of a sentence, whatever the language's thousands separator (2 000, 2,000)."""
    return re.findall(r"\d+", re.sub(r"(?<=\d)[\s\u202f,](?=\d{3})", "", text))


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


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_long_paste_is_kept_counted_and_refused_before_sending(montreal: Product, browse, lang):
    """8,000 characters pasted into a 2,000-character comment: nothing cut, the count shown, nothing sent."""
    challenge = "winter-composting"
    count = "SELECT COUNT(*) FROM comments WHERE challenge = ?"
    before = montreal.query(count, challenge)
    page = browse(montreal).page()
    page.goto(challenge_path(lang, "montreal-2026", challenge))
    page.wait_for_function(READY)
    field = page.locator("#dc-comment-text")
    counter = page.locator("#dc-comment-text-count")
    expect(counter).to_be_visible()
    text = ("Le compost gèle en janvier et les bacs débordent. " * 160)[:7999] + "."
    field.fill(text)
    assert field.input_value() == text, "the paste was cut"
    assert digits(counter.inner_text()) == ["8000", "6000", "2000"]
    expect(counter).to_have_class("dc-counter dc-counter--over")
    page.get_by_role("button", name=TEXT[lang]["send"]).click()
    error = page.locator("form[data-dc=comment] [data-dc=error]")
    expect(error).to_be_visible()
    assert digits(error.inner_text()) == ["8000", "6000", "2000"]
    expect(page.locator("form[data-dc=comment] [data-dc=status]")).to_have_text("")
    assert field.input_value() == text, "the text was lost"
    assert page.evaluate("document.activeElement.id") == "dc-comment-text"
    assert montreal.query(count, challenge) == before
    # Once shortened, it goes.
    field.fill(text[:1500])
    expect(counter).to_have_class("dc-counter")
    page.get_by_role("button", name=TEXT[lang]["send"]).click()
    expect(page.locator("form[data-dc=comment] [data-dc=status]")).to_have_text(TEXT[lang]["comment-pending"])
    expect(field).to_have_value("")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_long_paste_without_javascript_is_refused_with_the_text_given_back(montreal: Product, browse, lang):
    challenge = "river-water-quality"
    count = "SELECT COUNT(*) FROM comments WHERE challenge = ?"
    before = montreal.query(count, challenge)
    page = browse(montreal, java_script_enabled=False).page()
    page.goto(challenge_path(lang, "montreal-2026", challenge))
    text = ("La rivière est trouble après l'orage. " * 300)[:5999] + "."
    page.locator("#dc-comment-text").fill(text)
    assert page.locator("#dc-comment-text").input_value() == text, "the paste was cut"
    page.get_by_role("button", name=TEXT[lang]["send"]).click()
    body = page.locator("body").inner_text()
    assert "6000" in body.replace(" ", "").replace("\u202f", "").replace(",", "")
    assert page.locator("textarea").input_value() == text
    assert montreal.query(count, challenge) == before


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_correction_box_stays_within_the_margins_of_a_phone(montreal: Product, browse, lang):
    """On a phone the API's correction page ran its text box past the right margin (width 100% plus padding)."""
    page = browse(montreal, java_script_enabled=False, viewport=PHONE).page()
    page.goto(challenge_path(lang, "montreal-2026", "river-water-quality"))
    page.locator("#dc-comment-text").fill("Trop long. " * 600)
    page.get_by_role("button", name=TEXT[lang]["send"]).click()
    box = page.locator("textarea")
    expect(box).to_be_visible()
    right = box.evaluate("el => el.getBoundingClientRect().right")
    main = page.locator("main").evaluate("el => el.getBoundingClientRect().right")
    assert right <= main + 0.5, f"the box ends at {right}px, past the text's margin at {main}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_reporting_a_comment_starts_with_no_reason_chosen(paris: Product, browse, lang):
    """A hurried report must not leave as "spam": the resident picks the reason, or nothing is sent."""
    challenge = "waste-sorting-guide"
    text = f"Les consignes de tri changent d'une rue à l'autre ({lang})."
    assert paris.call("POST", f"/challenges/{challenge}/comments", json_body={"text": text}).status == 201
    reports = "SELECT COUNT(*) FROM reports"
    before = paris.query(reports)
    page = browse(paris).page()
    page.goto(challenge_path(lang, "paris-2017", challenge))
    page.wait_for_function(READY)
    item = page.locator(".dc-comment").filter(has_text=text)
    item.locator("summary").click()
    select = item.locator("select")
    assert select.input_value() == ""
    item.locator("button[type=submit]").click()
    assert select.evaluate("s => s.validity.valueMissing"), "the browser did not ask for a reason"
    page.wait_for_timeout(300)
    assert paris.query(reports) == before
    select.select_option("abuse")
    item.locator("button[type=submit]").click()
    expect(page.locator(".dc-comment").filter(has_text=text)).to_contain_text(TEXT[lang]["report-received"])
    assert paris.query(reports)[0][0] == before[0][0] + 1


OPENS = {"fr": r"ouvre le (.+?)\.", "en": r"opens on (.+?)\."}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dates_and_english_wording_are_the_same_with_and_without_javascript(montreal: Product, browse, lang):
    """Lyon 2027 is upcoming on the Montréal day: the script's date is the page's, "1 November", not "November 1"."""
    page = browse(montreal).page()
    page.goto(challenge_path(lang, "lyon-2027", "cooler-schoolyards"))
    page.wait_for_function(READY)
    scripted = re.search(OPENS[lang], page.locator("[data-dc=tally]").inner_text())
    static = re.search(OPENS[lang], page.locator("article .dc-window").first.inner_text())
    assert scripted and static, "no opening date said"
    assert scripted.group(1) == static.group(1)
    if lang == "en":
        page.goto(challenge_path(lang, "montreal-2026", "icy-sidewalks-seniors"))
        sentence = page.locator("article .dc-window").first.inner_text()
        assert "inclusive" in sentence and "included" not in sentence


# Resident number 3 of the Paris example (results/README.md): the cookie's token, its code, and what it voted for.
TOKEN = "VcohXMGTOehPZnQtgpsTHA"
CODE = "2NS8-GNSG-CK77-M4YS-KM5P-19P4-RWG9"
VOTED = {"building-energy-renovation", "step-free-journeys", "water-leak-detection"}
GROUPED = re.compile(r"^(?:[0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{4}$")  # Crockford: no I, L, O, U
MY_VOTES = {"fr": "/my-votes/", "en": "/en/my-votes/"}
FAILURE_TITLE = {"fr": "Votre demande n'a pas abouti", "en": "Your request did not go through"}
NO_CODE_TITLE = {"fr": "Ce navigateur n'a pas encore de code de vote", "en": "This browser has no voter code yet"}


def with_cookie(watched, product: Product, token: str = TOKEN):
    watched.context.add_cookies([{"name": "dc_voter", "value": token, "url": product.origin + "/api/"}])
    return watched


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_voter_code_page_of_a_browser_that_never_voted_is_not_a_failure(montreal: Product, browse, lang):
    """Without a cookie the page was titled "Votre demande n'a pas abouti": it now says kindly what the code is."""
    from .test_accessibility import run_axe, violations_report

    page = browse(montreal, java_script_enabled=False).page()
    page.goto(f"/api/me/receipt?format=html&lang={lang}")
    expect(page.locator("h1")).to_have_text(NO_CODE_TITLE[lang])
    assert FAILURE_TITLE[lang] not in page.content()
    expect(page.locator("[role=alert]")).to_have_count(0)
    # ... and leads to the page that explains the code and checks it.
    page.locator("main a[href$='my-votes/']").click()
    assert page.url.endswith(MY_VOTES[lang])
    # axe runs in the page: with JavaScript (the API's page runs none of its own either way).
    page = browse(montreal).page()
    page.goto(f"/api/me/receipt?format=html&lang={lang}")
    violations = run_axe(page)
    assert not violations, violations_report(violations)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_voter_code_is_grouped_upper_case_and_copied_by_keyboard(montreal: Product, browse, lang):
    watched = with_cookie(browse(montreal, permissions=["clipboard-read", "clipboard-write"]), montreal)
    page = watched.page()
    page.goto(MY_VOTES[lang])
    code = page.locator("#dc-my-code")
    expect(code).to_have_text(CODE)
    assert GROUPED.match(code.inner_text())
    copy = page.get_by_role("button", name={"fr": "Copier le code", "en": "Copy the code"}[lang])
    copy.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".dc-code__status")).to_have_text({"fr": "Code copié.", "en": "Code copied."}[lang])
    assert page.evaluate("navigator.clipboard.readText()") == CODE
    # Without JavaScript the API's page shows the same code, in a field the keyboard reaches and selects.
    plain = with_cookie(browse(montreal, java_script_enabled=False), montreal).page()
    plain.goto(MY_VOTES[lang])
    plain.get_by_role(
        "link", name={"fr": "Afficher le code de vote de ce navigateur", "en": "Show this browser's voter code"}[lang]
    ).click()
    field = plain.get_by_label({"fr": "Votre code de vote", "en": "Your voter code"}[lang], exact=True)
    expect(field).to_have_value(CODE)
    for _ in range(20):
        plain.keyboard.press("Tab")
        if plain.evaluate("document.activeElement.id") == "dc-code":
            break
    else:
        pytest.fail("the code's field is not reached with Tab")
    plain.keyboard.press("Control+A")
    assert (
        plain.evaluate(
            "document.activeElement.value.slice(document.activeElement.selectionStart, document.activeElement.selectionEnd)"
        )
        == CODE
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_resident_checks_their_votes_in_the_published_vote_log_in_the_browser(montreal: Product, browse, lang):
    """The only way was a Python command: the page now finds a code's votes in Paris 2017's published log."""
    from .test_accessibility import run_axe, violations_report

    watched = with_cookie(browse(montreal), montreal)
    page = watched.page()
    page.goto(MY_VOTES[lang])
    field = page.locator("#dc-check-code")
    expect(field).to_have_value(CODE)  # this browser's own code, filled in
    button = page.get_by_role("button", name={"fr": "Vérifier", "en": "Check"}[lang], exact=True)
    result = page.locator("[data-dc=result]")
    for typed in (CODE, CODE.lower().replace("-", " "), TOKEN):  # grouped, as typed by hand, the old form
        field.fill(typed)
        button.click()
        expect(result.locator("li")).to_have_count(3)
        hrefs = {a.split("/")[-2] for a in result.locator("a").evaluate_all("as => as.map(a => a.href)")}
        assert hrefs == VOTED, f"{typed}: {hrefs}"
    violations = run_axe(page)
    assert not violations, violations_report(violations)
    # A mistyped character is caught by the check characters, not reported as "no vote".
    field.fill(CODE[:-1] + ("8" if CODE[-1] != "8" else "7"))
    button.click()
    expect(result).to_contain_text(
        {"fr": "caractères de ce code est erroné", "en": "characters of this code is wrong"}[lang]
    )
    expect(field).to_have_attribute("aria-invalid", "true")
    # Another valid code that did not vote.
    field.fill("0000-0000-0000-0000-0000-0000-0000")
    button.click()
    expect(result).to_contain_text({"fr": "Aucun vote de ce code", "en": "No vote of this code"}[lang])
    # Nothing was sent to the API but the request for this browser's own code.
    assert [u for u in watched.api_requests() if "/me/receipt" not in u] == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_without_javascript_the_vote_check_says_how_and_gives_the_files(montreal: Product, browse, lang):
    page = browse(montreal, java_script_enabled=False).page()
    page.goto(MY_VOTES[lang])
    expect(page.locator("form[data-dc=check]")).to_be_hidden()
    nojs = page.locator("[data-dc=nojs]")
    expect(nojs).to_be_visible()
    links = nojs.locator("a").evaluate_all("as => as.map(a => a.href)")
    assert any(u.endswith("/paris-2017/results/vote-log.json") for u in links), links
    for link in links:
        response = page.request.get(link)
        assert response.ok, link
    script = page.request.get(next(u for u in links if u.endswith("verify_tally.py"))).text()
    assert "def token_from_code" in script


def api_pages(lang: str) -> dict[str, tuple[str, str | None]]:
    """Each kind of page the API renders: its path, and the program page it belongs under."""
    challenge = "montreal-2026/challenges/icy-sidewalks-seniors/"
    return {
        "comments": (f"/api/challenges/icy-sidewalks-seniors/comments?format=html&lang={lang}", "montreal-2026/"),
        "moderation record": (f"/api/programs/montreal-2026/moderation?format=html&lang={lang}", "montreal-2026/"),
        "voter code": (f"/api/me/receipt?format=html&lang={lang}", None),
        "error and correction": (challenge, "montreal-2026/"),
    }


def open_api_page(page, kind: str, path: str, lang: str) -> None:
    if kind != "error and correction":
        page.goto(path)
        return
    # A comment longer than the limit, posted without JavaScript: the API's page gives the text back to correct.
    page.goto(("/" if lang == "fr" else "/en/") + path)
    page.evaluate(
        "() => { const t = document.querySelector('#dc-comment-text'); t.removeAttribute('maxlength');"
        " t.value = 'x'.repeat(2500); }"
    )
    with page.expect_navigation():
        page.locator("form[data-dc=comment] button[type=submit]").click()
    expect(page.locator("textarea")).to_have_value("x" * 2500)


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_api_pages_look_like_the_site_and_lead_back(montreal: Product, browse, lang, width):
    """They were bare pages in another font with no header and no way back: now the site's frame and stylesheet."""
    from .test_accessibility import run_axe, violations_report

    viewport = {"width": width, "height": 900}
    site = browse(montreal, viewport=viewport).page()
    site.goto("/" if lang == "fr" else "/en/")
    site_font = site.evaluate("getComputedStyle(document.querySelector('.md-typeset')).fontFamily")
    site_header = site.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    watched = with_cookie(browse(montreal, viewport=viewport, java_script_enabled=False), montreal)
    page = watched.page()
    checked = browse(montreal, viewport=viewport).page()  # axe needs JavaScript in the page
    for kind, (path, program) in api_pages(lang).items():
        open_api_page(page, kind, path, lang)
        sheets = page.locator("link[rel=stylesheet]").evaluate_all("ls => ls.map(l => l.href)")
        assert len(sheets) == 1 and re.search(r"/assets/stylesheets/pages\.[0-9a-f]{12}\.css$", sheets[0]), sheets
        assert sheets[0].startswith(montreal.origin + "/"), f"{kind}: a stylesheet from elsewhere: {sheets}"
        assert page.request.get(sheets[0]).ok
        assert page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).fontFamily") == site_font
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == site_header
        header = page.locator("header.md-header")
        expect(header).to_contain_text(
            {"fr": "DataCity – consultation citoyenne", "en": "DataCity – citizen consultation"}[lang]
        )
        crumbs = page.locator("nav.dc-breadcrumb a").evaluate_all("as => as.map(a => a.href)")
        home = montreal.origin + ("/" if lang == "fr" else "/en/")
        assert crumbs[0] == home, f"{kind}: {crumbs}"
        if program:
            assert home + program in crumbs, f"{kind}: no way back to the program: {crumbs}"
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{kind}: {wide} px wide on a {width} px screen"
        if kind != "error and correction":
            checked.goto(path)
            violations = run_axe(checked)
            assert not violations, f"{kind}: " + violations_report(violations)
