"""The header's search (Pagefind) finds pages in the reader's language, folds accents, works from the keyboard,
fetches nothing before it is used, and without JavaScript leads to the listings.

The query words come from the built challenge titles, so the tests follow the content when its wording changes.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape
from pathlib import Path

import pytest

from .pages import PAGES, url

pytestmark = pytest.mark.browser


def title_words(site_dir: Path, lang: str) -> list[str]:
    html = (site_dir / url(lang, PAGES["challenge"]).strip("/") / "index.html").read_text(encoding="utf-8")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert h1, "the challenge page has no <h1>"
    return [w.casefold() for w in re.findall(r"\w+", unescape(re.sub(r"<[^>]+>", "", h1.group(1))))]


def query_for(site_dir: Path, lang: str, other: str) -> str:
    """The longest word of the challenge's title in `lang` that is not in its title in `other`."""
    theirs = set(title_words(site_dir, other))
    mine = [w for w in title_words(site_dir, lang) if w not in theirs and len(w) >= 4]
    assert mine, f"no {lang}-only word in the challenge's title"
    return max(mine, key=len)


def search(page, query: str) -> list[str]:
    page.locator("#dc-search-input").click()
    page.keyboard.type(query, delay=20)
    results = page.locator(".dc-search__result > a")
    results.first.wait_for()
    return results.evaluate_all("links => links.map(a => new URL(a.href).pathname)")


@pytest.mark.parametrize(("lang", "other"), [("fr", "en"), ("en", "fr")])
def test_search_finds_the_page_in_the_readers_language(page, site_dir, lang, other):
    query = query_for(site_dir, lang, other)
    page.goto(url(lang, PAGES["program"]))
    found = search(page, query)
    expected = url(lang, PAGES["challenge"])
    assert all(p.startswith("/en/") == (lang == "en") for p in found), f"'{query}' on a {lang} page: {found}"
    assert expected in found, f"'{query}' on a {lang} page did not find {expected}: {found}"
    with page.expect_navigation():
        page.locator(f".dc-search__result > a[href='{expected}']").click()
    assert page.locator("html").get_attribute("lang") == lang
    assert query in page.locator("article h1").inner_text().casefold()


def test_accents_are_folded(page, site_dir):
    """A French word typed without its accents finds the page that writes them."""
    words = [w for w in title_words(site_dir, "fr") if unicodedata.normalize("NFD", w) != w and len(w) >= 4]
    if not words:
        pytest.skip("the French challenge title has no accented word")
    bare = "".join(c for c in unicodedata.normalize("NFD", words[0]) if not unicodedata.combining(c))
    page.goto(url("fr", PAGES["home"]))
    assert url("fr", PAGES["challenge"]) in search(page, bare), f"'{bare}' did not find the page with '{words[0]}'"


def test_nothing_is_fetched_until_someone_searches(new_context):
    page = new_context().new_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(url("fr", PAGES["challenge"]), wait_until="networkidle")
    assert not [u for u in asked if "/pagefind/" in u], "Pagefind was fetched before any search"
    search(page, "quartier")
    fetched = [u for u in asked if "/pagefind/" in u]
    assert any(u.endswith("/pagefind.js") for u in fetched) and any(".pf_fragment" in u for u in fetched)
    assert not [u for u in fetched if "/wasm.en." in u], "a French page fetched the English index"


def test_keyboard_down_to_the_results_and_escape_back(page):
    page.goto(url("en", PAGES["home"]))
    search(page, "water")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.closest('.dc-search__result') !== null")
    assert first, "Down arrow from the field did not reach the first result"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "dc-search-input"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "dc-search-input"
    assert page.locator("#dc-search-panel").is_hidden()


def test_the_search_page_takes_the_query_from_its_address(page):
    page.goto(url("en", "/search/") + "?q=water")
    page.locator(".dc-search__results--page .dc-search__result").first.wait_for()
    assert page.locator("#dc-search-page-input").input_value() == "water"
    assert re.match(r"\d+ results?$", page.locator("#dc-search-page-status").inner_text())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_without_javascript_the_search_leads_to_the_listings(new_context, lang):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(url(lang, PAGES["challenge"]))
    page.locator("#dc-search-input").fill("eau")
    with page.expect_navigation():
        page.locator("#dc-search-input").press("Enter")
    assert urlsplit_path(page.url) == url(lang, "/search/")
    listing = page.locator("noscript, article").locator(f"a[href$='{PAGES['index'].split('/')[1]}/all/']")
    with page.expect_navigation():
        listing.first.click()
    assert page.url.endswith(url(lang, PAGES["index"]))


def urlsplit_path(address: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(address).path
