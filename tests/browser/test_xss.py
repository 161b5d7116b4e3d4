"""Hostile text stays text: classic XSS payloads as comments, display names and proposals, in real Chromium.

The payloads go in through the API (JSON), through form posts (what a browser without JavaScript sends) and
through the page's own forms, then the challenge page (JavaScript on) and the comments page for readers without
JavaScript are loaded: no dialog, no script error, no `window.__xss`, no element made out of a payload, no
request to another origin, and every payload readable as text. Proposals are not displayed anywhere yet: the
store must keep them verbatim, and the error page that gives a refused proposal back must escape them.
Payloads the API refuses (control and bidirectional-override characters) must be refused with a 4xx.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from .product import Product

pytest_plugins = ["tests.browser.product"]
pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "<img src=x onerror=alert(1)>",
    '<svg onload="window.__xss=1">',
    "<svg><script>window.__xss=1</script></svg>",
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<a href="javascript:window.__xss=1">clic</a>',
    "javascript:window.__xss=1",
    '<a href="&#106;avascript:window.__xss=1">entités</a>',
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "%3Cscript%3Ewindow.__xss=1%3C%2Fscript%3E",
    "\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e",
    "${window.__xss=1}`${alert(1)}`",
    "{{constructor.constructor('window.__xss=1')()}}",
    '<div style="width:expression(window.__xss=1);background:url(javascript:window.__xss=1)">css</div>',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">',
    '"><script>window.__xss=1</script>',
    "'><img src=x onerror=window.__xss=1>",
    "</textarea><script>window.__xss=1</script>",
    "</p></article><script>window.__xss=1</script>",
    '<details open ontoggle="window.__xss=1">',
    '<input autofocus onfocus="window.__xss=1">',
    '<object data="javascript:window.__xss=1"></object>',
    "<style>@import 'http://evil.example/x.css';</style><img src=\"http://evil.example/p.png\">",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
    # A polyglot (after 0xSobky's): breaks out of most contexts at once.
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/"
    "</scRipt/--!>\\x3csVg/<sVg/oNloAd=window.__xss=1//>\\x3e",
    "<body onload=window.__xss=1>",
    '<embed src="data:text/html,<script>parent.__xss=1</script>">',
]
# Refused by the API (control or bidirectional-override characters): a 4xx, never a 5xx.
REFUSED = [
    "\u202e<script>window.__xss=1</script>",
    "<scr\x00ipt>window.__xss=1</script>",
    "<img src=x\x0bonerror=window.__xss=1>",
]
NAME_MAX, TITLE_MAX = 60, 120
JSON_CHALLENGE, FORM_CHALLENGE = "public-space-open-data", "smart-street-lighting"
UI_PAYLOADS = PAYLOADS[:3]  # also typed into the page's own form, without JavaScript
_TAGS = (
    "script",
    "img",
    "svg",
    "iframe",
    "math",
    "object",
    "embed",
    "style",
    "a",
    "textarea",
    "meta",
    "noscript",
    "div",
)
# Elements that only a payload could have made: in the script's comment list, and in the no-JS comments page.
FORBIDDEN_JS = ":scope > :not(article), input, " + ", ".join(_TAGS)
# The API's page: its content inside the site's frame (api/chalicelib/web/pages.py), the breadcrumb being the frame's.
API_PAGE = "main .dc-api-page"
FORBIDDEN_NOJS = (
    ":scope > :not(h1):not(p):not(article):not(nav.dc-breadcrumb), article input:not([type=hidden]), "
    + ", ".join(f"article {tag}" for tag in _TAGS)
)

# Everything a payload could have turned into inside the comments; the texts as the page shows them.
INSPECT = """([container, textSel, nameSel, forbidden]) => {
  const root = document.querySelector(container);
  const nodes = Array.from(root.querySelectorAll(textSel)).concat(Array.from(root.querySelectorAll(nameSel)));
  return {
    xss: window.__xss === undefined ? null : String(window.__xss),
    texts: Array.from(root.querySelectorAll(textSel), n => n.textContent),
    names: Array.from(root.querySelectorAll(nameSel), n => n.textContent),
    nested: nodes.filter(n => n.childElementCount > 0).map(n => n.innerHTML),
    forbidden: Array.from(root.querySelectorAll(forbidden), n => n.outerHTML.slice(0, 120)),
    all: root.textContent,
  };
}"""


def post_comments(product: Product, challenge: str, *, form: bool) -> list[dict]:
    """Every payload as a comment (and, when short enough, as its display name); returns what was stored."""
    stored = []
    for payload in PAYLOADS:
        fields = {"text": payload}
        if len(payload) <= NAME_MAX:
            fields["display_name"] = payload
        if form:
            answer = product.call("POST", f"/challenges/{challenge}/comments", form={**fields, "lang": "fr"})
            assert answer.status == 303, (payload, answer.status, answer.text)
            assert answer.headers["location"].endswith("#dc-msg-comment-published"), answer.headers["location"]
        else:
            answer = product.call("POST", f"/challenges/{challenge}/comments", json_body=fields)
            assert answer.status == 201, (payload, answer.status, answer.text)
            assert answer.json["text"] == payload and answer.json.get("display_name") == fields.get("display_name")
        stored.append(fields)
    return stored


@pytest.fixture(scope="module")
def comments(paris: Product) -> dict[str, list[dict]]:
    for payload in REFUSED:
        for name, fields in (("text", {"text": payload}), ("display_name", {"text": "ok", "display_name": payload})):
            answer = paris.call("POST", f"/challenges/{JSON_CHALLENGE}/comments", json_body=fields)
            assert 400 <= answer.status < 500, (name, payload, answer.status)
            assert answer.json["field"] == name, answer.json
            answer = paris.call("POST", f"/challenges/{FORM_CHALLENGE}/comments", form={**fields, "lang": "fr"})
            assert 400 <= answer.status < 500, (name, payload, answer.status)
    return {
        JSON_CHALLENGE: post_comments(paris, JSON_CHALLENGE, form=False),
        FORM_CHALLENGE: post_comments(paris, FORM_CHALLENGE, form=True),
    }


def settle(page: Page) -> None:
    """Let anything a payload might have started (image errors, iframes, timers) happen."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


def check(seen: dict, expected: list[dict], where: str) -> None:
    assert seen["xss"] is None, f"{where}: window.__xss was set to {seen['xss']}"
    assert not seen["nested"], f"{where}: comment text became markup: {seen['nested'][:3]}"
    assert not seen["forbidden"], f"{where}: elements made from payloads: {seen['forbidden'][:3]}"
    for fields in expected:
        assert fields["text"] in seen["texts"], f"{where}: comment not shown as text: {fields['text']!r}"
        if "display_name" in fields:
            assert fields["display_name"] in seen["names"], (
                f"{where}: name not shown as text: {fields['display_name']!r}"
            )
        assert fields["text"] in seen["all"]


@pytest.mark.parametrize(("challenge", "lang"), [(JSON_CHALLENGE, "fr"), (FORM_CHALLENGE, "en")])
def test_comment_payloads_stay_text_on_the_challenge_page(paris: Product, browse, comments, challenge, lang):
    watched = browse(paris)
    page = watched.page()
    page.add_init_script("window.__xss = undefined;")
    page.goto(("" if lang == "fr" else "/en") + f"/paris-2017/challenges/{challenge}/")
    page.wait_for_selector(".dc-comment")
    more = page.get_by_role("button", name="Afficher plus de commentaires" if lang == "fr" else "Show more comments")
    for _ in range(5):  # 20 comments a page
        if not more.count():
            break
        before = page.locator(".dc-comment").count()
        more.click()
        expect(page.locator(".dc-comment")).not_to_have_count(before)
    expect(page.locator(".dc-comment")).to_have_count(len(comments[challenge]))
    settle(page)
    seen = page.evaluate(INSPECT, ["[data-dc=comments]", ".dc-comment__text", ".dc-comment__head strong", FORBIDDEN_JS])
    check(seen, comments[challenge], f"{challenge} page ({lang})")
    assert not watched.dialogs and not watched.errors and not watched.foreign()


@pytest.mark.parametrize(("challenge", "lang"), [(JSON_CHALLENGE, "en"), (FORM_CHALLENGE, "fr")])
def test_comment_payloads_stay_text_on_the_comments_page_without_javascript(
    paris: Product, browse, comments, challenge, lang
):
    """The page for readers without JavaScript, loaded here with JavaScript on, so that an injection would run."""
    watched = browse(paris)
    page = watched.page()
    page.goto(f"/api/challenges/{challenge}/comments?format=html&lang={lang}")
    texts, names, pages = [], [], 0
    while True:
        pages += 1
        settle(page)
        seen = page.evaluate(INSPECT, [API_PAGE, "article > p:nth-of-type(2)", "article strong", FORBIDDEN_NOJS])
        check(seen, [], f"comments page {pages} of {challenge}")
        texts += seen["texts"]
        names += seen["names"]
        following = page.get_by_role("link", name="Commentaires suivants" if lang == "fr" else "Next comments")
        if not following.count() or pages > 5:
            break
        with page.expect_navigation():
            following.click()
    check(
        {"xss": None, "nested": [], "forbidden": [], "texts": texts, "names": names, "all": "".join(texts)},
        comments[challenge],
        f"comments pages of {challenge}",
    )
    assert not watched.dialogs and not watched.errors and not watched.foreign()


def test_payloads_typed_into_the_page_forms_stay_text(paris: Product, browse):
    """Through the real form, without JavaScript (the 303 way), then read with JavaScript on."""
    challenge = "step-free-journeys"
    nojs = browse(paris, java_script_enabled=False)
    page = nojs.page()
    for payload in UI_PAYLOADS:
        page.goto(f"/paris-2017/challenges/{challenge}/")
        page.locator("#dc-comment-text").fill(payload)
        page.locator("#dc-comment-name").fill(payload)
        with page.expect_navigation():
            page.get_by_role("button", name="Publier le commentaire").click()
        expect(page.locator("#dc-msg-comment-published")).to_be_visible()
    js = browse(paris)
    page = js.page()
    page.goto(f"/paris-2017/challenges/{challenge}/")
    expect(page.locator(".dc-comment")).to_have_count(len(UI_PAYLOADS))
    settle(page)
    seen = page.evaluate(INSPECT, ["[data-dc=comments]", ".dc-comment__text", ".dc-comment__head strong", FORBIDDEN_JS])
    check(seen, [{"text": p, "display_name": p} for p in UI_PAYLOADS], "typed payloads")
    for watched in (nojs, js):
        assert not watched.dialogs and not watched.errors and not watched.foreign()


def test_proposals_are_stored_verbatim(paris: Product):
    for i, payload in enumerate(PAYLOADS):
        title = payload if len(payload) <= TITLE_MAX else payload[:TITLE_MAX]
        description = f"{payload}\n{payload}"
        fields = {"title": title, "description": description}
        if i % 2:
            answer = paris.call("POST", "/programs/paris-2017/proposals", form={**fields, "lang": "fr"})
            assert answer.status == 303, (payload, answer.status, answer.text)
        else:
            answer = paris.call("POST", "/programs/paris-2017/proposals", json_body=fields)
            assert answer.status == 201, (payload, answer.status, answer.text)
        stored = paris.query("SELECT description FROM proposals WHERE title = ?", title)
        assert stored == [(description,)], (payload, stored)
    for payload in REFUSED:
        answer = paris.call("POST", "/programs/paris-2017/proposals", json_body={"title": payload, "description": "x"})
        assert 400 <= answer.status < 500, (payload, answer.status)


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if any(c in p for c in "<>\"'&")][:12])
def test_the_error_page_escapes_a_refused_proposal(paris: Product, payload):
    """A too-long title comes back in a form to correct; neither it nor the description may become markup."""
    title = payload + " " + "x" * TITLE_MAX
    answer = paris.call(
        "POST", "/programs/paris-2017/proposals", form={"title": title, "description": payload, "lang": "fr"}
    )
    assert answer.status == 422, answer.status  # invalid-field
    assert answer.headers["content-type"].startswith("text/html")
    page = answer.text
    assert html.escape(title) in page and html.escape(payload) in page
    main = page[page.index("<main") :]
    assert payload not in main, "the payload is in the error page unescaped"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_error_page_for_a_refused_proposal_shows_the_payloads_as_text(paris: Product, browse, lang):
    """The same error page in Chromium: a native form post (as without JavaScript), with JavaScript on."""
    watched = browse(paris)
    page = watched.page()
    page.add_init_script("window.__xss = undefined;")
    page.goto(("" if lang == "fr" else "/en") + "/paris-2017/propose/")
    hostile = [p for p in PAYLOADS if "<" in p]
    title = hostile[0] + " " + "x" * TITLE_MAX
    description = "\n".join(hostile)
    with page.expect_navigation():
        # form.submit() skips the submit event (the script would send JSON) and the maxlength check.
        page.evaluate(
            """([title, description]) => {
              const form = document.querySelector('form[data-dc=proposal]');
              form.elements.title.value = title;
              form.elements.description.value = description;
              form.submit();
            }""",
            [title, description],
        )
    assert "/api/form/programs/paris-2017/proposals" in page.url
    expect(page.locator("[role=alert]")).to_contain_text("120")
    expect(page.locator("input[name=title]")).to_have_value(title)
    expect(page.locator("textarea[name=description]")).to_have_value(description)
    settle(page)
    assert page.evaluate("() => window.__xss") is None
    markup = page.evaluate(
        "() => Array.from(document.querySelectorAll('main .dc-api-page *:not(.dc-breadcrumb, .dc-breadcrumb *)'),"
        " n => n.tagName.toLowerCase())"
    )
    assert set(markup) <= {"h1", "h2", "p", "form", "label", "input", "textarea", "button", "a"}, markup
    assert not watched.dialogs and not watched.errors and not watched.foreign()
